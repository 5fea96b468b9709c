"""Services and selectors: census rules, the plan's life (submit, return, final, amendments), deadlines,
version comparison, counts, retention, and the database refusing to change the access log."""

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from ehcp import selectors, services
from ehcp.models import Need, Plan, PlanVersion, Provision, Pupil
from sendplan import policy
from sendplan.models import AccessEvent
from sendplan.services import DomainError, access_events_record
from tests.conftest import make_member, membership_of
from tests.ehcp.factories import PlanFactory, PupilFactory, add_golden_thread

pytestmark = pytest.mark.django_db

VALID = {
    "first_name": "Ada",
    "last_name": "Brook",
    "date_of_birth": date(2016, 9, 23),
    "year_group": "4",
    "upn": "",
    "sen_provision": "K",
    "primary_need": "SPLD",
    "secondary_need": "",
}


@pytest.fixture
def senco(world):
    return membership_of(make_member("senco", school=world.school_a, email="s@example.org"))


@pytest.fixture
def officer(world):
    return membership_of(make_member("la_officer", la=world.la_x, email="o@example.org"))


# --- pupils ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"sen_provision": "E", "primary_need": "NSA"}, "primary_need", "NSA can only be used"),
        ({"primary_need": "DYS"}, "primary_need", "is not a school census SEN type code"),
        ({"secondary_need": "NSA"}, "secondary_need", "NSA can only be recorded as the primary need"),
        ({"sen_provision": "X"}, "sen_provision", "is not an SEN provision code"),
        ({"date_of_birth": date(2099, 1, 1)}, "date_of_birth", "must be in the past"),
        ({"date_of_birth": date(1960, 1, 1)}, "date_of_birth", "within the last 25 years"),
        ({"upn": "A801200001001"}, "upn", "Check the UPN"),
        ({"year_group": "15"}, "year_group", "Select a year group"),
    ],
)
def test_pupil_save_refuses_invalid_details_and_saves_nothing(world, overrides, field, message, senco):
    with pytest.raises(services.PupilInvalid) as exc:
        services.pupil_save(by=senco, school=world.school_a, **{**VALID, **overrides})
    assert message in exc.value.errors[field]
    assert not Pupil.objects.exists()


def test_pupil_save_normalises_the_upn(world, senco):
    pupil = services.pupil_save(by=senco, school=world.school_a, **{**VALID, "upn": " h801200001001 "})
    assert pupil.upn == "H801200001001"


def test_nsa_with_e_is_refused_by_the_database_too(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        PupilFactory(school=world.school_a, sen_provision="E", primary_need="NSA")


def test_upn_is_unique_per_school_not_across_schools(world):
    PupilFactory(school=world.school_a, upn="H801200001001")
    PupilFactory(school=world.school_b, upn="H801200001001")
    with pytest.raises(IntegrityError), transaction.atomic():
        PupilFactory(school=world.school_a, upn="H801200001001")


# --- the plan's life -------------------------------------------------------------------------------------


def test_plan_start_creates_a_first_draft_and_refuses_a_second_plan(world, senco):
    pupil = PupilFactory(school=world.school_a, sen_provision="K")
    plan = services.plan_start(pupil=pupil, requested_on=date(2026, 1, 5), by=senco)
    version = plan.versions.get()
    assert (version.number, version.kind, version.status) == (1, "draft", "draft")
    with pytest.raises(DomainError):
        services.plan_start(pupil=pupil, requested_on=date(2026, 1, 5), by=senco)


def test_submit_return_resubmit_finalise_and_final_is_immutable(world, senco, officer):
    plan = PlanFactory(pupil=PupilFactory(school=world.school_a), school=world.school_a)
    version = plan.versions.get()
    add_golden_thread(version)
    services.plan_submit(plan=plan, by=senco)
    with pytest.raises(services.VersionLocked):
        services.need_save(by=senco, version=version, area_of_need="semh", text="More")
    with pytest.raises(services.PlanStateError):
        services.plan_amendments_start(plan=plan, by=senco)
    services.plan_return(plan=plan, by=officer, reason="Quantify F")
    with pytest.raises(services.VersionLocked):  # what the LA returned stays as they saw it
        services.need_save(by=senco, version=version, area_of_need="semh", text="More")
    redraft = plan.versions.get(number=2)
    assert (redraft.status, redraft.needs.count()) == ("draft", 1)
    services.need_save(by=senco, version=redraft, area_of_need="semh", text="More")
    services.plan_submit(plan=plan, by=senco)
    services.plan_finalise(plan=plan, by=officer, issued_on=date(2026, 6, 1))
    assert plan.versions.get(number=1).needs.count() == 1
    version = redraft
    version.refresh_from_db()
    plan.refresh_from_db()
    assert (version.status, version.kind, plan.status, plan.final_issued_on) == (
        "final",
        "final",
        "final",
        date(2026, 6, 1),
    )
    for attempt in (
        lambda: services.need_save(by=senco, version=version, area_of_need="semh", text="x"),
        lambda: services.section_text_update(by=senco, version=version, section="A", a_views="x"),
        lambda: services.section_mark(by=senco, version=version, section="A", completed=True),
        lambda: services.item_remove(by=senco, version=version, section="B", item=version.needs.first()),
        lambda: services.plan_submit(plan=plan, by=senco),
        lambda: services.plan_finalise(plan=plan, by=officer),
    ):
        with pytest.raises(DomainError):
            attempt()
    assert version.needs.count() == 2
    assert [e.action for e in plan.events.all()] == ["submitted", "returned", "submitted", "finalised"]


def test_proposed_amendments_copy_the_final_plan_with_links_and_lineage(world, senco, officer):
    plan = PlanFactory(pupil=PupilFactory(school=world.school_a), school=world.school_a)
    final = plan.versions.get()
    need, outcome, provision = add_golden_thread(final)
    services.section_text_update(by=senco, version=final, section="A", a_views="Loves trains")
    services.plan_submit(plan=plan, by=senco)
    services.plan_finalise(plan=plan, by=officer)
    amended = services.plan_amendments_start(plan=plan, by=senco)
    assert (amended.number, amended.kind, amended.status, amended.a_views) == (
        2,
        "proposed_amendments",
        "draft",
        "Loves trains",
    )
    copy = amended.provisions.get()
    assert copy.lineage == provision.lineage and copy.pk != provision.pk
    assert list(copy.needs.all()) == list(amended.needs.all())
    assert list(copy.outcomes.all()) == list(amended.outcomes.all())
    assert amended.outcomes.get().needs.get() == amended.needs.get()
    # Compare: change one item, add one, remove one.
    services.need_save(
        by=senco,
        version=amended,
        need=amended.needs.get(),
        area_of_need="communication_interaction",
        text="Changed",
    )
    services.advice_save(
        by=senco, version=amended, source="EP report", author="Dr Lee", date=date(2026, 2, 1)
    )
    services.item_remove(by=senco, version=amended, section="F", item=copy)
    final.refresh_from_db()
    amended.refresh_from_db()
    diffs = {d.code: d for d in selectors.compare_versions(final, amended)}
    assert len(diffs["B"].changed) == 1 and "Changed" in diffs["B"].changed[0][1]
    assert diffs["K"].added == ["EP report (Dr Lee)"]
    assert diffs["F"].removed == ["Individual speech and language therapy"]
    assert diffs["A"].unchanged and diffs["C"].unchanged


def test_links_to_another_plans_items_are_refused(world, senco):
    plan = PlanFactory(pupil=PupilFactory(school=world.school_a), school=world.school_a)
    other = PlanFactory(pupil=PupilFactory(school=world.school_a), school=world.school_a)
    foreign = Need.objects.create(
        version=other.versions.get(), school=world.school_a, area_of_need="semh", text="x"
    )
    with pytest.raises(DomainError):
        services.provision_save(
            by=senco, version=plan.versions.get(), section="F", needs=[foreign], outcomes=[], what="x"
        )
    assert not Provision.objects.exists()


def test_section_i_stays_blank_in_a_draft(world, senco):
    plan = PlanFactory(pupil=PupilFactory(school=world.school_a), school=world.school_a)
    with pytest.raises(DomainError):
        services.section_text_update(
            by=senco, version=plan.versions.get(), section="I", i_placement="Northmere Primary"
        )


def test_changing_a_completed_section_reopens_it(world, senco):
    plan = PlanFactory(pupil=PupilFactory(school=world.school_a), school=world.school_a)
    version = services.section_mark(by=senco, version=plan.versions.get(), section="B", completed=True)
    assert version.completed_sections == ["B"]
    services.need_save(by=senco, version=version, area_of_need="semh", text="x")
    version.refresh_from_db()
    assert version.completed_sections == []


# --- the checker and the task list -------------------------------------------------------------------------


def test_a_clean_version_has_no_findings_and_gaps_are_reported_by_section(world, senco):
    plan = PlanFactory(pupil=PupilFactory(school=world.school_a), school=world.school_a)
    version = plan.versions.get()
    add_golden_thread(version)
    assert selectors.version_findings(selectors.version_content(version)) == []
    services.need_save(by=senco, version=version, area_of_need="semh", text="Anxious at transitions")
    services.provision_save(
        by=senco,
        version=version,
        section="F",
        needs=[],
        outcomes=[],
        what="Access to a calm space as required",
    )
    content = selectors.version_content(version)
    findings = selectors.version_findings(content)
    codes = {(f.section, f.code) for f in findings}
    assert ("B", "need_without_outcome") in codes and ("B", "need_without_provision") in codes
    assert ("F", "provision_without_need") in codes and ("F", "vague_wording") in codes
    assert ("F", "provision_missing_who") in codes
    tasks = {t.code: t for t in selectors.task_list(content, findings)}
    assert tasks["B"].findings == 2 and tasks["B"].status == "in_progress"
    assert tasks["C"].status == "not_started" and tasks["E"].findings == 0


# --- deadlines -------------------------------------------------------------------------------------------


def test_assessment_deadlines_and_statuses(world):
    plan = PlanFactory(
        pupil=PupilFactory(school=world.school_a), school=world.school_a, requested_on=date(2025, 9, 1)
    )
    rows = {r.key: r for r in selectors.plan_deadlines(plan, today=date(2025, 10, 6))}
    assert rows["decision"].due == date(2025, 10, 13) and rows["decision"].status == "due_soon"
    assert rows["final_plan"].due == date(2026, 1, 19) and rows["final_plan"].status == "on_track"
    assert rows["no_plan_notice"].due == date(2025, 12, 22)
    later = {r.key: r for r in selectors.plan_deadlines(plan, today=date(2025, 10, 14))}
    assert later["decision"].status == "overdue"
    assert selectors.next_deadline(plan, today=date(2025, 10, 14)).key == "decision"
    plan.decided_on, plan.draft_sent_on = date(2025, 10, 10), date(2025, 12, 1)
    rows = {r.key: r for r in selectors.plan_deadlines(plan, today=date(2025, 12, 2))}
    assert rows["decision"].status == "done" and "no_plan_notice" not in rows
    # Posted on Monday 1 December, class not recorded: deemed served on Friday 5 December (the fourth
    # working day), so the family may comment until 19 December.
    assert rows["parent_comments"].due == date(2025, 12, 19)
    assert rows["parent_comments"].status == "open" and "deemed served" in rows["parent_comments"].note
    plan.decided_on, plan.advice_requested_on = None, date(2025, 10, 20)
    rows = {r.key: r for r in selectors.plan_deadlines(plan, today=date(2025, 12, 2))}
    assert rows["decision"].status == "done" and rows["advice"].status == "done"  # implied by the draft


def test_the_la_comments_on_its_version_while_the_school_drafts_amendments(world, senco, officer):
    plan = PlanFactory(pupil=PupilFactory(school=world.school_a), school=world.school_a)
    with pytest.raises(policy.NotAllowed):  # a draft is the school's alone: the LA cannot even see it
        services.plan_comment_add(plan=plan, by=officer, text="Too early")
    services.plan_submit(plan=plan, by=senco)
    services.plan_finalise(plan=plan, by=officer)
    services.plan_amendments_start(plan=plan, by=senco)
    comment = services.plan_comment_add(plan=plan, by=officer, text="Noted", section="F")
    assert comment.version.number == 1 and comment.section == "F"


def test_annual_review_and_phase_transfer_deadlines(world):
    plan = PlanFactory(
        pupil=PupilFactory(school=world.school_a),
        school=world.school_a,
        requested_on=date(2024, 1, 8),
        final_issued_on=date(2024, 5, 20),
        last_review_meeting_on=date(2025, 2, 28),
        phase_transfer_on=date(2026, 9, 1),
    )
    rows = {r.key: r for r in selectors.plan_deadlines(plan, today=date(2025, 3, 1))}
    assert rows["final_plan"].status == "done"  # 20 May 2024 is within 20 weeks of 8 January (27 May)
    assert rows["review_report"].due == date(2025, 3, 14)
    assert rows["la_decision"].due == date(2025, 3, 28)
    # The review must be concluded within the 12 months starting with the day the plan was made.
    assert rows["review_concluded"].due == date(2025, 5, 19)
    assert rows["phase_transfer"].due == date(2026, 2, 14)  # before 15 February
    assert rows["phase_transfer_meeting"].due == date(2025, 11, 22)  # 12 weeks earlier
    plan.phase_transfer_to_post16 = True
    rows = {r.key: r for r in selectors.plan_deadlines(plan, today=date(2025, 3, 1))}
    assert rows["phase_transfer"].due == date(2026, 3, 30)  # before 31 March


def test_la_timeliness_counts_plans_issued_within_20_weeks(world):
    for requested, issued in [(date(2025, 1, 6), date(2025, 5, 26)), (date(2025, 1, 6), date(2025, 5, 27))]:
        PlanFactory(
            pupil=PupilFactory(school=world.school_a),
            school=world.school_a,
            requested_on=requested,
            final_issued_on=issued,
        )
    PlanFactory(
        pupil=PupilFactory(school=world.school_b), school=world.school_b, final_issued_on=date(2026, 4, 1)
    )
    # A third plan, late, where an exception applied (Regs 13(3), 10(4)(c)): counted in the first figure
    # and left out of the second.
    PlanFactory(
        pupil=PupilFactory(school=world.school_a),
        school=world.school_a,
        requested_on=date(2025, 1, 6),
        final_issued_on=date(2025, 7, 1),
        time_limit_exception="personal",
    )
    assert selectors.la_timeliness(world.la_x) == {
        "issued": 3,
        "on_time": 1,
        "share": 33,
        "issued_without_exceptions": 2,
        "on_time_without_exceptions": 1,
        "share_without_exceptions": 50,
        "weeks": 20,
    }


def test_school_sen_counts_are_aggregates_by_provision_and_area(world):
    for provision, need in [("E", "ASD"), ("K", "SLCN"), ("K", "SPLD"), ("K", "NSA"), ("N", "")]:
        PupilFactory(school=world.school_a, sen_provision=provision, primary_need=need)
    counts = selectors.school_sen_counts(world.school_a)
    assert (counts["E"], counts["K"], counts["other"]) == (1, 3, 1)
    assert dict(counts["areas"])["Communication and interaction"] == 2
    assert dict(counts["areas"])["Cognition and learning"] == 1


# --- retention and the access log ----------------------------------------------------------------------------


def test_past_retention_honours_la_years_and_legal_hold(world):
    world.la_y.retention_years_after_birth = 20
    world.la_y.save()
    old = PupilFactory(school=world.school_a, date_of_birth=date(1995, 3, 1))
    held = PupilFactory(school=world.school_a, date_of_birth=date(1995, 3, 1), legal_hold=True)
    young = PupilFactory(school=world.school_a, date_of_birth=date(2010, 1, 1))
    short = PupilFactory(school=world.school_b, date_of_birth=date(2006, 1, 1))
    found = dict(selectors.pupils_past_retention(today=date(2026, 3, 2)))
    assert old in found and found[old] == date(2026, 3, 1)
    assert short in found and found[short] == date(2026, 1, 1)
    assert held not in found and young not in found
    assert old not in dict(selectors.pupils_past_retention(today=date(2026, 3, 1)))


def test_list_past_retention_command(world, capsys):
    from django.core.management import call_command

    PupilFactory(school=world.school_a, first_name="Old", last_name="Record", date_of_birth=date(1990, 1, 1))
    call_command("list_past_retention")
    out = capsys.readouterr().out
    assert "Record" in out and "School A" in out


def test_the_database_refuses_to_update_or_delete_access_events(world, senco):
    """UPDATE is refused on every database; DELETE on PostgreSQL (see the migration for SQLite)."""
    pupil = PupilFactory(school=world.school_a)
    (event,) = access_events_record(membership=senco, shown=[(pupil, "x")], action="view")
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        AccessEvent.objects.filter(pk=event.pk).update(what="changed")
    if connection.vendor == "postgresql":
        with pytest.raises(Exception, match="append-only"), transaction.atomic():
            AccessEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE sendplan_accessevent SET what = 'raw' WHERE id = %s", [event.pk])
    event.refresh_from_db()
    assert event.what == "x"


def test_version_content_numbers_items_as_the_checker_does(world, senco):
    plan = PlanFactory(pupil=PupilFactory(school=world.school_a), school=world.school_a)
    version = plan.versions.get()
    add_golden_thread(version)
    services.provision_save(by=senco, version=version, section="G", needs=[], outcomes=[], what="Nurse check")
    content = selectors.version_content(version)
    assert content.number_of(content.provision_in("G")[0]) == 1
    assert isinstance(version, PlanVersion)


def test_demo_seed_is_idempotent():
    from sendplan.demo import seed

    seed()
    counts = (Pupil.objects.count(), PlanVersion.objects.count())
    seed()
    assert (Pupil.objects.count(), PlanVersion.objects.count()) == counts
    first = Pupil.objects.filter(school__urn="100001")
    assert first.count() == 12  # the demo school's register
    assert set(first.values_list("sen_provision", flat=True)) == {"E", "K", "N"}
    # Four plans at each of the seven other schools, at every stage, handed to the LA.
    others = Plan.objects.exclude(school__urn="100001")
    assert others.count() == 28
    assert set(Plan.objects.values_list("status", flat=True)) == {"draft", "submitted", "returned", "final"}
    assert others.filter(decided_on__isnull=True).exists()  # still at the request
    assert others.filter(draft_sent_on__isnull=False, final_issued_on__isnull=True).exists()  # draft sent
    assert others.filter(time_limit_exception="personal").exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("action", ["submit", "amend"])
def test_a_double_submit_makes_one_state_transition(world, action):
    import threading

    from django.db import connections

    senco = membership_of(make_member("senco", school=world.school_a, email="t@example.org"))
    officer = membership_of(make_member("la_officer", la=world.la_x, email="t2@example.org"))
    plan = PlanFactory(pupil=PupilFactory(school=world.school_a), school=world.school_a)
    if action == "amend":
        services.plan_submit(plan=plan, by=senco)
        services.plan_finalise(plan=plan, by=officer)
    do = {"submit": services.plan_submit, "amend": services.plan_amendments_start}[action]
    barrier = threading.Barrier(2)
    outcomes = []

    def attempt():
        try:
            barrier.wait()
            do(plan=plan, by=senco)
            outcomes.append("ok")
        except DomainError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    expected_versions = 1 if action == "submit" else 2
    assert plan.versions.count() == expected_versions
    assert plan.events.filter(action="submitted" if action == "submit" else "amendments_started").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_double_click_on_start_plan_makes_one_plan(world):
    """Security review, finding 6: plan_start checked, then inserted, so two requests made two plans."""
    import threading

    from django.db import connections

    senco = membership_of(make_member("senco", school=world.school_a, email="dc@example.org"))
    pupil = PupilFactory(school=world.school_a)
    barrier = threading.Barrier(2)
    outcomes = []

    def attempt():
        try:
            barrier.wait()
            services.plan_start(pupil=pupil, requested_on=date(2026, 1, 5), by=senco)
            outcomes.append("ok")
        except services.PlanExists:
            outcomes.append("exists")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["exists", "ok"]
    assert pupil.plans.count() == 1


def test_the_database_holds_one_plan_per_pupil(world):
    pupil = PupilFactory(school=world.school_a)
    PlanFactory(pupil=pupil, school=world.school_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanFactory(pupil=pupil, school=world.school_a)
