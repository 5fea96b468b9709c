from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from standards.loader import parse_yaml
from standards.services import FrameworkInvalid, framework_version_load


class Command(BaseCommand):
    help = (
        "Load a framework version from a YAML file (docs/framework-format.md). The whole file is checked "
        "first and written in one transaction; loading the same published version again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The YAML file, e.g. fixtures/frameworks/sendplan-oap/2026.yaml")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and say what would change."
        )

    def handle(self, *args, path: str, dry_run: bool = False, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"{path}: no such file")
        data, problems = parse_yaml(file.read_bytes(), source=str(path))
        if not problems:
            try:
                result = framework_version_load(by=None, data=data, dry_run=dry_run)
            except FrameworkInvalid as exc:
                problems = exc.problems
        if problems:
            for problem in problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{path}: {len(problems)} problem{'s' if len(problems) > 1 else ''}; nothing was loaded"
            )
        self.stdout.write(self.style.SUCCESS(result.describe()))
