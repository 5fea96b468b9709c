"""Erase pupil records past their LA's retention period (date of birth + years), except legal holds."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from ehcp.selectors import pupils_past_retention
from ehcp.services import expired_pupils_erase


class Command(BaseCommand):
    help = (
        "List (by default) or erase (--confirm) the pupil records past retention that are not under a "
        "legal hold: the pupil, carers, cycles, plans and plan history. Prints ids, never names; each "
        "erasure is recorded for good (sendplan.models.Erasure)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--confirm", action="store_true", help="Erase them (without it: a dry run).")
        parser.add_argument("--today", type=date.fromisoformat, help="Judge retention as on this date.")

    def handle(self, *args, confirm: bool = False, today: date | None = None, **options) -> None:
        rows = pupils_past_retention(today=today)
        if not rows:
            self.stdout.write("No pupil records are past their retention date.")
            return
        if not confirm:
            self.stdout.write(
                f"{len(rows)} pupil record(s) past retention would be erased (legal holds left out):"
            )
            for pupil, until in rows:
                self.stdout.write(
                    f"{pupil.public_id}\tschool {pupil.school.urn}\tretain until {until:%Y-%m-%d}"
                )
            self.stdout.write("Nothing was erased. Run again with --confirm to erase them.")
            return
        erasure = expired_pupils_erase(by="manage.py erase_past_retention", today=today)
        if erasure is None:
            raise CommandError(
                "The records changed while running (a legal hold was set?); nothing was erased."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Erased {len(erasure.erased_ids)} pupil record(s); recorded as erasure {erasure.public_id}:"
            )
        )
        for label, count in erasure.counts.items():
            self.stdout.write(f"{label}\t{count}")
