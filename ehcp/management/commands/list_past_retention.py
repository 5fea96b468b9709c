"""List pupils whose records are past their LA's retention period (date of birth + years), except legal holds."""

from django.core.management.base import BaseCommand

from ehcp.selectors import pupils_past_retention


class Command(BaseCommand):
    help = (
        "List pupils past retention (date of birth plus the LA's retention years), leaving out legal holds."
    )

    def handle(self, *args, **options) -> None:
        rows = pupils_past_retention()
        if not rows:
            self.stdout.write("No pupil records are past their retention date.")
            return
        self.stdout.write(f"{len(rows)} pupil record(s) past retention (legal holds left out):")
        for pupil, until in rows:
            self.stdout.write(
                f"{pupil.public_id}\t{pupil.last_name}, {pupil.first_name}\tborn {pupil.date_of_birth:%Y-%m-%d}"
                f"\tretain until {until:%Y-%m-%d}\t{pupil.school.name} ({pupil.school.urn})"
            )
