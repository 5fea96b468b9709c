"""Audit services: start, rate, lock, submit, decide, carry forward, review."""

import datetime
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from audits import selectors, services
from audits.models import Action, Audit, AuditEvent, LAComment, Rating
from sendplan import policy
from sendplan.services import DomainError
from standards.models import Criterion, FrameworkVersion
from tests.audits.factories import (
    acting,
    make_audit,
    make_v2,
    make_version,
    rate_all,
    submitted_audit,
)
from tests.conftest import membership_of

pytestmark = pytest.mark.django_db


def _response(audit, ref) -> Rating:
    return Rating.objects.select_related("criterion").get(audit=audit, criterion__ref=ref)


def _record(audit, ref, user, level=2, rationale="Seen in practice.", version=None, na=False, reason=""):
    response = _response(audit, ref)
    return services.rating_record(
        audit=audit,
        response=response,
        level=level,
        not_applicable=na,
        na_reason=reason,
        rationale=rationale,
        expected_version=response.version if version is None else version,
        by=acting(user, audit.school),
    )


# --- start -------------------------------------------------------------------------------------------


def test_start_creates_a_blank_response_per_criterion_and_an_event(world, senco_a_user):
    version = make_version(sections=3, per_section=4)
    audit = make_audit(world.school_a, senco_a_user, version)
    assert audit.framework_id == version.framework_id
    assert audit.ratings.count() == 12
    assert not audit.ratings.filter(level__isnull=False).exists()
    assert list(audit.events.values_list("kind", flat=True)) == ["created"]


def test_one_open_audit_per_school_per_framework(world, senco_a_user):
    version = make_version()
    make_audit(world.school_a, senco_a_user, version)
    with pytest.raises(services.AuditAlreadyOpen):
        make_audit(world.school_a, senco_a_user, version, year="2027/28")
    # another school may, and so may a different framework
    make_audit(world.school_b, senco_a_user, version)
    make_audit(world.school_a, senco_a_user, make_version())


def test_the_database_refuses_a_second_open_audit(world, senco_a_user):
    audit = make_audit(world.school_a, senco_a_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Audit.objects.create(
            school=world.school_a,
            framework_id=audit.framework_id,
            framework_version_id=audit.framework_version_id,
            academic_year="2027/28",
        )


def test_an_accepted_audit_does_not_block_a_new_one(world, senco_a_user, la_officer_x_user):
    version = make_version()
    audit = submitted_audit(world.school_a, senco_a_user, version)
    services.audit_accept(audit=audit, by=membership_of(la_officer_x_user))
    assert make_audit(world.school_a, senco_a_user, version, year="2027/28").status == "draft"


@pytest.mark.parametrize("year", ["2026", "2026/28", "26/27", "2026-27", ""])
def test_start_refuses_a_bad_academic_year(world, senco_a_user, year):
    with pytest.raises(DomainError):
        make_audit(world.school_a, senco_a_user, year=year)
    assert not Audit.objects.exists()


def test_start_refuses_a_draft_version(world, senco_a_user):
    version = make_version()
    FrameworkVersion.objects.filter(pk=version.pk).update(status="draft")
    version.refresh_from_db()
    with pytest.raises(DomainError):
        make_audit(world.school_a, senco_a_user, version)


# --- rating ------------------------------------------------------------------------------------------


def test_rate_records_the_change_with_old_and_new(world, senco_a_user):
    audit = make_audit(world.school_a, senco_a_user)
    response = _record(audit, "S1-02", senco_a_user, level=2, rationale="Plans reviewed termly.")
    assert (response.level, response.version) == (2, 1)
    saved = _response(audit, "S1-02")
    assert (saved.level, saved.rationale, saved.version, saved.updated_by) == (
        2,
        "Plans reviewed termly.",
        1,
        senco_a_user,
    )
    event = audit.events.get(kind="response_changed")
    assert event.criterion.ref == "S1-02"
    assert event.detail["level"] == {"old": None, "new": 2}
    assert event.detail["rating"] == {"old": "Not rated", "new": "Established"}


def test_saving_the_same_answer_again_records_nothing(world, senco_a_user):
    audit = make_audit(world.school_a, senco_a_user)
    _record(audit, "S1-02", senco_a_user)
    _record(audit, "S1-02", senco_a_user)
    assert _response(audit, "S1-02").version == 1
    assert audit.events.filter(kind="response_changed").count() == 1


def test_a_stale_save_is_refused_and_keeps_the_other_persons_answer(world, senco_a_user, headteacher_a_user):
    audit = make_audit(world.school_a, senco_a_user)
    _record(audit, "S1-02", headteacher_a_user, level=3, rationale="Head's view", version=0)
    with pytest.raises(services.StaleResponse) as caught:
        _record(audit, "S1-02", senco_a_user, level=1, rationale="SENCO's view", version=0)
    assert caught.value.current.level == 3
    saved = _response(audit, "S1-02")
    assert (saved.level, saved.rationale, saved.updated_by) == (3, "Head's view", headteacher_a_user)


def test_not_applicable_needs_a_reason_and_clears_the_level(world, senco_a_user):
    audit = make_audit(world.school_a, senco_a_user)
    with pytest.raises(services.InvalidResponse):
        _record(audit, "S1-02", senco_a_user, level=None, na=True, reason="  ")
    response = _record(audit, "S1-02", senco_a_user, level=2, na=True, reason="We have no sixth form.")
    assert (response.level, response.not_applicable) == (None, True)


def test_not_applicable_refused_where_the_scale_does_not_allow_it(world, senco_a_user):
    audit = make_audit(world.school_a, senco_a_user, make_version(allow_na=False))
    with pytest.raises(services.InvalidResponse):
        _record(audit, "S1-02", senco_a_user, level=None, na=True, reason="Not us")
    assert _response(audit, "S1-02").version == 0


@pytest.mark.parametrize("level", [None, 7, -1])
def test_a_level_outside_the_scale_is_refused(world, senco_a_user, level):
    audit = make_audit(world.school_a, senco_a_user)
    with pytest.raises(services.InvalidResponse):
        _record(audit, "S1-02", senco_a_user, level=level)
    assert _response(audit, "S1-02").version == 0


def test_a_submitted_audit_refuses_changes(world, senco_a_user):
    audit = submitted_audit(world.school_a, senco_a_user)
    with pytest.raises(services.AuditLocked):
        _record(audit, "S1-02", senco_a_user, level=1)
    with pytest.raises(services.AuditLocked):
        services.action_create(
            audit=audit,
            criterion=None,
            what="x",
            owner="y",
            due=timezone.localdate(),
            by=membership_of(senco_a_user),
        )


# --- submit, return, accept, reopen -----------------------------------------------------------------


def test_submit_with_unrated_criteria_is_refused(world, senco_a_user):
    audit = make_audit(world.school_a, senco_a_user)
    _record(audit, "S1-01", senco_a_user)
    with pytest.raises(services.AuditIncomplete, match="5 criteria are not rated"):
        services.audit_submit(audit=audit, by=membership_of(senco_a_user))
    audit.refresh_from_db()
    assert audit.status == "draft"
    assert not audit.events.filter(kind="submitted").exists()


def test_submit_locks_and_a_second_submit_is_refused(world, senco_a_user):
    audit = make_audit(world.school_a, senco_a_user)
    rate_all(audit, senco_a_user)
    services.audit_submit(audit=audit, by=membership_of(senco_a_user))
    audit.refresh_from_db()
    assert audit.status == "submitted" and audit.submitted_at
    with pytest.raises(services.AuditAlreadySubmitted):
        services.audit_submit(audit=audit, by=membership_of(senco_a_user))
    assert audit.events.filter(kind="submitted").count() == 1


def test_return_reopens_for_the_school_with_comments_then_resubmit_and_accept(
    world, senco_a_user, la_officer_x_user
):
    audit = submitted_audit(world.school_a, senco_a_user)
    criterion = Criterion.objects.get(version=audit.framework_version, ref="S1-02")
    services.la_comment_add(
        audit=audit, criterion=criterion, text="Show the review notes.", by=membership_of(la_officer_x_user)
    )
    with pytest.raises(DomainError):
        services.audit_return(audit=audit, by=membership_of(la_officer_x_user), comment="  ")
    services.audit_return(
        audit=audit, by=membership_of(la_officer_x_user), comment="Please add evidence for S1."
    )
    audit.refresh_from_db()
    assert audit.status == "returned" and audit.is_editable
    assert LAComment.objects.filter(audit=audit).count() == 2
    _record(audit, "S1-02", senco_a_user, level=3, rationale="Review notes attached.")
    with pytest.raises(services.AuditWrongState):  # not waiting for a decision
        services.audit_accept(audit=audit, by=membership_of(la_officer_x_user))
    services.audit_submit(audit=audit, by=membership_of(senco_a_user))
    services.audit_accept(audit=audit, by=membership_of(la_officer_x_user), comment="Thank you.")
    audit.refresh_from_db()
    assert audit.status == "accepted" and not audit.is_editable
    kinds = list(audit.events.values_list("kind", flat=True))
    assert kinds.count("submitted") == 2 and "returned" in kinds and kinds[-1] == "accepted"


def test_la_comments_only_while_waiting_for_a_decision(world, senco_a_user, la_officer_x_user):
    audit = make_audit(world.school_a, senco_a_user)
    with pytest.raises(policy.NotAllowed):  # a draft is the school's alone: the LA cannot even see it
        services.la_comment_add(
            audit=audit, criterion=None, text="Hello", by=membership_of(la_officer_x_user)
        )


def test_withdraw_reopens_a_submitted_audit(world, senco_a_user):
    audit = submitted_audit(world.school_a, senco_a_user)
    services.audit_reopen(audit=audit, by=membership_of(senco_a_user))
    audit.refresh_from_db()
    assert audit.status == "draft"
    assert audit.events.filter(kind="reopened").count() == 1
    with pytest.raises(services.AuditWrongState):
        services.audit_reopen(audit=audit, by=membership_of(senco_a_user))


# --- actions -----------------------------------------------------------------------------------------


def test_action_due_in_the_past_is_refused(world, senco_a_user):
    audit = make_audit(world.school_a, senco_a_user)
    with pytest.raises(services.ActionInvalid, match="today or in the future"):
        services.action_create(
            audit=audit,
            criterion=None,
            what="Train staff",
            owner="SENCO",
            due=timezone.localdate() - datetime.timedelta(days=1),
            by=membership_of(senco_a_user),
        )
    assert not Action.objects.exists()


def test_action_update_records_old_and_new(world, senco_a_user):
    audit = make_audit(world.school_a, senco_a_user)
    criterion = Criterion.objects.get(version=audit.framework_version, ref="S1-01")
    action = services.action_create(
        audit=audit,
        criterion=criterion,
        what="Train staff",
        owner="SENCO",
        due=timezone.localdate() + datetime.timedelta(days=30),
        by=membership_of(senco_a_user),
    )
    services.action_update(audit=audit, action=action, by=membership_of(senco_a_user), status="done")
    event = audit.events.filter(kind="action_changed").last()
    assert event.detail["status"] == {"old": "open", "new": "done"}


# --- governors ---------------------------------------------------------------------------------------


def test_governor_review_refuses_a_future_date(world, senco_a_user, governor_a_user):
    audit = submitted_audit(world.school_a, senco_a_user)
    with pytest.raises(DomainError):
        services.governor_review_record(
            audit=audit,
            reviewed_on=timezone.localdate() + datetime.timedelta(days=1),
            minute_reference="FGB 12",
            by=membership_of(governor_a_user),
        )
    review = services.governor_review_record(
        audit=audit,
        reviewed_on=timezone.localdate(),
        minute_reference="FGB 12",
        by=membership_of(governor_a_user),
    )
    assert review.school_id == world.school_a.pk
    assert audit.events.filter(kind="governor_review").count() == 1


# --- carry forward -----------------------------------------------------------------------------------


def _accepted(world, senco, officer, version, levels: dict[str, int]):
    audit = make_audit(world.school_a, senco, version, year="2026/27")
    for ref, level in levels.items():
        _record(audit, ref, senco, level=level, rationale=f"Why {ref}")
    services.audit_submit(audit=audit, by=acting(senco))
    services.audit_accept(audit=audit, by=acting(officer))
    return audit


def test_carry_forward_within_a_version_copies_everything_to_confirm(world, senco_a_user, la_officer_x_user):
    version = make_version()
    levels = {"S1-01": 1, "S1-02": 2, "S1-03": 3, "S2-01": 0, "S2-02": 1, "S2-03": 2}
    previous = _accepted(world, senco_a_user, la_officer_x_user, version, levels)
    evidence = services.evidence_add(
        audit=make_audit(world.school_b, senco_a_user),  # placeholder to prove school scoping below
        title="x",
        criteria=[],
        by=acting(senco_a_user, world.school_b),
        url="https://example.org/x",
    )
    assert evidence.school_id == world.school_b.pk
    audit = services.audit_carry_forward(
        previous=previous,
        framework_version=version,
        academic_year="2027/28",
        by=acting(senco_a_user, world.school_a),
    )
    rows = {r.criterion.ref: r for r in audit.ratings.select_related("criterion")}
    assert {ref: r.level for ref, r in rows.items()} == levels
    assert all(r.to_confirm for r in rows.values())
    assert rows["S1-02"].rationale == "Why S1-02"
    assert audit.carried_from == previous
    with pytest.raises(services.AuditIncomplete, match="Confirm"):
        services.audit_submit(audit=audit, by=acting(senco_a_user, world.school_a))


def test_carry_forward_across_versions_handles_split_merged_new_and_retired(
    world, senco_a_user, la_officer_x_user
):
    v1 = make_version()
    levels = {"S1-01": 1, "S1-02": 2, "S1-03": 3, "S2-01": 3, "S2-02": 1, "S2-03": 2}
    previous = _accepted(world, senco_a_user, la_officer_x_user, v1, levels)
    link = services.evidence_add(
        audit=make_audit(world.school_a, senco_a_user, make_version()),
        title="Policy",
        criteria=[],
        by=membership_of(senco_a_user),
        url="https://example.org/policy",
    )
    through = Rating.evidence.through
    through.objects.create(rating_id=_response(previous, "S1-03").pk, evidence_id=link.pk)
    Action.objects.create(
        school=world.school_a,
        audit=previous,
        criterion=Criterion.objects.get(version=v1, ref="S1-03"),
        what="Open action",
        owner="SENCO",
        due=datetime.date(2027, 1, 1),
    )
    Action.objects.create(
        school=world.school_a,
        audit=previous,
        what="Done action",
        owner="SENCO",
        due=datetime.date(2027, 1, 1),
        status="done",
    )
    v2 = make_v2(v1)
    audit = services.audit_carry_forward(
        previous=previous, framework_version=v2, academic_year="2027/28", by=membership_of(senco_a_user)
    )
    rows = {
        r.criterion.ref: r for r in audit.ratings.select_related("criterion").prefetch_related("evidence")
    }
    assert rows["S1-01"].level == 1 and rows["S1-02"].level == 2  # same, reworded
    assert rows["S1-03a"].level == rows["S1-03b"].level == 3  # split: copied to each
    assert [e.title for e in rows["S1-03a"].evidence.all()] == ["Policy"]
    assert [e.title for e in rows["S1-03b"].evidence.all()] == ["Policy"]
    assert rows["S2-12"].level == 1  # merged: the lower of 3 and 1
    assert "S2-01: Why S2-01" in rows["S2-12"].rationale and "S2-02: Why S2-02" in rows["S2-12"].rationale
    assert rows["S2-04"].level is None and not rows["S2-04"].to_confirm  # new: blank
    assert all(rows[ref].to_confirm for ref in ("S1-01", "S1-02", "S1-03a", "S1-03b", "S2-12"))
    summary = audit.carry_forward_summary
    assert summary["dropped"] == ["S2-03"]
    assert summary["new"] == ["S2-04"]
    assert [s["to"] for s in summary["split"]] == ["S1-03a", "S1-03b"]
    assert summary["merged"] == [{"to": "S2-12", "from": ["S2-01", "S2-02"]}]
    carried = Action.objects.get(audit=audit)
    assert carried.what == "Open action" and carried.criterion.ref == "S1-03a"
    assert carried.carried_from.audit == previous
    assert audit.events.get(kind="created").detail["dropped"] == ["S2-03"]


def test_carry_forward_refuses_another_framework(world, senco_a_user, la_officer_x_user):
    levels = {ref: 2 for ref in ("S1-01", "S1-02", "S1-03", "S2-01", "S2-02", "S2-03")}
    previous = _accepted(world, senco_a_user, la_officer_x_user, make_version(), levels)
    with pytest.raises(services.CarryForwardNotPossible):
        services.audit_carry_forward(
            previous=previous,
            framework_version=make_version(),
            academic_year="2027/28",
            by=membership_of(senco_a_user),
        )


# --- the selector for EHC plans ----------------------------------------------------------------------


def test_latest_submitted_section_levels(world, senco_a_user):
    version = make_version(sections=4, per_section=2, statutory=())
    assert (
        selectors.latest_submitted_section_levels(school=world.school_a, areas_of_need=["cognition_learning"])
        == []
    )
    audit = submitted_audit(world.school_a, senco_a_user, version, level=3)
    rows = selectors.latest_submitted_section_levels(
        school=world.school_a, areas_of_need=["cognition_learning", "semh"]
    )
    # the factory makes S2 cognition and learning and S4 sensory and physical; S1 and S3 whole-school
    assert [row["section"].area_of_need for row in rows] == ["cognition_learning"]
    assert rows[0]["audit"] == audit
    assert rows[0]["level"].value == 3 and rows[0]["level_label"] == "Embedded"
    assert selectors.latest_submitted_section_levels(school=world.school_b, areas_of_need=["semh"]) == []


# --- concurrency (PostgreSQL) ------------------------------------------------------------------------


def _threads(target, n=2):
    barrier = threading.Barrier(n)
    results = []

    def run():
        barrier.wait()
        try:
            results.append(target())
        except Exception as exc:  # collected, then inspected by the test
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_double_submit_in_two_threads_makes_one_transition(world, senco_a_user):
    audit = make_audit(world.school_a, senco_a_user)
    rate_all(audit, senco_a_user)

    def submit():
        return services.audit_submit(audit=Audit.objects.get(pk=audit.pk), by=membership_of(senco_a_user))

    results = _threads(submit, n=4)
    successes = [r for r in results if isinstance(r, Audit)]
    refusals = [r for r in results if isinstance(r, services.AuditAlreadySubmitted)]
    assert len(successes) == 1 and len(refusals) == 3, results
    assert AuditEvent.objects.filter(audit=audit, kind="submitted").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_people_saving_the_same_version_one_wins_one_gets_a_conflict(
    world, senco_a_user, headteacher_a_user
):
    audit = make_audit(world.school_a, senco_a_user)
    users = iter([senco_a_user, headteacher_a_user])
    lock = threading.Lock()

    def save():
        with lock:
            user = next(users)
        return _record(
            Audit.objects.get(pk=audit.pk), "S1-02", user, level=2 if user == senco_a_user else 3, version=0
        )

    results = _threads(save)
    assert sum(isinstance(r, Rating) for r in results) == 1
    assert sum(isinstance(r, services.StaleResponse) for r in results) == 1
    assert _response(audit, "S1-02").version == 1
    assert AuditEvent.objects.filter(audit=audit, kind="response_changed").count() == 1
