"""Render any kind of document to a file without the web, through the same renderers the workers use."""

import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sendplan import reports, services
from sendplan.models import Report, School

SUBJECT_OPTIONS = ("audit", "plan", "pupil", "publication")  # the option naming each kind's subject


class Command(BaseCommand):
    help = (
        "Render a document to a file (PDF or Word, by the file's extension) from the data as it is now, "
        "e.g. render_report ehc_plan --school 100001 --plan <id> -o plan.pdf. Documents showing a pupil "
        "are recorded in the pupil's access log as an export by the operator."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", help=f"one of: {', '.join(sorted(reports.KINDS))}")
        parser.add_argument("--school", required=True, metavar="URN", help="the school's 6-digit URN")
        for name in SUBJECT_OPTIONS:
            parser.add_argument(f"--{name}", metavar="ID", help=f"the {name}'s id (as in its web address)")
        parser.add_argument(
            "--plan-version", metavar="N", help="for a plan: the version number (default: latest)"
        )
        parser.add_argument("-o", "--output", required=True, metavar="FILE", help="a .pdf or .docx file")

    def handle(self, *args, **options) -> None:
        try:
            spec = reports.kind_for(options["kind"])
        except reports.UnknownKind as exc:
            raise CommandError(f"{exc} Choose one of: {', '.join(sorted(reports.KINDS))}.") from None
        if spec.about_la:
            # What an LA's document shows is what its staff may see: it is asked for by one of them.
            raise CommandError(
                f"{spec.kind} is about a local authority: its staff ask for it on its reports page."
            )
        output = Path(options["output"])
        format = output.suffix.lower().lstrip(".")
        if format not in spec.formats:
            offered = " or ".join(f".{f}" for f in spec.formats)
            raise CommandError(f"{spec.kind} is written as {offered}, not {output.suffix or 'no extension'}.")
        school = School.objects.select_related("local_authority").filter(urn=options["school"]).first()
        if school is None:
            raise CommandError(f"No school has the URN {options['school']}.")
        subject = school if spec.about_school else self._subject(spec, school, options)
        version = options["plan_version"]
        extra = {"version": version} if version and spec.kind == Report.Kind.EHC_PLAN else {}
        started = time.perf_counter()
        try:
            snapshot = reports.snapshot_take(spec, subject, by=None, **extra)
        except reports.DomainError as exc:
            raise CommandError(str(exc)) from None
        content = reports.render_snapshot(spec, snapshot, format)
        seconds = time.perf_counter() - started
        output.write_bytes(content)
        if spec.pupil is not None:
            services.access_event_record_by_operator(
                pupil=spec.pupil(subject), what=f"{spec.kind.replace('_', ' ')} written to a file ({format})"
            )
        self.stdout.write(f"Wrote {output} ({len(content):,} bytes) in {seconds:.2f} s.")

    def _subject(self, spec: reports.DocumentKind, school: School, options: dict):
        name = spec.subject_models[0].__name__.lower()  # the first model names the option
        public_id = options.get(name)
        if not public_id:
            raise CommandError(f"{spec.kind} is about a {name}: give --{name} ID.")
        for model in spec.subject_models:
            try:
                subject = model._default_manager.filter(school=school, public_id=public_id).first()
            except ValidationError:  # not a UUID
                subject = None
            if subject is not None:
                return subject
        raise CommandError(f"{school.name} has no {name} with the id {public_id}.")
