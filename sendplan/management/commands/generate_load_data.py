import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sendplan import load_data


class Command(BaseCommand):
    help = (
        "Generate an LA of many schools with audits, pupils and EHC plans, for benchmarks and load tests "
        f"(every account's password: {load_data.LOAD_PASSWORD}). Never on a real installation."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schools", type=int, default=600, help="Schools in the large LA (default 600).")
        parser.add_argument(
            "--criteria", type=int, default=150, help="Criteria in the framework (default 150)."
        )
        parser.add_argument("--years", type=int, default=3, help="Academic years of audits (default 3).")
        parser.add_argument(
            "--seed", type=int, default=2026, help="Random seed: the same seed, the same data."
        )
        parser.add_argument(
            "--reset", action="store_true", help="Delete generated data first, then generate."
        )
        parser.add_argument(
            "--if-missing", action="store_true", help="Do nothing if generated data is already here."
        )
        parser.add_argument(
            "--force", action="store_true", help="Run even when DEBUG is off (never in production)."
        )

    def handle(self, *args, schools, criteria, years, seed, reset, if_missing, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "generate_load_data creates accounts with a published password; it runs only with DEBUG=1."
            )
        if schools < 1 or criteria < 1 or not 1 <= years <= 10:
            raise CommandError("Give at least 1 school and 1 criterion, and 1 to 10 years.")
        started = time.monotonic()
        if reset and load_data.exists():
            self.stdout.write("Deleting the generated data…")
            load_data.reset()
        elif if_missing and load_data.exists():
            self.stdout.write("Generated data is already here; leaving it as it is.")
            self.stdout.write(f"  LA summary: {load_data.refresh_summaries(missing_only=True)}")
            return
        self.stdout.write(f"Generating {schools} schools, {criteria} criteria, {years} years…")
        try:
            counts = load_data.generate(
                schools=schools, criteria=criteria, years=years, seed=seed, out=self.stdout
            )
        except load_data.LoadDataExists as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"  LA summary: {counts.summary_refreshed}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {time.monotonic() - started:.0f} s. Sign in as senco.700001@{load_data.EMAIL_DOMAIN} "
                f"(or head., governor., officer1.960@, admin.960@), password {load_data.LOAD_PASSWORD}; "
                "authentication code: manage.py demo_code --load"
            )
        )
