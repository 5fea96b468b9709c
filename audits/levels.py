"""Keep each audit's levels in a summary table (``AuditLevel``) for pages that read many audits at once.

Why a table, and why it is written here:

- The scoring rules live once, in Python (``audits/scoring.py``, read through
  ``audits.selectors.audit_summary``): averages rounded to the nearest level with ties going down,
  statutory duties that cap a section or withhold its level, not-applicable criteria left out, carried-
  forward ratings that count only once confirmed. Writing them again in SQL for the LA's pages would give
  two statements of the rules that drift apart. Instead every service that changes what the rules read
  (an audit's ratings, or its status) calls ``audit_levels_refresh`` in its own transaction, which runs
  the Python rules on that one audit and stores the result: one row for the audit as a whole and one for
  each section.
- LA pages then read levels for every school with one grouped query, whatever the number of schools, and
  never run the rules per school in a loop (600 schools × 150 criteria would be 90,000 ratings a page).
- A level is stored as its name and its position in its scale (1 = the lowest) beside the scale's size,
  so audits of frameworks with different scales (a four-level scale and a three-point RAG) are compared
  by name and position, never by a raw level number.

Reading: ``AuditLevel.objects.filter(section__isnull=True)`` gives each audit's overall level,
``section__isnull=False`` its sections' levels; join ``audit`` for the school, version, year and status.
Count a level only while its audit is submitted or accepted (``Audit.LA_CONTENT``; the model's tenancy
does so for LA staff through ``policy.restrict``): a draft's or a returned audit's levels are the school's.

Every caller holds the audit row locked (``select_for_update``) or has just created the audit, so two
refreshes of one audit never interleave; the refresh replaces the audit's rows (a delete and one insert).
Rows that existed before this table are filled in by ``manage.py rebuild_audit_levels``.
"""

from django.db import transaction
from django.utils import timezone

from audits import scoring
from audits.models import Audit, AuditLevel
from audits.selectors import audit_summary


def _row(audit: Audit, section_id: int | None, result: scoring.LevelResult, scale: scoring.Scale, now):
    has_level = result.value is not None
    return AuditLevel(
        school_id=audit.school_id,
        audit_id=audit.pk,
        section_id=section_id,
        level_label=scale.label(result.value) if has_level else "",
        level_position=scale.values.index(result.value) + 1 if has_level else None,
        scale_size=len(scale.values),
        rated=result.rated,
        in_scope=result.total,
        percent_rated=(100 * result.rated // result.total) if result.total else 0,
        duties_total=result.duties.total,
        duties_unmet=result.duties.unmet,
        duties_unrated=result.duties.unrated,
        withheld=result.withheld,
        withheld_reason=result.withheld_reason or "",
        provisional=result.provisional,
        capped=result.capped,
        cap_reason=result.cap_reason or "",
        updated_at=now,
    )


def audit_levels_rows(audit: Audit) -> list[AuditLevel]:
    """Return the audit's levels, overall first then each section, as unsaved rows (the rules in Python)."""
    summary = audit_summary(audit)
    section_ids = {row["criterion__section__ref"]: row["criterion__section_id"] for row in summary.rows}
    now = timezone.now()
    rows = [_row(audit, None, summary.overall, summary.scale, now)]
    rows += [
        _row(audit, section_ids[section["ref"]], section["level"], summary.scale, now)
        for section in summary.sections
    ]
    return rows


@transaction.atomic(savepoint=False)  # inside a service's transaction: no savepoint round trips
def audit_levels_refresh(audit: Audit) -> list[AuditLevel]:
    """Work out the audit's levels with the scoring rules and store them in place of the old ones.

    Call it from every service that changes an audit's ratings or status, after the change, while the
    service holds the audit row locked.
    """
    rows = audit_levels_rows(audit)
    AuditLevel.objects.filter(audit_id=audit.pk).delete()
    return AuditLevel.objects.bulk_create(rows)


def audit_levels_rebuild(audits=None, *, batch: int = 200) -> int:
    """Refresh the levels of the given audits (all audits by default), each under its row lock; return how many."""
    queryset = audits if audits is not None else Audit.objects.all()
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    done = 0
    for start in range(0, len(ids), batch):
        with transaction.atomic():
            for audit in (
                Audit.objects.select_for_update(of=("self",))
                .select_related("framework_version__scale")
                .filter(pk__in=ids[start : start + batch])
                .order_by("pk")
            ):
                audit_levels_refresh(audit)
                done += 1
    return done
