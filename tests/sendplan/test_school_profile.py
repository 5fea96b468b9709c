"""A school's profile for LA staff: its people, audits over the years with levels, plans, the LA's record."""

import re

import pytest
from django.urls import reverse

from ehcp import services as plan_services
from sendplan.models import AccessEvent
from tests.audits.round_data import build_round
from tests.conftest import membership_of
from tests.ehcp.factories import PlanFactory, PupilFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(world, senco_a_user, la_officer_x_user):
    return build_round(world, senco_a_user, la_officer_x_user)


def _url(school) -> str:
    return reverse("sendplan:school_detail", kwargs={"school_id": school.public_id})


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _submitted_plan(school, senco, first_name="Jo", last_name="Bloggs"):
    plan = PlanFactory(pupil=PupilFactory(school=school, first_name=first_name, last_name=last_name))
    plan_services.plan_submit(plan=plan, by=senco)
    return plan


def test_the_profile_shows_people_audits_with_levels_plans_and_the_las_record(
    la_officer_x, data, senco_a_user, headteacher_a_user
):
    plan = _submitted_plan(data.schools["A"], data.sencos["A"])
    PlanFactory(pupil=PupilFactory(school=data.schools["A"], first_name="Draft", last_name="Only"))
    response = la_officer_x.get(_url(data.schools["A"]))
    assert response.status_code == 200
    text = _text(response)
    # The SENCO and the headteacher, by name and email.
    for user in (senco_a_user, headteacher_a_user):
        assert user.full_name in text and user.email in text
    # The accepted audit with its level by name and its statutory duty not met.
    [audit] = response.context["audits"]
    assert (audit.academic_year, audit.level.level_label, audit.level.duties_unmet) == (
        "2026/27",
        "Emerging",
        1,
    )
    assert [(row.section.ref, row.level_label) for row in audit.section_levels] == [
        ("S1", "Emerging"),
        ("S2", "Established"),
    ]
    # The plan handed to the LA, with its next statutory deadline; never a plan the school still drafts.
    assert [row["plan"] for row in response.context["plans"]] == [plan]
    assert "Jo Bloggs" in text and "Draft Only" not in text
    nxt = response.context["plans"][0]["next"]
    assert nxt is not None and nxt.label in text
    # The pupils shown are in the access log.
    assert AccessEvent.objects.filter(
        pupil_id=plan.pupil.public_id, actor__email="officer.x@example.org"
    ).exists()
    # The LA's decision.
    assert [item["kind"] for item in response.context["record"]] == ["Accepted"]


def test_returned_and_resubmitted_audits_and_the_las_comments(la_officer_x, data):
    text = _text(la_officer_x.get(_url(data.schools["Beech"])))
    assert "Returned for changes" in text and "Say more about S1-01." in text
    assert "Embedded" in text  # the resubmission's level
    cedar = la_officer_x.get(_url(data.schools["Cedar"]))
    [audit] = cedar.context["audits"]
    assert audit.level is None  # back with the school: not counted
    assert "Not counted while returned to the school" in _text(cedar)


def test_audits_over_the_years(la_officer_x, data, la_officer_x_user):
    from audits import services

    fir = data.schools["Fir"]
    services.audit_accept(audit=data.audits["Fir"], by=membership_of(la_officer_x_user))
    carried = services.audit_carry_forward(
        previous=data.audits["Fir"],
        framework_version=data.version,
        academic_year="2026/27",
        by=data.sencos["Fir"],
    )
    services.ratings_confirm(audit=carried, section=None, by=data.sencos["Fir"])
    services.audit_submit(audit=carried, by=data.sencos["Fir"])
    audits = la_officer_x.get(_url(fir)).context["audits"]
    assert [(a.academic_year, a.level.level_label) for a in audits] == [
        ("2026/27", "Established"),
        ("2025/26", "Established"),
    ]


def test_drafts_never_appear_on_the_profile(la_officer_x, data):
    response = la_officer_x.get(_url(data.schools["Damson"]))
    assert response.context["audits"] == []
    assert "has not handed an audit" in _text(response)


def test_isolation(la_officer_y, la_admin_y, senco_a, headteacher_a, governor_a, data):
    for client in (la_officer_y, la_admin_y):
        assert client.get(_url(data.schools["A"])).status_code == 404
    for client in (senco_a, headteacher_a, governor_a):
        assert client.get(_url(data.schools["A"])).status_code == 403


# 4 middleware + school + people + audits + section levels + plans + their reviews + the LA's comments and
# decisions on audits + on plans + the access log (one insert) + 3 to save the session; the same with one
# plan or five.
PROFILE_QUERIES = 16


@pytest.mark.parametrize("plans", [1, 5])
def test_a_fixed_number_of_queries(la_officer_x, data, plans, django_assert_num_queries):
    for n in range(plans):
        _submitted_plan(data.schools["A"], data.sencos["A"], first_name=f"P{n}")
    la_officer_x.get(_url(data.schools["A"]))
    with django_assert_num_queries(PROFILE_QUERIES):
        response = la_officer_x.get(_url(data.schools["A"]))
    assert len(response.context["plans"]) == plans


def test_the_las_decisions_on_plans(la_officer_x, data, la_officer_x_user):
    plan = _submitted_plan(data.schools["A"], data.sencos["A"], first_name="Sam", last_name="Reed")
    plan_services.plan_return(plan=plan, by=membership_of(la_officer_x_user), reason="Section F is vague.")
    response = la_officer_x.get(_url(data.schools["A"]))
    kinds = [(item["about"], item["kind"], item["text"]) for item in response.context["record"]]
    assert kinds[0] == ("EHC plan: Sam Reed", "Plan returned to the school", "Section F is vague.")
    assert ("2026/27 audit", "Accepted", "") in kinds
