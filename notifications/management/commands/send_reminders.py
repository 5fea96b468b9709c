"""Send today's reminders before statutory deadlines and of overdue actions (from cron, or by hand)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from notifications.reminders import reminders_send


class Command(BaseCommand):
    help = "Send the reminders that fall due today. Each goes once, however often this runs."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="Act as if today were this date (YYYY-MM-DD), to catch up a missed day"
        )

    def handle(self, *args, **options):
        today = None
        if options["date"]:
            try:
                today = date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("Enter the date like 2027-03-02") from exc
        sent = reminders_send(today=today)
        self.stdout.write(f"{sent} reminder{'s' if sent != 1 else ''} sent.")
