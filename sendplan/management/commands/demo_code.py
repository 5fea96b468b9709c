from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sendplan.demo import DEMO_TOTP_SECRET
from sendplan.load_data import LOAD_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the current authentication code of the demo accounts (development only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--load", action="store_true", help="The code of the accounts made by generate_load_data."
        )

    def handle(self, *args, load: bool = False, **options):
        if not settings.DEMO_MODE:
            raise CommandError("Demo codes are only available in demo mode (DEBUG=1).")
        counter = next(yield_hotp_counters_from_time())
        secret = LOAD_TOTP_SECRET if load else DEMO_TOTP_SECRET
        self.stdout.write(format_hotp_value(hotp_value(secret, counter)))
