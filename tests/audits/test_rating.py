"""Rating without losing anything: a level saves without a rationale, "Rationale needed" blocks submission,
many rows save all or none, and carried-forward ratings are confirmed (and the confirmation undone) at once."""

import pytest

from audits import scoring, services
from audits.models import Audit, AuditEvent, Rating
from sendplan.policy import NotAllowed
from standards.models import ScaleLevel, Section
from tests.audits.factories import acting, make_audit, make_version, rate_all, submitted_audit
from tests.conftest import membership_of

pytestmark = pytest.mark.django_db


def _rating(audit, ref) -> Rating:
    return Rating.objects.select_related("criterion").get(audit=audit, criterion__ref=ref)


def _record(audit, ref, user, level, rationale="", na=False, reason=""):
    rating = _rating(audit, ref)
    return services.rating_record(
        audit=audit,
        response=rating,
        level=level,
        not_applicable=na,
        na_reason=reason,
        rationale=rationale,
        expected_version=rating.version,
        by=acting(user, audit.school),
    )


# --- the rule ----------------------------------------------------------------------------------------

ZERO_BASED, ONE_BASED = [0, 1, 2, 3], [1, 2, 3, 4]


@pytest.mark.parametrize(
    "levels,value,rationale,needed",
    [
        # The lowest level ("Not yet in place") needs no rationale; any level above it does.
        (ZERO_BASED, 0, "", False),
        (ZERO_BASED, 1, "", True),
        (ZERO_BASED, 3, "", True),
        (ZERO_BASED, 3, "   ", True),
        (ZERO_BASED, 2, "Minutes of the board", False),
        (ZERO_BASED, None, "", False),  # not rated (or not applicable): nothing to justify yet
        (ONE_BASED, 1, "", False),
        (ONE_BASED, 2, "", True),
        (ONE_BASED, 4, "Seen in every class", False),
    ],
)
def test_needs_rationale(levels, value, rationale, needed):
    assert scoring.needs_rationale(value=value, rationale=rationale, levels=levels) is needed


# --- saving without a rationale, submitting with one ------------------------------------------------


def test_a_level_above_the_lowest_saves_without_a_rationale(world, senco_a_user):
    audit = make_audit(world.school_a, senco_a_user)
    saved = _record(audit, "S1-02", senco_a_user, level=3)
    row = _rating(audit, "S1-02")
    assert (row.level, row.rationale, row.version) == (3, "", 1)
    assert saved.needs_rationale([0, 1, 2, 3])
    assert AuditEvent.objects.filter(audit=audit, kind="response_changed").count() == 1


def test_submit_is_blocked_until_every_rating_above_the_lowest_has_a_rationale(world, senco_a_user):
    audit = make_audit(world.school_a, senco_a_user)
    rate_all(audit, senco_a_user)
    _record(audit, "S1-02", senco_a_user, level=2)  # rationale cleared
    _record(audit, "S2-01", senco_a_user, level=0)  # the lowest level needs none
    with pytest.raises(services.AuditIncomplete) as refused:
        services.audit_submit(audit=audit, by=acting(senco_a_user, audit.school))
    assert "Give a rationale for every rating above ‘Not yet in place’" in str(refused.value)
    assert "1 criterion needs one" in str(refused.value)
    audit.refresh_from_db()
    assert audit.status == Audit.Status.DRAFT
    _record(audit, "S1-02", senco_a_user, level=2, rationale="Provision map, spring term")
    services.audit_submit(audit=audit, by=acting(senco_a_user, audit.school))
    audit.refresh_from_db()
    assert audit.status == Audit.Status.SUBMITTED


def test_on_a_one_based_scale_the_lowest_level_needs_no_rationale(world, senco_a_user):
    version = make_version(sections=1, per_section=2)
    for level in ScaleLevel.objects.filter(scale_id=version.scale_id).order_by("-value"):
        ScaleLevel.objects.filter(pk=level.pk).update(value=level.value + 1)  # 1, 2, 3, 4
    audit = make_audit(world.school_a, senco_a_user, version)
    _record(audit, "S1-01", senco_a_user, level=1)  # "Not yet in place" on this scale
    _record(audit, "S1-02", senco_a_user, level=2)  # "Emerging": needs one
    with pytest.raises(services.AuditIncomplete, match="1 criterion needs one"):
        services.audit_submit(audit=audit, by=acting(senco_a_user, audit.school))
    _record(audit, "S1-02", senco_a_user, level=2, rationale="Started this term")
    services.audit_submit(audit=audit, by=acting(senco_a_user, audit.school))


# --- many rows at once: all or none -----------------------------------------------------------------


def _answer(audit, ref, level, rationale="", na=False, reason="", version=None):
    rating = _rating(audit, ref)
    return services.Answer(
        rating=rating,
        level=level,
        not_applicable=na,
        na_reason=reason,
        rationale=rationale,
        expected_version=rating.version if version is None else version,
    )


def test_many_ratings_save_together(world, senco_a_user):
    audit = make_audit(world.school_a, senco_a_user)
    saved = services.ratings_record(
        audit=audit,
        answers=[_answer(audit, "S1-01", 2, "Minutes"), _answer(audit, "S1-02", 3)],
        by=acting(senco_a_user, audit.school),
    )
    assert [r.criterion.ref for r in saved] == ["S1-01", "S1-02"]
    assert [(r.level, r.version) for r in audit.ratings.order_by("criterion__position")[:2]] == [
        (2, 1),
        (3, 1),
    ]
    assert AuditEvent.objects.filter(audit=audit, kind="response_changed").count() == 2


def test_one_bad_row_saves_none_and_says_which(world, senco_a_user):
    audit = make_audit(world.school_a, senco_a_user)
    with pytest.raises(services.RatingsNotSaved) as refused:
        services.ratings_record(
            audit=audit,
            answers=[_answer(audit, "S1-01", 2, "Minutes"), _answer(audit, "S1-02", None, na=True)],
            by=acting(senco_a_user, audit.school),
        )
    assert refused.value.errors == {"S1-02": "Enter why this criterion does not apply to your school"}
    assert not audit.ratings.filter(level__isnull=False).exists()
    assert not AuditEvent.objects.filter(audit=audit, kind="response_changed").exists()


def test_a_row_saved_by_someone_else_meanwhile_saves_none(world, senco_a_user, headteacher_a_user):
    audit = make_audit(world.school_a, senco_a_user)
    stale = _answer(audit, "S1-02", 1)
    _record(audit, "S1-02", headteacher_a_user, level=3, rationale="The head's view")
    with pytest.raises(services.RatingsNotSaved) as refused:
        services.ratings_record(
            audit=audit,
            answers=[_answer(audit, "S1-01", 2), stale],
            by=acting(senco_a_user, audit.school),
        )
    assert list(refused.value.conflicts) == ["S1-02"]
    assert _rating(audit, "S1-01").level is None
    assert (_rating(audit, "S1-02").level, _rating(audit, "S1-02").rationale) == (3, "The head's view")


# --- confirming carried-forward ratings, and undoing it ---------------------------------------------


@pytest.fixture
def carried(world, senco_a_user, la_officer_x_user):
    """Return an audit carried forward from last year's accepted one: six ratings to confirm."""
    version = make_version()
    previous = submitted_audit(world.school_a, senco_a_user, version)
    services.audit_accept(audit=previous, by=membership_of(la_officer_x_user))
    return services.audit_carry_forward(
        previous=previous, framework_version=version, academic_year="2027/28", by=acting(senco_a_user)
    )


def _to_confirm(audit) -> list[str]:
    return list(
        audit.ratings.filter(to_confirm=True)
        .order_by("criterion__position")
        .values_list("criterion__ref", flat=True)
    )


def test_confirm_a_section_in_one_action_then_undo_it(carried, senco_a_user):
    by = acting(senco_a_user, carried.school)
    section = Section.objects.get(version=carried.framework_version, ref="S1")
    assert _to_confirm(carried) == ["S1-01", "S1-02", "S1-03", "S2-01", "S2-02", "S2-03"]
    event = services.ratings_confirm(audit=carried, section=section, by=by)
    assert _to_confirm(carried) == ["S2-01", "S2-02", "S2-03"]
    assert event.kind == AuditEvent.Kind.RATINGS_CONFIRMED
    assert event.detail["ratings"] == ["S1-01", "S1-02", "S1-03"]
    assert event.actor == senco_a_user
    # A rating confirmed and then saved again has been looked at since: the undo leaves it alone.
    _record(carried, "S1-02", senco_a_user, level=3, rationale="Better this year")
    undone = services.ratings_confirm_undo(audit=carried, event=event, by=by)
    assert _to_confirm(carried) == ["S1-01", "S1-03", "S2-01", "S2-02", "S2-03"]
    assert undone.kind == AuditEvent.Kind.CONFIRM_UNDONE and undone.detail["ratings"] == ["S1-01", "S1-03"]
    with pytest.raises(services.NothingToConfirm):
        services.ratings_confirm_undo(audit=carried, event=event, by=by)


def test_confirm_the_whole_audit_keeps_levels_and_versions(carried, senco_a_user):
    before = list(carried.ratings.order_by("pk").values_list("level", "rationale", "version"))
    services.ratings_confirm(audit=carried, section=None, by=acting(senco_a_user, carried.school))
    assert _to_confirm(carried) == []
    assert list(carried.ratings.order_by("pk").values_list("level", "rationale", "version")) == before
    with pytest.raises(services.NothingToConfirm, match="no carried-forward ratings to confirm"):
        services.ratings_confirm(audit=carried, section=None, by=acting(senco_a_user, carried.school))


def test_only_school_staff_confirm_and_only_while_editable(carried, governor_a_user, senco_a_user):
    governor = acting(governor_a_user, carried.school)
    with pytest.raises(NotAllowed):
        services.ratings_confirm(audit=carried, section=None, by=governor)
    event = services.ratings_confirm(audit=carried, section=None, by=acting(senco_a_user, carried.school))
    with pytest.raises(NotAllowed):
        services.ratings_confirm_undo(audit=carried, event=event, by=governor)
    assert _to_confirm(carried) == []


def test_a_confirmation_of_another_audit_cannot_be_undone_here(carried, senco_a_user, world):
    other = make_audit(world.school_a, senco_a_user)
    event = services.ratings_confirm(audit=carried, section=None, by=acting(senco_a_user, carried.school))
    with pytest.raises(services.InvalidResponse):
        services.ratings_confirm_undo(audit=other, event=event, by=acting(senco_a_user, carried.school))
