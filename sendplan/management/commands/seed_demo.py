from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from sendplan import demo


class Command(BaseCommand):
    help = "Create the fictional demo LA, 8 schools and one account per role (development only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even when DEBUG is off (never in production)."
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with published passwords; it runs only with DEBUG=1."
            )
        # The demo's own history (submissions, decisions, final plans) emails no one: kept in memory only.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            context = demo.seed()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {context.local_authority}, {len(context.schools)} schools, "
                f"{len(context.users)} accounts (password: {demo.DEMO_PASSWORD}; code: make demo-code)."
            )
        )
