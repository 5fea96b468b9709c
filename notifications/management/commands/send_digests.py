"""Send today's daily emails to people who chose them (from cron, or by hand)."""

from django.core.management.base import BaseCommand

from notifications.services import digests_send


class Command(BaseCommand):
    help = "Send each person who chose a daily email one email of what they were told. Once a day each."

    def handle(self, *args, **options):
        sent = digests_send()
        self.stdout.write(f"{sent} daily email{'s' if sent != 1 else ''} sent.")
