"""Work out again every audit's levels into the summary table (after upgrading, or to repair it)."""

from django.core.management.base import BaseCommand

from audits.levels import audit_levels_rebuild
from audits.models import Audit


class Command(BaseCommand):
    help = (
        "Work out every audit's overall and section levels with the scoring rules and store them "
        "(audits.AuditLevel). Run once after the migration that adds the table; safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--missing", action="store_true", help="only audits that have no levels stored yet"
        )

    def handle(self, *args, missing: bool = False, **options):
        audits = Audit.objects.all()
        if missing:
            audits = audits.filter(levels__isnull=True).distinct()
        count = audit_levels_rebuild(audits)
        self.stdout.write(f"Levels worked out for {count} audit{'s' if count != 1 else ''}.")
