"""The rules for a plan's dates, stated once and applied by the forms and the services alike.

The dates record steps already taken, so none may be in the future, and every step of the assessment
follows the request its deadlines run from (SEND Regulations 2014, regs 4 to 13: each time limit runs
from the LA "receiving a request"). The next phase transfer is the one date still to come. The words
follow the GOV.UK Design System's date input errors: "[Whatever it is] must be today or in the past" and
"[Whatever it is] must be the same as or after [the other date]".
"""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from ehcp import forms, services
from ehcp.models import Plan
from tests.conftest import make_member, membership_of
from tests.ehcp.factories import PlanFactory, PupilFactory

D = date
TODAY = D(2026, 3, 10)
REQUESTED_PAST = "The date the assessment was requested must be today or in the past"
AFTER_REQUEST = "must be the same as or after the date the assessment was requested"


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        pytest.param({"requested_on": TODAY}, {}, id="requested today"),
        pytest.param(
            {"requested_on": D(2026, 3, 11)}, {"requested_on": REQUESTED_PAST}, id="requested tomorrow"
        ),
        pytest.param(
            {"requested_on": D(2026, 3, 2), "decided_on": D(2026, 3, 2), "final_issued_on": TODAY},
            {},
            id="steps on the request day and today",
        ),
        pytest.param(
            {"requested_on": D(2026, 3, 2), "decided_on": D(2026, 3, 1)},
            {"decided_on": f"The date the LA decided to assess {AFTER_REQUEST}"},
            id="decision before the request",
        ),
        pytest.param(
            {"requested_on": D(2026, 3, 2), "final_issued_on": D(2026, 3, 11)},
            {"final_issued_on": "The date the final plan was issued must be today or in the past"},
            id="final plan tomorrow",
        ),
        pytest.param(
            {
                "requested_on": D(2026, 3, 2),
                "advice_requested_on": D(2026, 2, 27),
                "draft_sent_on": D(2026, 3, 20),
                "last_review_meeting_on": D(2025, 1, 1),
            },
            {
                "advice_requested_on": f"The date advice was requested {AFTER_REQUEST}",
                "draft_sent_on": "The date the draft plan was sent to the family must be today or in the past",
                "last_review_meeting_on": f"The date of the last annual review meeting {AFTER_REQUEST}",
            },
            id="several at once",
        ),
        pytest.param(
            {
                "requested_on": D(2026, 3, 2),
                "phase_transfer_on": D(2027, 9, 1),
                "phase_transfer_to_post16": True,
            },
            {},
            id="the next phase is in the future",
        ),
        pytest.param(
            {"requested_on": D(2026, 3, 11), "decided_on": D(2026, 3, 12)},
            {
                "requested_on": REQUESTED_PAST,
                "decided_on": "The date the LA decided to assess must be today or in the past",
            },
            id="both in the future",
        ),
        pytest.param(
            {"requested_on": D(2026, 1, 5), "draft_sent_on": D(2026, 3, 2), "draft_served_on": D(2026, 3, 1)},
            {
                "draft_served_on": "The date the family received the draft plan must be the same as or after "
                "the date the draft plan was sent to the family"
            },
            id="reg_13_1_a_served_before_it_was_sent",
        ),
        pytest.param(
            {"requested_on": D(2026, 1, 5), "draft_served_on": D(2026, 3, 2)},
            {"draft_served_on": "Enter the date the draft plan was sent to the family as well"},
            id="reg_13_1_a_served_without_being_sent",
        ),
        pytest.param(
            {"requested_on": D(2026, 1, 5), "draft_sent_on": D(2026, 3, 2), "draft_served_on": D(2026, 3, 2)},
            {},
            id="reg_13_1_a_handed_over_the_day_it_was_sent",
        ),
        pytest.param(
            {"requested_on": D(2024, 1, 5), "last_review_concluded_on": D(2026, 3, 11)},
            {
                "last_review_concluded_on": "The date the LA sent its decision on the last annual review must be "
                "today or in the past"
            },
            id="cfa_s44_review_concluded_tomorrow",
        ),
    ],
)
def test_plan_date_rules(dates, expected):
    assert services.plan_dates_validate(today=TODAY, **dates) == expected


def _date_post(name: str, value: date) -> dict[str, str]:
    return {f"{name}_0": str(value.day), f"{name}_1": str(value.month), f"{name}_2": str(value.year)}


@pytest.mark.django_db
@time_machine.travel("2026-03-10 12:00 +00:00", tick=False)
def test_the_form_and_the_service_refuse_with_the_same_words(world):
    senco = membership_of(make_member("senco", school=world.school_a, email="s@example.org"))
    plan = PlanFactory(
        pupil=PupilFactory(school=world.school_a), school=world.school_a, requested_on=D(2026, 3, 2)
    )
    data = {**_date_post("requested_on", D(2026, 3, 2)), **_date_post("decided_on", D(2026, 3, 1))}
    form = forms.PlanDatesForm(data)
    assert not form.is_valid()
    message = f"The date the LA decided to assess {AFTER_REQUEST}"
    assert form.errors["decided_on"] == [message]
    with pytest.raises(services.PlanDatesInvalid) as refused:
        services.plan_dates_update(plan=plan, by=senco, decided_on=D(2026, 3, 1))
    assert refused.value.errors == {"decided_on": message}
    start = forms.PlanStartForm(_date_post("requested_on", D(2026, 3, 11)))
    assert not start.is_valid() and start.errors["requested_on"] == [REQUESTED_PAST]
    with pytest.raises(services.PlanDatesInvalid) as refused:
        services.plan_start(pupil=PupilFactory(school=world.school_a), requested_on=D(2026, 3, 11), by=senco)
    assert refused.value.errors == {"requested_on": REQUESTED_PAST}


@pytest.mark.django_db
@time_machine.travel("2026-03-10 12:00 +00:00", tick=False)
def test_the_dates_page_shows_the_error_by_its_field_and_saves_nothing(senco_a, plan_a):
    url = reverse("ehcp:plan_dates", args=[plan_a.public_id])
    data = {**_date_post("requested_on", plan_a.requested_on), **_date_post("draft_sent_on", D(2026, 3, 11))}
    response = senco_a.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in page
    assert 'href="#id_draft_sent_on' in page
    assert "The date the draft plan was sent to the family must be today or in the past" in page
    plan_a.refresh_from_db()
    assert plan_a.draft_sent_on is None and Plan.objects.count() == 1


@pytest.mark.django_db
@time_machine.travel("2026-03-10 12:00 +00:00", tick=False)
def test_cfa_s24_a_plan_started_when_the_la_became_responsible(senco_a, world):
    pupil = PupilFactory(school=world.school_a)
    data = {**_date_post("requested_on", D(2026, 3, 2)), "started_by": "responsible"}
    assert senco_a.post(reverse("ehcp:plan_start", args=[pupil.public_id]), data).status_code == 302
    plan = Plan.objects.get(pupil=pupil)
    assert (plan.started_by, plan.requested_on) == ("responsible", D(2026, 3, 2))
    # The same clocks: 6 weeks to decide, 20 to the final plan (Regs 5(1), 13(2)).
    page = senco_a.get(reverse("ehcp:plan_timeline", args=[plan.public_id])).content.decode()
    assert (
        "LA became responsible (s24)" in page
        and "Monday 13 April 2026" in page
        and "Monday 20 July 2026" in page
    )
