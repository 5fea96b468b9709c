"""Erasing pupil records past retention: the pupil, their carers, cycles, plans and plan history."""

from datetime import date

from django.core.files.storage import default_storage
from django.db import transaction

from ehcp.models import Plan, Pupil
from sendplan.history import erasure_allowed
from sendplan.models import Erasure, Report
from sendplan.services import erasure_record


@transaction.atomic
def expired_pupils_erase(*, by: str, today: date | None = None) -> Erasure | None:
    """Erase every pupil past retention and not under a legal hold; record ids and counts, never names.

    The access log keeps its rows: they hold the pupil's id, not their name, and say who looked.
    Return None if nothing was past retention.
    """
    from ehcp.selectors import pupils_past_retention  # selectors import services: import here, no cycle

    due = [pupil.pk for pupil, _ in pupils_past_retention(today=today)]
    # Lock the rows, and look at the legal hold again: someone may have set one since the list was made.
    pupils = list(Pupil.objects.select_for_update().filter(pk__in=due, legal_hold=False).order_by("pk"))
    if not pupils:
        return None
    subject_ids = [p.public_id for p in pupils] + list(
        Plan.objects.filter(pupil__in=pupils).values_list("public_id", flat=True)
    )
    reports = Report.objects.filter(school_id__in={p.school_id for p in pupils}, subject_id__in=subject_ids)
    files = [name for name in reports.values_list("file", flat=True) if name]
    with erasure_allowed():
        _, counts = reports.delete()
        _, pupil_counts = Pupil.objects.filter(pk__in=[p.pk for p in pupils]).delete()
    counts = {**counts, **pupil_counts}
    transaction.on_commit(lambda: [default_storage.delete(name) for name in files])
    return erasure_record(
        kind=Erasure.Kind.PUPILS_PAST_RETENTION,
        by=by,
        erased_ids=[str(p.public_id) for p in pupils],
        counts=counts,
    )
