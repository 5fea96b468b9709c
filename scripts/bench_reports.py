"""Documents: EHC plan PDF and Word render time, and reports per minute on real Celery workers.

Render time is measured in this process exactly as a worker renders (sendplan.reports.render_snapshot from
the stored snapshot). Throughput queues 50 EHC plan PDFs on Redis and times real `celery worker`
processes (prefork, 1 then 2 processes, each warmed with one report first) until all 50 are ready; the
memory figure is the largest resident set size (RSS) of a worker process after the 50. Targets from
issue 10: PDF <= 1 s, Word <= 0.5 s, memory <= 250 MB; 2 processes should nearly double the rate.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

BATCH = 50
START_TIMEOUT = 60
BATCH_TIMEOUT = 600


def _plan(school, *, name: str, needs: int, provision: int, length: int):
    """Build a plan: ``needs`` needs and outcomes, ``provision`` items (F, then G and H2), text ``length`` times."""
    from ehcp.models import Advice, Need, Outcome, Plan, PlanVersion, Provision, Pupil

    pupil = Pupil.objects.create(
        school=school, first_name=name, last_name="Pupil", date_of_birth=date(2015, 5, 1), year_group="5",
        sen_provision="E", primary_need="ASD", secondary_need="SLCN",
    )  # fmt: skip
    plan = Plan.objects.create(school=school, pupil=pupil, requested_on=date(2026, 1, 5))
    paragraph = (
        "Enjoys building models and talking about trains. At home and at school is happiest with a "
        "predictable routine, and tells adults when a break is needed using picture cards. "
    ) * length
    version = PlanVersion.objects.create(
        school=school, plan=plan, number=1, a_views=paragraph * 2, a_history=paragraph, a_communication=paragraph,
        c_health_needs=paragraph, d_social_care_needs=paragraph,
    )  # fmt: skip
    areas = ["communication_interaction", "cognition_learning", "semh", "sensory_physical"]
    made_needs, made_outcomes = [], []
    for i in range(needs):
        need = Need.objects.create(
            version=version,
            school=school,
            position=i,
            area_of_need=areas[i % 4],
            text=f"Need {i}. {paragraph}",
        )
        outcome = Outcome.objects.create(
            version=version, school=school, position=i, text=f"By July 2027 will manage {i} more things. {paragraph}",
            timeframe="By the end of Year 6", steps="Half-termly steps agreed with the family",
        )  # fmt: skip
        outcome.needs.set([need])
        made_needs.append(need)
        made_outcomes.append(outcome)
    for i in range(provision):
        section = "F" if i < provision * 0.7 else ("G" if i < provision * 0.9 else "H2")
        item = Provision.objects.create(
            version=version, school=school, section=section, position=i,
            what=f"Individual speech and language therapy, programme {i}", who="Speech and language therapist",
            expertise="HCPC-registered", frequency="Once a week", duration="30 minutes, for the school year",
            group_size="1:1", responsible_body="The local authority", start_date=date(2026, 9, 7),
            review_date=date(2027, 7, 16),
        )  # fmt: skip
        item.needs.set([made_needs[i % needs]])
        item.outcomes.set([made_outcomes[i % needs]])
    for i in range(4):
        Advice.objects.create(
            version=version, school=school, position=i, source=f"Advice {i}", author="Dr A. Patel", date=date(2026, 4, 14)
        )  # fmt: skip
    return plan


def _pages(pdf: bytes) -> str:
    """Return the PDF's number of pages as pdfinfo (poppler) counts them, or "?" without it."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        try:
            out = subprocess.run(["pdfinfo", file.name], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607 - a fixed argument list; pdfinfo from PATH is a developer tool
        except (OSError, subprocess.CalledProcessError):
            return "?"
    return next((line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")), "?")


def _timed(func, repeat: int = 5) -> tuple[float, float]:
    """Return the median wall time and the median CPU time of ``func`` in milliseconds, after one warm-up."""
    func()
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        func()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def _database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        found.extend(int(c) for c in children)
    return found


def _wait(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def _throughput(report, *, processes: int, plan, membership, media: str) -> None:
    from sendplan import reports
    from sendplan.celery import app as celery_app
    from sendplan.models import Report

    name = f"bench-{processes}-{uuid.uuid4().hex[:6]}@bench"
    env = {**os.environ, "DATABASE_URL": _database_url(), "PRIVATE_MEDIA_ROOT": media, "DEBUG": "1"}
    celery = str(Path(sys.executable).with_name("celery"))
    log = Path(media) / f"{name}.log"
    celery_app.control.purge()
    with open(log, "wb") as out:
        worker = subprocess.Popen(  # noqa: S603 - our own celery executable with fixed arguments
            [celery, "-A", "sendplan", "worker", "--pool=prefork", f"--concurrency={processes}", "-n", name,
             "-l", "WARNING", "--without-gossip", "--without-mingle"],
            cwd=Path(__file__).resolve().parent.parent, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        if not _wait(lambda: celery_app.control.ping(destination=[name], timeout=0.5), START_TIMEOUT):
            report.figure(f"{processes} worker process(es): did not start", 0, "")
            return
        # Warm each process (Python imports, WeasyPrint's fonts) before the clock starts.
        warm = [
            reports.report_request(kind="ehc_plan", subject=plan, by=membership) for _ in range(processes)
        ]
        _wait(
            lambda: Report.objects.filter(pk__in=[r.pk for r in warm], status="ready").count() == processes,
            120,
        )
        started = time.perf_counter()
        batch = [reports.report_request(kind="ehc_plan", subject=plan, by=membership) for _ in range(BATCH)]
        ids = [r.pk for r in batch]
        done = _wait(
            lambda: Report.objects.filter(pk__in=ids, status__in=["ready", "failed"]).count() == BATCH,
            BATCH_TIMEOUT,
        )
        elapsed = time.perf_counter() - started
        failed = Report.objects.filter(pk__in=ids, status="failed").count()
        label = f"{BATCH} typical plan PDFs queued, {processes} worker process{'es' if processes > 1 else ''}"
        if not done:
            report.figure(f"{label}: not finished after", BATCH_TIMEOUT, "s")
        else:
            report.figure(f"{label}: reports per minute", BATCH / elapsed * 60, "per minute")
            report.figure(f"{label}: wall time", elapsed, "s")
        if failed:
            report.figure(f"{label}: failed", failed, "reports")
        children = _children(worker.pid)
        largest = max((_rss_mb(pid) for pid in children), default=0.0)
        report.figure(f"{label}: largest worker process RSS after", largest, "MB (target <= 250)")
        report.figure(f"{label}: main (supervising) process RSS", _rss_mb(worker.pid), "MB")
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=10)
        celery_app.control.purge()


def run(report) -> None:
    from django.conf import settings
    from django.db import connection

    from sendplan import reports
    from sendplan.models import LocalAuthority, Membership, Role, School, User

    load, cores = os.getloadavg()[0], os.cpu_count()
    print(
        f"  (load average {load:.1f} on {cores} cores at the start: wall times include waiting for the CPU)"
    )
    la = LocalAuthority.objects.create(name="Bench reports LA", code="993")
    school = School.objects.create(
        local_authority=la,
        urn="993001",
        name="Bench Reports Primary",
        phase="primary",
        school_type="community",
    )
    user = User.objects.create_user("bench.reports@example.org", "x")
    membership = Membership.objects.create(user=user, school=school, role=Role.SENCO)
    spec = reports.kind_for("ehc_plan")
    plans = {
        "typical plan (4 needs, 10 provision items)": _plan(
            school, name="Typical", needs=4, provision=10, length=1
        ),
        "large plan (8 needs, 17 provision items, long text)": _plan(
            school, name="Large", needs=8, provision=17, length=3
        ),
    }
    first = True
    for label, plan in plans.items():
        snapshot = reports.snapshot_take(spec, plan, by=membership)
        if first:
            started = time.perf_counter()
            reports.render_snapshot(spec, snapshot, "pdf")
            report.figure(
                "EHC plan PDF: first render in a fresh process", (time.perf_counter() - started) * 1000, "ms"
            )
            first = False
        pdf = reports.render_snapshot(spec, snapshot, "pdf")
        pages = _pages(pdf)
        wall, cpu = _timed(lambda snapshot=snapshot: reports.render_snapshot(spec, snapshot, "pdf"))
        report.figure(f"PDF, {label}, {pages} pages: wall (median of 5)", wall, "ms (target <= 1000)")
        report.figure(f"PDF, {label}, {pages} pages: CPU", cpu, "ms")
        wall, cpu = _timed(lambda snapshot=snapshot: reports.render_snapshot(spec, snapshot, "docx"))
        report.figure(f"Word, {label}: wall (median of 5)", wall, "ms (target <= 500)")
        report.figure(f"Word, {label}: CPU", cpu, "ms")
    if not settings.CELERY_BROKER_URL.startswith("redis") or connection.vendor != "postgresql":
        print("  Reports per minute: skipped (needs REDIS_URL and a PostgreSQL DATABASE_URL)")
        return
    typical = next(iter(plans.values()))
    with tempfile.TemporaryDirectory(prefix="sendplan-bench-") as media:
        for processes in (1, 2):
            _throughput(report, processes=processes, plan=typical, membership=membership, media=media)
