"""The levels summary table (audits.AuditLevel) is right after every service that changes an audit.

Expected values are worked out by hand from the rules in the issue and audits/scoring.py's docstring,
on a two-section framework: S1 holds S1-01 (a statutory duty), S1-02 and S1-03; S2 holds S2-01..S2-03.
"""

import io

import pytest
from django.core.management import call_command

from audits import services
from audits.levels import audit_levels_refresh
from audits.models import Audit, AuditLevel, Rating
from sendplan.policy import restrict
from standards.models import FrameworkVersion, RatingScale, ScaleLevel
from tests.audits.factories import acting, make_audit, make_version, rate_answers
from tests.conftest import membership_of

pytestmark = pytest.mark.django_db


def _rows(audit: Audit) -> dict[str, dict]:
    """Return the stored rows by scope ("overall", "S1", "S2") as plain facts."""
    result = {}
    for row in AuditLevel.objects.filter(audit=audit).select_related("section"):
        result[row.section.ref if row.section else "overall"] = {
            "label": row.level_label,
            "position": row.level_position,
            "of": row.scale_size,
            "rated": row.rated,
            "in_scope": row.in_scope,
            "percent": row.percent_rated,
            "unmet": row.duties_unmet,
            "unrated": row.duties_unrated,
            "withheld": row.withheld,
            "provisional": row.provisional,
            "capped": row.capped,
        }
    return result


def _fact(label, position, of, rated, in_scope, percent, unmet=0, unrated=0, **flags):
    return {
        "label": label,
        "position": position,
        "of": of,
        "rated": rated,
        "in_scope": in_scope,
        "percent": percent,
        "unmet": unmet,
        "unrated": unrated,
        "withheld": flags.get("withheld", False),
        "provisional": flags.get("provisional", False),
        "capped": flags.get("capped", False),
    }


# The finished four-level audit: S1-01 Emerging (duty not met), S1-02 and S1-03 Embedded;
# S2-01 Embedded, S2-02 not applicable, S2-03 Established.
# S1: (1+3+3)/3 = 2.33 -> Established, capped at Emerging by the duty. S2: (3+2)/2 = 2.5 -> a tie goes
# down -> Established; S2-02 is out of scope. Overall: (1+3+3+3+2)/5 = 2.4 -> Established, capped.
FINISHED_4 = {
    "overall": _fact("Emerging", 2, 4, 5, 5, 100, unmet=1, capped=True),
    "S1": _fact("Emerging", 2, 4, 3, 3, 100, unmet=1, capped=True),
    "S2": _fact("Established", 3, 4, 2, 2, 100),
}


def test_each_service_leaves_the_row_right_on_a_four_level_scale(world, senco_a_user, la_officer_x_user):
    version = make_version(sections=2, per_section=3, statutory=("S1-01",))
    audit = make_audit(world.school_a, senco_a_user, version)
    # Started: nothing rated; the duty S1-01 is not rated, so the overall and S1 levels are withheld.
    assert _rows(audit) == {
        "overall": _fact("", None, 4, 0, 6, 0, unrated=1, withheld=True),
        "S1": _fact("", None, 4, 0, 3, 0, unrated=1, withheld=True),
        "S2": _fact("", None, 4, 0, 3, 0),
    }

    rate_answers(audit, acting(senco_a_user, audit.school), {"S1-01": 1, "S2-01": 3})
    # Overall (1+3)/2 = 2 -> Established, capped at Emerging; 2 of 6 rated = 33% (rounded down).
    assert _rows(audit) == {
        "overall": _fact("Emerging", 2, 4, 2, 6, 33, unmet=1, capped=True, provisional=True),
        "S1": _fact("Emerging", 2, 4, 1, 3, 33, unmet=1, provisional=True),
        "S2": _fact("Embedded", 4, 4, 1, 3, 33, provisional=True),
    }

    rate_answers(
        audit, acting(senco_a_user, audit.school), {"S1-02": 3, "S1-03": 3, "S2-02": None, "S2-03": 2}
    )
    assert _rows(audit) == FINISHED_4

    school, la = acting(senco_a_user, world.school_a), membership_of(la_officer_x_user)
    services.audit_submit(audit=audit, by=school)
    assert _rows(audit) == FINISHED_4
    services.audit_reopen(audit=audit, by=school)
    assert _rows(audit) == FINISHED_4
    services.audit_submit(audit=audit, by=school)
    services.audit_return(audit=audit, by=la, comment="Show the duty's evidence.")
    assert _rows(audit) == FINISHED_4
    rate_answers(audit, acting(senco_a_user, audit.school), {"S1-01": 2})  # the redraft meets the duty
    # S1: (2+3+3)/3 = 2.67 -> Embedded; overall (2+3+3+3+2)/5 = 2.6 -> Embedded; nothing capped.
    redraft = {
        "overall": _fact("Embedded", 4, 4, 5, 5, 100),
        "S1": _fact("Embedded", 4, 4, 3, 3, 100),
        "S2": _fact("Established", 3, 4, 2, 2, 100),
    }
    assert _rows(audit) == redraft
    services.audit_submit(audit=audit, by=school)
    services.audit_accept(audit=audit, by=la)
    assert _rows(audit) == redraft


def test_carry_forward_and_confirming(world, senco_a_user, la_officer_x_user):
    version = make_version(sections=2, per_section=3, statutory=("S1-01",))
    audit = make_audit(world.school_a, senco_a_user, version)
    rate_answers(
        audit,
        acting(senco_a_user, audit.school),
        {"S1-01": 1, "S1-02": 3, "S1-03": 3, "S2-01": 3, "S2-02": None, "S2-03": 2},
    )
    school = acting(senco_a_user, world.school_a)
    services.audit_submit(audit=audit, by=school)
    services.audit_accept(audit=audit, by=membership_of(la_officer_x_user))

    new = services.audit_carry_forward(
        previous=audit, framework_version=version, academic_year="2027/28", by=school
    )
    # Carried-forward ratings count only once confirmed: nothing is rated and the duty withholds.
    # S2-02 was carried as not applicable, so it stays out of scope.
    assert _rows(new) == {
        "overall": _fact("", None, 4, 0, 5, 0, unrated=1, withheld=True),
        "S1": _fact("", None, 4, 0, 3, 0, unrated=1, withheld=True),
        "S2": _fact("", None, 4, 0, 2, 0),
    }
    event = services.ratings_confirm(audit=new, section=None, by=school)
    assert _rows(new) == FINISHED_4
    services.ratings_confirm_undo(audit=new, event=event, by=school)
    assert _rows(new)["overall"] == _fact("", None, 4, 0, 5, 0, unrated=1, withheld=True)
    assert _rows(audit) == FINISHED_4  # the earlier audit keeps its own rows


def _rag_version() -> FrameworkVersion:
    """Return a version rated Red / Amber / Green (numbered from 1), a duty met only at Green."""
    version = make_version(sections=2, per_section=3, statutory=("S1-01",))
    rag = RatingScale.objects.create(allow_not_applicable=True, met_value=3)
    ScaleLevel.objects.bulk_create(
        [
            ScaleLevel(scale=rag, value=v, label=label, descriptor=label)
            for v, label in [(1, "Red"), (2, "Amber"), (3, "Green")]
        ]
    )
    FrameworkVersion.objects.filter(pk=version.pk).update(scale=rag)
    return FrameworkVersion.objects.get(pk=version.pk)


def test_a_three_point_scale_numbered_from_one(world, senco_a_user):
    audit = make_audit(world.school_a, senco_a_user, _rag_version())
    rate_answers(
        audit,
        acting(senco_a_user, audit.school),
        {"S1-01": 2, "S1-02": 3, "S1-03": 3, "S2-01": 1, "S2-02": 2, "S2-03": None},
    )
    # S1: (2+3+3)/3 = 2.67 -> Green, capped at Amber (the duty is below Green). S2: (1+2)/2 = 1.5 -> a tie
    # goes down -> Red, the first of three. Overall: (2+3+3+1+2)/5 = 2.2 -> Amber, which the cap allows.
    assert _rows(audit) == {
        "overall": _fact("Amber", 2, 3, 5, 5, 100, unmet=1),
        "S1": _fact("Amber", 2, 3, 3, 3, 100, unmet=1, capped=True),
        "S2": _fact("Red", 1, 3, 2, 2, 100),
    }


def test_saving_many_ratings_at_once_refreshes_once(world, senco_a_user, django_assert_num_queries):
    audit = make_audit(world.school_a, senco_a_user, make_version(sections=2, per_section=3))
    ratings = {r.criterion.ref: r for r in Rating.objects.filter(audit=audit).select_related("criterion")}
    answers = [
        services.Answer(ratings[ref], level, False, "", "Seen.", 0)
        for ref, level in [("S1-01", 2), ("S2-01", 0)]
    ]
    services.ratings_record(audit=audit, answers=answers, by=acting(senco_a_user, world.school_a))
    # (2+0)/2 = 1 -> Emerging; the duty S1-01 is met at Established.
    assert _rows(audit)["overall"] == _fact("Emerging", 2, 4, 2, 6, 33, provisional=True)


def test_the_la_reads_levels_only_of_audits_handed_to_it(world, senco_a_user, la_officer_x_user):
    audit = make_audit(world.school_a, senco_a_user, make_version(sections=1, per_section=1))
    la = membership_of(la_officer_x_user)
    assert not restrict(AuditLevel.objects.all(), la, "audit_view").exists()  # a draft
    rate_answers(audit, acting(senco_a_user, audit.school), {"S1-01": 2})
    services.audit_submit(audit=audit, by=acting(senco_a_user, world.school_a))
    assert restrict(AuditLevel.objects.all(), la, "audit_view").count() == 2  # overall and S1
    services.audit_return(audit=audit, by=la, comment="Add evidence.")
    assert not restrict(AuditLevel.objects.all(), la, "audit_view").exists()  # back with the school


def test_rebuild_command_restores_the_rows(world, senco_a_user):
    audit = make_audit(world.school_a, senco_a_user, make_version(sections=2, per_section=3))
    rate_answers(
        audit,
        acting(senco_a_user, audit.school),
        {"S1-01": 1, "S1-02": 3, "S1-03": 3, "S2-01": 3, "S2-02": None, "S2-03": 2},
    )
    expected = _rows(audit)
    AuditLevel.objects.all().delete()
    call_command("rebuild_audit_levels", "--missing", stdout=io.StringIO())
    assert _rows(audit) == expected == FINISHED_4
    audit_levels_refresh(audit)  # again: replaced, never doubled
    assert AuditLevel.objects.filter(audit=audit).count() == 3
