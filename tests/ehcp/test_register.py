"""The register as SENCOs keep it (issue 12, section 4): leavers, records added in error, year groups by
phase, search by name, the fields kept beside the census codes, census consistency and the legal hold."""

from datetime import date, timedelta

import pytest
from django.contrib.admin.sites import AdminSite
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from ehcp import selectors, services
from ehcp.admin import PupilLegalHoldAdmin
from ehcp.models import Carer, Plan, PlanVersion, Pupil
from sendplan import policy
from sendplan.models import AccessEvent, School
from tests.conftest import membership_of
from tests.ehcp.factories import CarerFactory, PlanFactory, PupilFactory, SupportCycleFactory
from tests.ehcp.test_views import REGISTER_QUERY_LIMIT, pupil_form_data

pytestmark = pytest.mark.django_db


def final_plan(pupil: Pupil) -> Plan:
    plan = PlanFactory(pupil=pupil, school=pupil.school)
    PlanVersion.objects.filter(plan=plan).update(status="final", kind="final", finalised_at=timezone.now())
    Plan.objects.filter(pk=plan.pk).update(status="final")
    return plan


# --- leavers -----------------------------------------------------------------------------------------------


def test_a_leaver_drops_out_of_the_register_and_the_counts_and_keeps_their_record(senco_a, world):
    staying = PupilFactory(school=world.school_a, last_name="Staying", sen_provision="K", primary_need="ASD")
    leaving = PupilFactory(school=world.school_a, last_name="Leaving", sen_provision="E", primary_need="SEMH")
    assert selectors.school_sen_counts(world.school_a)["E"] == 1

    url = reverse("ehcp:pupil_leave", args=[leaving.public_id])
    response = senco_a.post(url, {"left_on_0": "18", "left_on_1": "7", "left_on_2": "2026"})
    assert response.status_code == 302
    leaving.refresh_from_db()
    assert leaving.left_on == date(2026, 7, 18)

    register = senco_a.get(reverse("ehcp:register")).content.decode()
    assert "Staying, " in register and "Leaving, " not in register
    counts = selectors.school_sen_counts(world.school_a)
    assert (counts["E"], counts["K"]) == (0, 1)
    assert dict(counts["areas"])["Social, emotional and mental health"] == 0
    left = senco_a.get(reverse("ehcp:register"), {"left": "1"}).content.decode()
    assert "Leaving, " in left and "Staying, " not in left and "18 Jul 2026" in left
    page = senco_a.get(reverse("ehcp:pupil_detail", args=[leaving.public_id])).content.decode()
    assert "Left the school on 18 July 2026" in page
    assert staying.pk and Pupil.objects.filter(pk=leaving.pk).exists()  # kept for retention


def test_putting_a_leaver_back_returns_them_to_the_register(senco_a, world):
    pupil = PupilFactory(school=world.school_a, last_name="Returner", left_on=date(2026, 1, 5))
    response = senco_a.post(reverse("ehcp:pupil_rejoin", args=[pupil.public_id]))
    assert response.status_code == 302
    pupil.refresh_from_db()
    assert pupil.left_on is None
    assert "Returner" in senco_a.get(reverse("ehcp:register")).content.decode()


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (date.today() + timedelta(days=1), "Date the pupil left must be today or in the past"),
        (date(2010, 1, 1), "Date the pupil left must be after their date of birth"),
    ],
)
def test_a_leaving_date_in_the_future_or_before_birth_is_refused_with_the_input_kept(
    senco_a, world, day, message
):
    pupil = PupilFactory(school=world.school_a, date_of_birth=date(2016, 9, 23))
    data = {"left_on_0": str(day.day), "left_on_1": str(day.month), "left_on_2": str(day.year)}
    response = senco_a.post(reverse("ehcp:pupil_leave", args=[pupil.public_id]), data)
    body = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in body and message in body
    assert f'value="{day.year}"' in body
    pupil.refresh_from_db()
    assert pupil.left_on is None


# --- records added in error ----------------------------------------------------------------------------------


def test_removing_a_record_added_in_error_keeps_its_access_log(senco_a, world):
    pupil = PupilFactory(school=world.school_a, first_name="Wrong", last_name="Entry")
    CarerFactory(pupil=pupil, school=world.school_a)
    SupportCycleFactory(pupil=pupil, school=world.school_a)
    url = reverse("ehcp:pupil_remove", args=[pupil.public_id])
    page = senco_a.get(url).content.decode()
    assert "Remove a record added in error" in page and "It cannot be undone" in page
    public_id = pupil.public_id

    response = senco_a.post(url, {"confirm": "yes"})
    assert response.status_code == 302 and response["Location"] == reverse("ehcp:register")
    assert not Pupil.objects.filter(public_id=public_id).exists() and not Carer.objects.exists()
    log = list(AccessEvent.objects.filter(pupil_id=public_id).order_by("at").values_list("what", flat=True))
    assert log == ["Remove the record (confirm)", "Record removed: added in error"]


def test_answering_no_keeps_the_record(senco_a, world):
    pupil = PupilFactory(school=world.school_a)
    response = senco_a.post(reverse("ehcp:pupil_remove", args=[pupil.public_id]), {"confirm": "no"})
    assert response["Location"] == reverse("ehcp:pupil_detail", args=[pupil.public_id])
    assert Pupil.objects.filter(pk=pupil.pk).exists()


@pytest.mark.parametrize("why", ["plan", "legal_hold"])
def test_a_record_with_a_plan_or_under_a_legal_hold_cannot_be_removed(senco_a, world, why):
    pupil = PupilFactory(school=world.school_a, legal_hold=(why == "legal_hold"))
    if why == "plan":
        PlanFactory(pupil=pupil, school=world.school_a)
    url = reverse("ehcp:pupil_remove", args=[pupil.public_id])
    assert "This record cannot be removed" in senco_a.get(url).content.decode()
    senco_a.post(url, {"confirm": "yes"})
    assert Pupil.objects.filter(pk=pupil.pk).exists()
    with pytest.raises(services.PupilNotRemovable):
        services.pupil_remove(pupil=pupil, by=membership_of(pupil.school.memberships.get(role="senco").user))


# --- year groups, search, the fields beside the census codes --------------------------------------------------


def test_year_groups_offered_follow_the_schools_phase(senco_a, world):
    School.objects.filter(pk=world.school_a.pk).update(phase=School.Phase.SECONDARY)
    form = senco_a.get(reverse("ehcp:pupil_add")).content.decode()
    assert '<option value="7">Year 7</option>' in form and '<option value="4">Year 4</option>' not in form
    register = senco_a.get(reverse("ehcp:register")).content.decode()
    assert '<option value="13">Year 13</option>' in register and '<option value="R">' not in register

    response = senco_a.post(reverse("ehcp:pupil_add"), pupil_form_data(year_group="4"))
    assert response.status_code == 200 and "<title>Error: " in response.content.decode()
    assert not Pupil.objects.exists()
    errors = services.pupil_validate(
        school=School.objects.get(pk=world.school_a.pk), **{**VALID, "year_group": "4"}
    )
    assert errors == {
        "year_group": "Year 4 is not taught at a secondary school: choose from Year 7 to Year 13"
    }


VALID = {
    "first_name": "Ada",
    "last_name": "Brook",
    "date_of_birth": date(2012, 9, 23),
    "year_group": "9",
    "upn": "",
    "sen_provision": "K",
    "primary_need": "SPLD",
    "secondary_need": "",
}


def test_search_by_name_finds_every_word_in_first_or_last_name(senco_a, world):
    PupilFactory(school=world.school_a, first_name="Sam", last_name="Okoro")
    PupilFactory(school=world.school_a, first_name="Samira", last_name="Khan")
    PupilFactory(school=world.school_a, first_name="Tom", last_name="Samson")
    body = senco_a.get(reverse("ehcp:register"), {"search": "sam ok"}).content.decode()
    assert "Okoro, Sam" in body and "Khan" not in body and "Samson" not in body
    body = senco_a.get(reverse("ehcp:register"), {"search": "SAM"}).content.decode()
    assert "Okoro, Sam" in body and "Khan, Samira" in body and "Samson, Tom" in body


def test_the_fields_kept_beside_the_census_codes_are_saved_and_shown(senco_a, world):
    data = pupil_form_data(
        indicators=["free_school_meals", "eal"],
        looked_after="previous",
        added_to_register_on_0="4",
        added_to_register_on_1="9",
        added_to_register_on_2="2025",
    )
    response = senco_a.post(reverse("ehcp:pupil_add"), data)
    assert response.status_code == 302
    pupil = Pupil.objects.get()
    assert (pupil.free_school_meals, pupil.pupil_premium, pupil.eal) == (True, False, True)
    assert (pupil.looked_after, pupil.added_to_register_on) == ("previous", date(2025, 9, 4))
    page = senco_a.get(reverse("ehcp:pupil_detail", args=[pupil.public_id])).content.decode()
    assert "4 September 2025" in page and "Previously looked after" in page and "Eligible" in page


def test_a_date_added_to_the_register_before_birth_is_refused(senco_a, world):
    data = pupil_form_data(
        added_to_register_on_0="1", added_to_register_on_1="1", added_to_register_on_2="2015"
    )
    body = senco_a.post(reverse("ehcp:pupil_add"), data).content.decode()
    assert "Date added to the SEN register must be after the date of birth" in body
    assert not Pupil.objects.exists()


def test_nsa_with_a_secondary_need_is_refused(senco_a, world):
    body = senco_a.post(
        reverse("ehcp:pupil_add"), pupil_form_data(primary_need="NSA", secondary_need="MLD")
    ).content.decode()
    assert "Secondary need must be blank when the primary need is NSA" in body
    assert not Pupil.objects.exists()


# --- census consistency ----------------------------------------------------------------------------------------


def test_census_codes_inconsistent_with_the_plan_are_flagged_on_the_register_and_the_pupil_page(
    senco_a, world
):
    k_final = PupilFactory(school=world.school_a, last_name="Kayfinal", sen_provision="K")
    final_plan(k_final)
    e_none = PupilFactory(school=world.school_a, last_name="Eenone", sen_provision="E")
    e_final = PupilFactory(school=world.school_a, last_name="Eefinal", sen_provision="E")
    final_plan(e_final)
    register = senco_a.get(reverse("ehcp:register")).content.decode()
    assert register.count("Check census code") == 2
    assert "Coded K (SEN support), but has a final EHC plan: the census code should be E" in register
    assert "Coded E (EHC plan), but no final EHC plan is recorded" in register
    for pupil, flagged in ((k_final, True), (e_none, True), (e_final, False)):
        page = senco_a.get(reverse("ehcp:pupil_detail", args=[pupil.public_id])).content.decode()
        assert ("Check the census code." in page) is flagged


def test_the_register_query_count_holds_with_flags_and_leavers(senco_a, world, django_assert_max_num_queries):
    pupils = PupilFactory.create_batch(60, school=world.school_a, sen_provision="E")
    for pupil in pupils[::4]:
        final_plan(pupil)
    for pupil in pupils[1::4]:
        PlanFactory(pupil=pupil, school=world.school_a)
    Pupil.objects.filter(pk__in=[p.pk for p in pupils[2::4]]).update(left_on=date(2026, 1, 5))
    with django_assert_max_num_queries(REGISTER_QUERY_LIMIT):
        response = senco_a.get(reverse("ehcp:register"))
    assert response.status_code == 200
    with django_assert_max_num_queries(REGISTER_QUERY_LIMIT):
        assert senco_a.get(reverse("ehcp:register"), {"left": "1"}).status_code == 200


# --- the legal hold ----------------------------------------------------------------------------------------------


@pytest.fixture
def handed_plan(world):
    pupil = PupilFactory(school=world.school_a, first_name="Held", last_name="Pupil", sen_provision="E")
    return PlanFactory(pupil=pupil, school=world.school_a, status=PlanVersion.Status.SUBMITTED)


def test_the_la_admin_places_and_lifts_a_legal_hold_on_a_plan_handed_to_the_la(
    la_admin_x, handed_plan, senco_a
):
    url = reverse("ehcp:legal_hold", args=[handed_plan.public_id])
    listing = la_admin_x.get(reverse("ehcp:legal_holds")).content.decode()
    assert "Held Pupil" in listing and url in listing
    response = la_admin_x.post(url, {"hold": "yes", "reason": "Tribunal appeal"})
    assert response.status_code == 302
    pupil = Pupil.objects.get(pk=handed_plan.pupil_id)
    assert (pupil.legal_hold, pupil.legal_hold_reason, pupil.legal_hold_set_by.email) == (
        True, "Tribunal appeal", "admin.x@example.org"
    )  # fmt: skip
    page = senco_a.get(reverse("ehcp:pupil_detail", args=[pupil.public_id])).content.decode()
    assert "Tribunal appeal" in page and "Only the LA or the data protection officer can lift it" in page
    la_admin_x.post(url, {"hold": "no"})
    pupil.refresh_from_db()
    assert (pupil.legal_hold, pupil.legal_hold_reason) == (False, "")


def test_a_legal_hold_needs_a_reason(la_admin_x, handed_plan):
    response = la_admin_x.post(reverse("ehcp:legal_hold", args=[handed_plan.public_id]), {"hold": "yes"})
    body = response.content.decode()
    assert (
        response.status_code == 200
        and "<title>Error: " in body
        and "Enter why the record must be kept" in body
    )
    assert not Pupil.objects.get(pk=handed_plan.pupil_id).legal_hold


def test_no_one_else_sets_a_legal_hold(world, handed_plan, senco_a_user, la_officer_x_user, la_admin_y_user):
    draft = PlanFactory(pupil=PupilFactory(school=world.school_a), school=world.school_a)  # not handed over
    for user, plan in (
        (senco_a_user, handed_plan),
        (la_officer_x_user, handed_plan),
        (la_admin_y_user, handed_plan),
    ):
        with pytest.raises(policy.NotAllowed):
            services.pupil_legal_hold_set(plan=plan, by=membership_of(user), hold=True, reason="x")
    assert not Pupil.objects.filter(legal_hold=True).exists()
    assert draft.pupil.legal_hold is False


def test_the_data_protection_officer_sets_a_legal_hold_in_the_django_admin(world):
    from tests.factories import UserFactory

    dpo = UserFactory(is_staff=True)
    pupil = PupilFactory(school=world.school_a)
    request = RequestFactory().post("/admin/")
    request.user = dpo
    pupil.legal_hold, pupil.legal_hold_reason = True, "Subject access dispute"
    admin = PupilLegalHoldAdmin(Pupil, AdminSite())
    admin.save_model(request, pupil, form=None, change=True)
    pupil.refresh_from_db()
    assert (pupil.legal_hold, pupil.legal_hold_set_by) == (True, dpo)
    assert not admin.has_add_permission(request) and not admin.has_delete_permission(request, pupil)
    assert "legal_hold" not in admin.readonly_fields and "first_name" not in admin.fields


LEGAL_HOLDS_QUERY_LIMIT = 10


@pytest.mark.parametrize("plans", [3, 60])
def test_the_legal_holds_list_query_count_does_not_grow(
    la_admin_x, world, plans, django_assert_max_num_queries
):
    for _ in range(plans):
        pupil = PupilFactory(school=world.school_a, sen_provision="E")
        PlanFactory(pupil=pupil, school=world.school_a, status=PlanVersion.Status.SUBMITTED)
    with django_assert_max_num_queries(LEGAL_HOLDS_QUERY_LIMIT):
        assert la_admin_x.get(reverse("ehcp:legal_holds")).status_code == 200
