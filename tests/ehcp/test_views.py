"""The pages: register, pupil record, plan drafting, the LA's hand-over, and one access event per view."""

from datetime import date

import pytest
from django.urls import reverse

from ehcp import services
from ehcp.models import Need, Plan, PlanVersion, Provision, Pupil
from sendplan.models import AccessEvent
from tests.conftest import membership_of
from tests.ehcp.factories import CarerFactory, PlanFactory, PupilFactory, SupportCycleFactory

pytestmark = pytest.mark.django_db


def pupil_form_data(**overrides):
    data = {
        "first_name": "Ada",
        "last_name": "Brook",
        "date_of_birth_0": "23",
        "date_of_birth_1": "9",
        "date_of_birth_2": "2016",
        "year_group": "4",
        "upn": "",
        "sen_provision": "K",
        "primary_need": "SPLD",
        "secondary_need": "",
    }
    data.update(overrides)
    return data


# --- the register ----------------------------------------------------------------------------------------


def test_register_lists_only_own_school_with_plan_status(senco_a, world, plan_a):
    PupilFactory(school=world.school_b, first_name="Other", last_name="Schoolchild")
    response = senco_a.get(reverse("ehcp:register"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Okoro, Sam" in body
    assert "Schoolchild" not in body
    assert "Draft" in body  # the plan status
    assert "Decide whether to assess" in body or "Issue the final EHC plan" in body  # the next deadline


def test_register_filters_by_need_provision_and_year(senco_a, world):
    PupilFactory(
        school=world.school_a, last_name="Alpha", primary_need="ASD", sen_provision="K", year_group="3"
    )
    PupilFactory(
        school=world.school_a, last_name="Bravo", primary_need="SEMH", sen_provision="E", year_group="5"
    )
    body = senco_a.get(reverse("ehcp:register"), {"need": "ASD"}).content.decode()
    assert "Alpha" in body and "Bravo" not in body
    body = senco_a.get(reverse("ehcp:register"), {"provision": "E"}).content.decode()
    assert "Bravo" in body and "Alpha" not in body
    body = senco_a.get(reverse("ehcp:register"), {"year": "3"}).content.decode()
    assert "Alpha" in body and "Bravo" not in body


def _register_queries(client, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit):
        response = client.get(reverse("ehcp:register"))
    assert response.status_code == 200
    return response


REGISTER_QUERY_LIMIT = 12


@pytest.mark.parametrize("pupils", [5, 200])
def test_register_query_count_does_not_grow(senco_a, world, pupils, django_assert_max_num_queries):
    made = PupilFactory.create_batch(pupils, school=world.school_a)
    for pupil in made[::3]:
        PlanFactory(pupil=pupil, school=world.school_a)
    _register_queries(senco_a, django_assert_max_num_queries, REGISTER_QUERY_LIMIT)


PLAN_PAGE_QUERY_LIMIT = 20


@pytest.mark.parametrize("items", [1, 15])
def test_plan_page_query_count_does_not_grow(
    senco_a, senco_a_user, plan_a, items, django_assert_max_num_queries
):
    version = plan_a.versions.get()
    by = membership_of(senco_a_user)
    for i in range(items):
        services.need_save(version=version, by=by, area_of_need="semh", text=f"Need {i}")
        need = version.needs.last()
        services.provision_save(
            version=version, by=by, section="G", needs=[need], outcomes=[], what=f"Provision {i}", who="Nurse"
        )
    with django_assert_max_num_queries(PLAN_PAGE_QUERY_LIMIT):
        response = senco_a.get(reverse("ehcp:plan_detail", args=[plan_a.public_id]))
    assert response.status_code == 200


# --- adding a pupil: bad input ------------------------------------------------------------------------------


def test_add_pupil_saves_a_valid_pupil(senco_a, world):
    response = senco_a.post(reverse("ehcp:pupil_add"), pupil_form_data(upn="H801200001001"))
    pupil = Pupil.objects.get(last_name="Brook")
    assert response.status_code == 302
    assert pupil.school == world.school_a and pupil.date_of_birth == date(2016, 9, 23)


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"date_of_birth_0": "31", "date_of_birth_1": "2"}, "Date of birth must be a real date"),
        ({"date_of_birth_2": "2099"}, "Date of birth must be in the past"),
        ({"date_of_birth_1": "13"}, "Date of birth must be a real date"),
        ({"primary_need": "XYZ"}, "Select a valid choice"),
        ({"sen_provision": "E", "primary_need": "NSA"}, "NSA can only be used for pupils on SEN support (K)"),
        ({"sen_provision": "N"}, "Pupils with no SEN (N) cannot have a need recorded"),
        ({"sen_provision": "K", "primary_need": ""}, "Select a primary need"),
        ({"secondary_need": "SPLD"}, "Secondary need must be different from the primary need"),
        ({"upn": "A801200001001"}, "Check the UPN"),
        ({"year_group": "15"}, "Select a valid choice"),
        ({"first_name": ""}, "Enter first name"),
    ],
)
def test_add_pupil_bad_input_shows_errors_and_saves_nothing(senco_a, overrides, message):
    response = senco_a.post(reverse("ehcp:pupil_add"), pupil_form_data(**overrides))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in body
    assert "govuk-error-summary" in body
    assert message in body
    assert 'value="Brook"' in body  # input kept
    assert not Pupil.objects.exists()


def test_duplicate_upn_in_school_is_refused(senco_a, world):
    PupilFactory(school=world.school_a, upn="H801200001001")
    response = senco_a.post(reverse("ehcp:pupil_add"), pupil_form_data(upn="h801200001001"))
    assert "already has this UPN" in response.content.decode()
    assert Pupil.objects.count() == 1


# --- one access event per view ---------------------------------------------------------------------------

PUPIL_VIEWS = [
    "pupil_detail",
    "pupil_edit",
    "carer_add",
    "cycle_add",
    "evidence",
    "access_log",
    "pupil_export",
]
PLAN_VIEWS = ["plan_detail", "plan_timeline", "plan_dates", "version_list"]


@pytest.mark.parametrize("name", PUPIL_VIEWS)
def test_each_pupil_view_writes_exactly_one_access_event(senco_a, senco_a_user, pupil_a, name):
    response = senco_a.get(reverse(f"ehcp:{name}", args=[pupil_a.public_id]))
    assert response.status_code == 200
    events = AccessEvent.objects.filter(pupil_id=pupil_a.public_id)
    assert events.count() == 1
    event = events.get()
    assert event.actor == senco_a_user and event.actor_role == "senco" and event.school == pupil_a.school
    assert event.action == ("export" if name == "pupil_export" else "view")


@pytest.mark.parametrize("name", PLAN_VIEWS)
def test_each_plan_view_writes_exactly_one_access_event(senco_a, plan_a, name):
    assert senco_a.get(reverse(f"ehcp:{name}", args=[plan_a.public_id])).status_code == 200
    assert AccessEvent.objects.filter(pupil_id=plan_a.pupil.public_id).count() == 1


@pytest.mark.parametrize("section", ["A", "B", "C", "D", "E", "F", "G", "H1", "H2", "I", "J", "K"])
def test_each_section_page_writes_one_access_event(senco_a, plan_a, section):
    response = senco_a.get(reverse("ehcp:section_detail", args=[plan_a.public_id, section]))
    assert response.status_code == 200
    assert f"Section {section}:" in response.content.decode()
    assert AccessEvent.objects.filter(pupil_id=plan_a.pupil.public_id).count() == 1


def test_item_edit_cycle_edit_and_version_export_write_one_event_each(senco_a, plan_a):
    version = plan_a.versions.get()
    need = version.needs.get()
    cycle = SupportCycleFactory(pupil=plan_a.pupil, school=plan_a.school)
    for url in (
        reverse("ehcp:item_edit", args=[plan_a.public_id, "B", need.public_id]),
        reverse("ehcp:cycle_edit", args=[plan_a.pupil.public_id, cycle.public_id]),
        reverse("ehcp:version_export", args=[plan_a.public_id, version.public_id]),
    ):
        before = AccessEvent.objects.count()
        assert senco_a.get(url).status_code == 200
        assert AccessEvent.objects.count() == before + 1


def test_la_views_of_a_submitted_plan_are_logged_with_the_officers_role(la_officer_x, world, plan_a):
    services.plan_submit(plan=plan_a, by=_senco(world))
    assert la_officer_x.get(reverse("ehcp:plan_detail", args=[plan_a.public_id])).status_code == 200
    event = AccessEvent.objects.get(pupil_id=plan_a.pupil.public_id)
    assert event.actor_role == "la_officer" and event.actor_organisation == "LA X"


def test_the_register_logs_each_pupil_listed_and_a_redirect_logs_nothing(senco_a, world, pupil_a):
    other = PupilFactory(school=world.school_a, first_name="Ola", last_name="Ade")
    senco_a.get(reverse("ehcp:register"))
    assert sorted(AccessEvent.objects.values_list("pupil_id", "what")) == sorted(
        [(pupil_a.public_id, "SEN register"), (other.public_id, "SEN register")]
    )
    senco_a.post(
        reverse("ehcp:carer_add", args=[pupil_a.public_id]), {"name": "Jo", "relationship": "Mother"}
    )
    assert AccessEvent.objects.count() == 2


# --- isolation -------------------------------------------------------------------------------------------


def _senco(world):
    from tests.conftest import make_member

    user = make_member("senco", school=world.school_a, email="another.senco@example.org")
    return membership_of(user)


def pupil_and_plan_urls(plan: Plan) -> list[str]:
    pupil = plan.pupil
    version = plan.versions.get()
    need = version.needs.get()
    carer = CarerFactory(pupil=pupil, school=pupil.school)
    cycle = SupportCycleFactory(pupil=pupil, school=pupil.school)
    p, pl = pupil.public_id, plan.public_id
    return [
        reverse("ehcp:pupil_detail", args=[p]),
        reverse("ehcp:pupil_edit", args=[p]),
        reverse("ehcp:carer_add", args=[p]),
        reverse("ehcp:carer_remove", args=[p, carer.public_id]),
        reverse("ehcp:cycle_add", args=[p]),
        reverse("ehcp:cycle_edit", args=[p, cycle.public_id]),
        reverse("ehcp:evidence", args=[p]),
        reverse("ehcp:access_log", args=[p]),
        reverse("ehcp:pupil_export", args=[p]),
        reverse("ehcp:plan_start", args=[p]),
        reverse("ehcp:plan_detail", args=[pl]),
        reverse("ehcp:plan_timeline", args=[pl]),
        reverse("ehcp:plan_dates", args=[pl]),
        reverse("ehcp:plan_submit", args=[pl]),
        reverse("ehcp:plan_amend", args=[pl]),
        reverse("ehcp:plan_return", args=[pl]),
        reverse("ehcp:plan_finalise", args=[pl]),
        reverse("ehcp:plan_comment", args=[pl]),
        reverse("ehcp:version_list", args=[pl]),
        reverse("ehcp:version_export", args=[pl, version.public_id]),
        reverse("ehcp:section_detail", args=[pl, "B"]),
        reverse("ehcp:section_complete", args=[pl, "B"]),
        reverse("ehcp:item_edit", args=[pl, "B", need.public_id]),
        reverse("ehcp:item_remove", args=[pl, "B", need.public_id]),
    ]


@pytest.mark.parametrize("persona", ["senco_b", "governor_a", "la_officer_y", "la_admin_y", "la_officer_x"])
def test_outsiders_get_404_on_every_pupil_and_plan_url_of_school_a(request, persona, plan_a):
    client = request.getfixturevalue(persona)
    version = plan_a.versions.get()
    before = (Need.objects.count(), version.status, AccessEvent.objects.count())
    failures = []
    for url in pupil_and_plan_urls(plan_a):
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            if status not in (404, 405):
                failures.append(f"{method.upper()} {url}: {status}")
    assert not failures, "\n".join(failures)
    version.refresh_from_db()
    assert (Need.objects.count(), version.status, AccessEvent.objects.count()) == before


def test_anonymous_is_sent_to_sign_in_and_sees_nothing(anonymous, plan_a):
    for url in pupil_and_plan_urls(plan_a):
        response = anonymous.get(url)
        assert response.status_code in (302, 405) and (
            response.status_code == 405 or "/accounts/login/" in response["Location"]
        ), url
    assert AccessEvent.objects.count() == 0


def test_la_officer_of_the_school_la_sees_a_plan_only_once_submitted(
    la_officer_x, la_officer_y, world, plan_a
):
    url = reverse("ehcp:plan_detail", args=[plan_a.public_id])
    assert la_officer_x.get(url).status_code == 404
    assert b"Okoro" not in la_officer_x.get(reverse("ehcp:la_plan_list")).content
    services.plan_submit(plan=plan_a, by=_senco(world))
    response = la_officer_x.get(url)
    assert response.status_code == 200 and b"Sam Okoro" in response.content
    assert b"Okoro" in la_officer_x.get(reverse("ehcp:la_plan_list")).content
    assert la_officer_y.get(url).status_code == 404
    assert b"Okoro" not in la_officer_y.get(reverse("ehcp:la_plan_list")).content
    # The pupil record itself stays closed to the LA.
    assert la_officer_x.get(reverse("ehcp:pupil_detail", args=[plan_a.pupil.public_id])).status_code == 404


def test_la_does_not_see_the_schools_later_draft(la_officer_x, world, plan_a):
    senco = _senco(world)
    services.plan_submit(plan=plan_a, by=senco)
    services.plan_finalise(plan=plan_a, by=membership_of(_la_officer(world)))
    services.plan_amendments_start(plan=plan_a, by=senco)
    versions = la_officer_x.get(reverse("ehcp:version_list", args=[plan_a.public_id])).content.decode()
    assert "Proposed amendments" not in versions
    draft = plan_a.versions.get(number=2)
    url = reverse("ehcp:version_export", args=[plan_a.public_id, draft.public_id])
    assert la_officer_x.get(url).status_code == 404


def _la_officer(world):
    from tests.conftest import make_member

    return make_member("la_officer", la=world.la_x, email="another.officer@example.org")


def test_governor_home_panel_shows_counts_only(governor_a, world):
    PupilFactory(
        school=world.school_a,
        first_name="Visible",
        last_name="Nowhere",
        sen_provision="E",
        primary_need="ASD",
    )
    PupilFactory(school=world.school_a, sen_provision="K", primary_need="SPLD")
    PupilFactory(school=world.school_a, sen_provision="K", primary_need="NSA")
    PupilFactory(school=world.school_b, sen_provision="E", primary_need="ASD")
    body = governor_a.get(reverse("home")).content.decode()
    assert "1 pupil with an EHC plan (E) and 2 on SEN support (K)" in body
    assert "Nowhere" not in body and "Visible" not in body
    assert reverse("ehcp:register") not in body
    assert governor_a.get(reverse("ehcp:register")).status_code == 404


# --- drafting and hand-over through the pages ----------------------------------------------------------------


def test_section_pages_add_items_and_show_findings(senco_a, plan_a):
    url = reverse("ehcp:section_detail", args=[plan_a.public_id, "F"])
    response = senco_a.post(url, {"what": "Access to a quiet space as required"})
    assert response.status_code == 302
    page = senco_a.get(url).content.decode()
    assert "Section F, provision 2 does not say who delivers it" in page
    assert "&#x27;as required&#x27; is vague" in page or "'as required' is vague" in page


def test_text_section_saves_and_marks_completed(senco_a, plan_a):
    url = reverse("ehcp:section_detail", args=[plan_a.public_id, "A"])
    response = senco_a.post(
        url, {"a_views": "Loves trains.", "a_history": "", "a_communication": "", "completed": "yes"}
    )
    assert response.status_code == 302
    version = plan_a.versions.get()
    assert version.a_views == "Loves trains." and version.completed_sections == ["A"]


def test_text_section_without_completion_answer_keeps_input(senco_a, plan_a):
    url = reverse("ehcp:section_detail", args=[plan_a.public_id, "A"])
    response = senco_a.post(url, {"a_views": "Loves trains."})
    assert (
        response.status_code == 200 and b"Select whether you have completed this section" in response.content
    )
    assert b"Loves trains." in response.content
    assert plan_a.versions.get().a_views == ""


def test_submit_return_resubmit_finalise_through_the_pages(senco_a, la_officer_x, plan_a):
    detail = reverse("ehcp:plan_detail", args=[plan_a.public_id])
    assert senco_a.post(reverse("ehcp:plan_submit", args=[plan_a.public_id])).status_code == 302
    # While with the LA, the school cannot change the draft.
    senco_a.post(
        reverse("ehcp:section_detail", args=[plan_a.public_id, "B"]), {"area_of_need": "semh", "text": "x"}
    )
    assert plan_a.versions.get().needs.count() == 1
    response = la_officer_x.post(reverse("ehcp:plan_return", args=[plan_a.public_id]), {"reason": ""})
    assert response.status_code == 200 and b"Enter what the school should change" in response.content
    la_officer_x.post(reverse("ehcp:plan_return", args=[plan_a.public_id]), {"reason": "Quantify section F."})
    assert [(v.number, v.status) for v in plan_a.versions.order_by("number")] == [
        (1, "returned"),
        (2, "draft"),
    ]
    assert b"Quantify section F." in senco_a.get(detail).content  # the reason shows on the redraft
    senco_a.post(reverse("ehcp:plan_submit", args=[plan_a.public_id]))
    # Nothing is recorded (decision, draft served, section I): the page lists it and asks to confirm.
    finalise = reverse("ehcp:plan_finalise", args=[plan_a.public_id])
    response = la_officer_x.post(finalise)
    assert response.status_code == 200 and b"Confirm that you want to make the plan final" in response.content
    assert plan_a.versions.get(number=2).status == "submitted"
    la_officer_x.post(finalise, {"confirm": "on"})
    version = plan_a.versions.get(number=2)
    assert version.status == "final" and version.kind == "final"
    plan_a.refresh_from_db()
    assert plan_a.status == "final" and plan_a.final_issued_on is not None


def test_after_a_return_the_la_reads_what_was_submitted_not_the_redraft(senco_a, la_officer_x, plan_a):
    """Security review, finding 4: the LA read the school's half-finished redraft after returning a plan."""
    senco_a.post(reverse("ehcp:plan_submit", args=[plan_a.public_id]))
    la_officer_x.post(reverse("ehcp:plan_return", args=[plan_a.public_id]), {"reason": "Quantify section F."})
    senco_a.post(
        reverse("ehcp:section_detail", args=[plan_a.public_id, "B"]),
        {"area_of_need": "semh", "text": "Half-finished new need"},
    )
    assert (
        b"Half-finished new need"
        in senco_a.get(reverse("ehcp:section_detail", args=[plan_a.public_id, "B"])).content
    )
    for name in ("plan_detail", "version_list"):
        page = la_officer_x.get(reverse(f"ehcp:{name}", args=[plan_a.public_id])).content
        assert b"Half-finished new need" not in page
    page = la_officer_x.get(reverse("ehcp:section_detail", args=[plan_a.public_id, "B"]))
    assert page.status_code == 200 and b"Half-finished new need" not in page.content
    redraft = plan_a.versions.get(number=2)
    export = la_officer_x.get(reverse("ehcp:version_export", args=[plan_a.public_id, redraft.public_id]))
    assert export.status_code == 404


def test_version_export_is_structured_json(senco_a, plan_a):
    version = plan_a.versions.get()
    response = senco_a.get(reverse("ehcp:version_export", args=[plan_a.public_id, version.public_id]))
    assert response["Content-Disposition"].startswith("attachment")
    data = response.json()
    assert list(data["sections"]) == ["A", "B", "C", "D", "E", "F", "G", "H1", "H2", "I", "J", "K"]
    need_id = data["sections"]["B"]["needs"][0]["id"]
    assert data["sections"]["E"]["outcomes"][0]["needs"] == [need_id]
    assert data["sections"]["F"]["provision"][0]["needs"] == [need_id]


def test_subject_access_export_includes_everything_and_the_access_log(senco_a, plan_a):
    CarerFactory(pupil=plan_a.pupil, school=plan_a.school, name="Grace Okoro")
    SupportCycleFactory(pupil=plan_a.pupil, school=plan_a.school)
    senco_a.get(reverse("ehcp:pupil_detail", args=[plan_a.pupil.public_id]))
    data = senco_a.get(reverse("ehcp:pupil_export", args=[plan_a.pupil.public_id])).json()
    assert data["pupil"]["last_name"] == "Okoro"
    assert data["carers"][0]["name"] == "Grace Okoro"
    assert len(data["graduated_approach"]) == 1
    assert data["plans"][0]["versions"][0]["sections"]["B"]["needs"]
    assert [e["action"] for e in data["access_log"]] == ["view", "export"]


def test_evidence_page_without_audits_says_no_submitted_audit(senco_a, pupil_a):
    body = senco_a.get(reverse("ehcp:evidence", args=[pupil_a.public_id])).content.decode()
    assert "No submitted audit yet" in body or "Latest submitted audit ratings" in body


def test_school_deadlines_lists_every_outstanding_deadline(senco_a, world, plan_a):
    other = PlanFactory(pupil=PupilFactory(school=world.school_a, last_name="Zed"), school=world.school_a)
    PlanFactory(pupil=PupilFactory(school=world.school_b, last_name="Elsewhere"), school=world.school_b)
    assert other
    body = senco_a.get(reverse("ehcp:school_deadlines")).content.decode()
    assert "Okoro" in body and "Zed" in body and "Elsewhere" not in body


def test_plan_start_refuses_a_future_date(senco_a, pupil_a):
    response = senco_a.post(
        reverse("ehcp:plan_start", args=[pupil_a.public_id]),
        {"requested_on_0": "1", "requested_on_1": "1", "requested_on_2": "2099"},
    )
    assert response.status_code == 200 and b"today or in the past" in response.content
    assert not Plan.objects.exists()


def test_provision_linked_to_another_plans_need_is_refused(senco_a, world, plan_a):
    other = PlanFactory(pupil=PupilFactory(school=world.school_a), school=world.school_a)
    foreign = Need.objects.create(
        version=other.versions.get(), school=world.school_a, area_of_need="semh", text="x"
    )
    url = reverse("ehcp:section_detail", args=[plan_a.public_id, "F"])
    response = senco_a.post(url, {"what": "Therapy", "needs": [str(foreign.public_id)]})
    assert response.status_code == 200  # not a valid choice on this plan's form
    assert not Provision.objects.filter(what="Therapy").exists()
    assert PlanVersion.objects.count() == 2


def test_pupil_edit_saves_changes_and_legal_hold(senco_a, pupil_a):
    data = pupil_form_data(
        first_name="Samuel", last_name="Okoro", sen_provision="E", primary_need="ASD", legal_hold="on"
    )
    response = senco_a.post(reverse("ehcp:pupil_edit", args=[pupil_a.public_id]), data)
    assert response.status_code == 302
    pupil_a.refresh_from_db()
    assert (pupil_a.first_name, pupil_a.primary_need, pupil_a.legal_hold) == ("Samuel", "ASD", True)


def test_cycle_with_review_before_start_is_refused(senco_a, pupil_a):
    data = {
        "started_on_0": "10", "started_on_1": "9", "started_on_2": "2025",
        "review_date_0": "1", "review_date_1": "9", "review_date_2": "2025",
        "assessed": "Phonics", "outcomes_sought": "Read 40 words", "provision_what": "Group phonics",
        "provision_frequency": "3 times a week", "provision_who": "TA",
    }  # fmt: skip
    response = senco_a.post(reverse("ehcp:cycle_add", args=[pupil_a.public_id]), data)
    assert response.status_code == 200 and b"Review date must be on or after" in response.content
    assert not pupil_a.cycles.exists()
    data["review_date_1"] = "12"
    assert senco_a.post(reverse("ehcp:cycle_add", args=[pupil_a.public_id]), data).status_code == 302
    assert pupil_a.cycles.get().review_date == date(2025, 12, 1)


def test_plan_dates_refuse_a_date_before_the_request(senco_a, plan_a):
    url = reverse("ehcp:plan_dates", args=[plan_a.public_id])
    data = {"requested_on_0": "2", "requested_on_1": "3", "requested_on_2": "2026"}
    bad = {**data, "final_issued_on_0": "1", "final_issued_on_1": "1", "final_issued_on_2": "2026"}
    response = senco_a.post(url, bad)
    assert (
        response.status_code == 200
        and b"The date the final plan was issued must be the same as or after the date the assessment was requested"
        in response.content
    )
    plan_a.refresh_from_db()
    assert plan_a.final_issued_on is None
    good = {
        **data,
        "draft_sent_on_0": "1",
        "draft_sent_on_1": "6",
        "draft_sent_on_2": "2026",
        "phase_transfer_to_post16": "on",
    }
    assert senco_a.post(url, good).status_code == 302
    plan_a.refresh_from_db()
    assert plan_a.draft_sent_on == date(2026, 6, 1) and plan_a.phase_transfer_to_post16


def test_compare_page_shows_added_and_changed_items(senco_a, world, plan_a):
    senco = _senco(world)
    services.plan_submit(plan=plan_a, by=senco)
    services.plan_finalise(plan=plan_a, by=membership_of(_la_officer(world)))
    amended = services.plan_amendments_start(plan=plan_a, by=senco)
    services.need_save(version=amended, by=senco, area_of_need="semh", text="Anxious at transitions")
    body = senco_a.get(
        reverse("ehcp:version_list", args=[plan_a.public_id]), {"old": "1", "new": "2"}
    ).content.decode()
    assert "Changes from version 1 to version 2" in body
    assert "Anxious at transitions" in body and "Added" in body


def test_starting_a_plan_twice_leads_to_the_plan_that_exists(senco_a, senco_a_user, monkeypatch, pupil_a):
    """The losing request of a double click is told the plan exists and taken to it (no error page)."""
    real_start = services.plan_start

    def colleague_first(**kwargs):  # the other request commits between this one's check and its insert
        real_start(**kwargs)
        return real_start(**kwargs)

    monkeypatch.setattr(services, "plan_start", colleague_first)
    url = reverse("ehcp:plan_start", args=[pupil_a.public_id])
    data = {"requested_on_0": "5", "requested_on_1": "1", "requested_on_2": "2026"}
    response = senco_a.post(url, data, follow=True)
    plan = pupil_a.plans.get()
    assert response.redirect_chain[-1][0] == reverse("ehcp:plan_detail", args=[plan.public_id])
    assert "already has a plan. This is it." in response.content.decode()
