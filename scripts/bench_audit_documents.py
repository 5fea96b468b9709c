"""Audit documents: render time of the governors' SEND health check and of the full audit report.

Measured in this process exactly as a worker renders (sendplan.reports.render_snapshot from the stored
snapshot), median of 5 after a warm-up, on a 150-criterion audit (10 sections of 15) with every criterion
rated with a rationale, evidence on a third of them, 20 actions and LA comments. Targets from issue 10:
health check <= 1.5 s, full report of a 150-criterion audit <= 3 s.
"""

import json
import os
from pathlib import Path

PARAGRAPH = (
    "Staff use the graduated approach consistently; provision maps are reviewed each term with parents, "
    "and the SENCO checks a sample of plans against pupils' progress."
)


def run(report) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from audits.models import Action, Audit, Evidence, LAComment, Rating
    from scripts.bench_reports import _pages, _timed
    from sendplan import reports
    from sendplan.models import Role
    from tests.audits.factories import make_audit, make_version
    from tests.conftest import make_member
    from tests.factories import LocalAuthorityFactory, SchoolFactory

    la = LocalAuthorityFactory(name="Bench documents LA", code="994")
    school = SchoolFactory(name="Bench Documents School", local_authority=la)
    senco = make_member(Role.SENCO, school=school, email="bench.documents.senco@example.org")
    statutory = tuple(f"S{s}-01" for s in range(1, 11))
    version = make_version(sections=10, per_section=15, statutory=statutory, slug="bench-audit-documents")
    audit = make_audit(school, senco, version)
    ratings = list(audit.ratings.select_related("criterion").order_by("criterion__position"))
    for i, rating in enumerate(ratings):
        rating.level = (i % 4) if rating.criterion.ref not in statutory else 2 + (i % 2)
        rating.rationale = PARAGRAPH
    Rating.objects.bulk_update(ratings, ["level", "rationale"])
    evidence = Evidence.objects.bulk_create(
        [Evidence(school=school, audit=audit, title=f"Provision map, term {i}", url=f"https://example.org/e/{i}",
                  shareable_with_governors=i % 2 == 0) for i in range(30)]
    )  # fmt: skip
    through = Rating.evidence.through
    through.objects.bulk_create(
        [
            through(rating_id=r.pk, evidence_id=evidence[i % 30].pk)
            for i, r in enumerate(ratings)
            if i % 3 == 0
        ]
    )
    today = timezone.localdate()
    Action.objects.bulk_create(
        [Action(school=school, audit=audit, criterion=ratings[i * 7].criterion, what=f"Improve practice {i}. {PARAGRAPH}",
                owner="SENCO", due=today + timedelta(days=30 * (i - 5)), status="done" if i % 4 == 0 else "open")
         for i in range(20)]
    )  # fmt: skip
    Audit.objects.filter(pk=audit.pk).update(status="submitted", submitted_at=timezone.now())
    LAComment.objects.bulk_create(
        [
            LAComment(school=school, audit=audit, criterion=ratings[i * 11].criterion, text=PARAGRAPH)
            for i in range(10)
        ]
    )
    audit.refresh_from_db()
    membership = senco.memberships.get()
    for kind, label, target in (
        ("health_check", "governors' SEND health check", 1500),
        ("audit_report", "full audit report", 3000),
    ):
        spec = reports.kind_for(kind)
        snapshot = reports.snapshot_take(spec, audit, by=membership)
        if os.environ.get("DUMP_SNAPSHOTS"):
            Path(os.environ["DUMP_SNAPSHOTS"], f"{kind}.json").write_text(json.dumps(snapshot))
        pages = _pages(reports.render_snapshot(spec, snapshot, "pdf"))
        wall, cpu = _timed(
            lambda spec=spec, snapshot=snapshot: reports.render_snapshot(spec, snapshot, "pdf")
        )
        report.figure(
            f"PDF, {label}, 150 criteria, {pages} pages: wall (median of 5)", wall, f"ms (target <= {target})"
        )
        report.figure(f"PDF, {label}: CPU", cpu, "ms")
        if "docx" in spec.formats:
            wall, _ = _timed(
                lambda spec=spec, snapshot=snapshot: reports.render_snapshot(spec, snapshot, "docx")
            )
            report.figure(f"Word, {label}: wall (median of 5)", wall, "ms")
