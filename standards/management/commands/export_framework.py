from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from standards.loader import dump_yaml, version_to_data
from standards.models import FrameworkVersion


class Command(BaseCommand):
    help = "Write a framework version as YAML in the format load_framework reads (docs/framework-format.md)."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The framework's slug, e.g. sendplan-oap")
        parser.add_argument("version", help="The version label, e.g. 2026")
        parser.add_argument("-o", "--output", help="Write to this file instead of standard output.")

    def handle(self, *args, slug: str, version: str, output: str | None = None, **options):
        found = (
            FrameworkVersion.objects.select_related("framework__local_authority", "previous", "scale")
            .filter(framework__slug=slug, label=version)
            .first()
        )
        if found is None:
            raise CommandError(f"There is no version {version} of a framework '{slug}'.")
        text = dump_yaml(version_to_data(found))
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(self.style.SUCCESS(f"Wrote {output}"))
        else:
            self.stdout.write(text, ending="")
