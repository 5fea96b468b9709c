"""Background work on a real Celery worker process, with Redis as the broker and the test database.

Each test starts `celery worker --pool=solo` as a subprocess pointed at this test's database and private
storage, waits until it answers a ping, and stops it at the end (terminate, then kill after a timeout).
"""

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse

from sendplan import reports
from sendplan.celery import app as celery_app
from sendplan.models import Report
from sendplan.tasks import render_report
from tests.conftest import membership_of, service_missing
from tests.sendplan.slow_report import SLOW_KIND

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

CELERY = str(Path(sys.executable).with_name("celery"))
START_TIMEOUT = 60
RENDER_TIMEOUT = 60


@dataclass
class Worker:
    name: str
    process: subprocess.Popen
    log_path: Path
    stopped: bool = field(default=False)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self, timeout: float = 15) -> None:
        """Warm shutdown; kill if it does not stop in time."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.stopped = True

    def kill(self) -> None:
        """SIGKILL, as when a machine dies: no warm shutdown, no acknowledgement, nothing requeued."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.stopped = True


def database_url() -> str:
    db = connection.settings_dict
    if not db["ENGINE"].endswith("postgresql"):
        service_missing("PostgreSQL: a worker process cannot share an in-memory SQLite test database")
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_for(predicate, timeout: float, what: str, worker: Worker | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        if worker is not None and worker.process.poll() is not None:
            pytest.fail(f"the worker exited while waiting for {what}:\n{worker.log()[-3000:]}")
        time.sleep(0.2)
    pytest.fail(
        f"timed out after {timeout}s waiting for {what}" + (f":\n{worker.log()[-3000:]}" if worker else "")
    )


@pytest.fixture
def start_worker(tmp_path):
    """Return a function that starts a worker process; every worker started is stopped at teardown."""
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        service_missing("REDIS_URL is not set: the worker tests need Redis")
    db_url = database_url()
    celery_app.control.purge()  # nothing left over from another test may reach this test's worker
    workers: list[Worker] = []

    def start(extra_env: dict | None = None) -> Worker:
        name = f"fnd-{uuid.uuid4().hex[:8]}@test"
        log_path = tmp_path / f"{name}.log"
        env = {
            **os.environ,
            "DATABASE_URL": db_url,
            "REDIS_URL": redis_url,
            "DEBUG": "1",
            "PRIVATE_MEDIA_ROOT": str(settings.STORAGES["default"]["OPTIONS"]["location"]),
            **(extra_env or {}),
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                [CELERY, "-A", "sendplan", "worker", "--pool=solo", "--concurrency=1", "-Q", "celery",
                 "-n", name, "-l", "INFO", "--without-gossip", "--without-mingle",
                 "--include", "tests.sendplan.slow_report"],
                cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        worker = Worker(name=name, process=process, log_path=log_path)
        workers.append(worker)
        wait_for(
            lambda: celery_app.control.ping(destination=[name], timeout=0.5),
            START_TIMEOUT,
            f"worker {name} to answer a ping",
            worker,
        )
        return worker

    yield start
    for worker in workers:
        worker.stop()
    celery_app.control.purge()


def report_done(report_id: int):
    report = Report.objects.get(pk=report_id)
    return report if report.is_finished else None


def files_under(root: Path) -> list[Path]:
    return (
        sorted(p for p in (root / "reports").rglob("*") if p.is_file()) if (root / "reports").exists() else []
    )


@pytest.mark.parametrize("persona", ["governor_a", "senco_a"])
def test_a_request_enqueues_and_the_worker_renders_the_pdf(request, persona, world, start_worker):
    client = request.getfixturevalue(persona)
    worker = start_worker()
    response = client.post(reverse("sendplan:report_request"), {"kind": Report.Kind.SCHOOL_OVERVIEW})
    assert response.status_code == 302
    report = Report.objects.get(school=world.school_a)
    assert report.status in {Report.Status.QUEUED, Report.Status.RENDERING, Report.Status.READY}

    report = wait_for(lambda: report_done(report.pk), RENDER_TIMEOUT, "the report to be rendered", worker)
    assert report.status == Report.Status.READY, report.error
    assert report.attempts == 1

    page = client.get(reverse("sendplan:report_list"))
    html = page.content.decode()
    row = re.search(rf'<tr[^>]*id="report-{report.public_id}".*?</tr>', html, re.S).group(0)
    assert "Ready" in row and "hx-get" not in row  # finished rows stop polling
    download = client.get(reverse("sendplan:report_download", args=[report.public_id]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    body = b"".join(download.streaming_content)
    assert body.startswith(b"%PDF-")
    assert "Task sendplan.tasks.render_report[" in worker.log()


def test_a_task_enqueued_in_a_rolled_back_transaction_never_runs(world, governor_a_user, start_worker):
    worker = start_worker()
    with pytest.raises(RuntimeError), transaction.atomic():
        reports.report_request(
            kind=Report.Kind.SCHOOL_OVERVIEW, subject=world.school_a, by=membership_of(governor_a_user)
        )
        raise RuntimeError("something later in the same request failed")
    assert not Report.objects.exists()

    # a report asked for afterwards goes through the same queue; once it is done, the queue is empty
    marker = reports.report_request(
        kind=Report.Kind.SCHOOL_OVERVIEW, subject=world.school_a, by=membership_of(governor_a_user)
    )
    wait_for(lambda: report_done(marker.pk), RENDER_TIMEOUT, "the later report", worker)
    received = re.findall(r"Task sendplan\.tasks\.render_report\[[^\]]+\] received", worker.log())
    assert len(received) == 1, worker.log()


def test_the_same_job_delivered_three_times_makes_one_file(world, tmp_path, governor_a_user, start_worker):
    worker = start_worker()
    report = reports.report_request(
        kind=Report.Kind.SCHOOL_OVERVIEW, subject=world.school_a, by=membership_of(governor_a_user)
    )
    render_report.delay(report.pk)  # duplicate deliveries, as after a broker hiccup
    render_report.delay(report.pk)

    def three_succeeded():
        return len(re.findall(r"Task sendplan\.tasks\.render_report\[[^\]]+\] succeeded", worker.log())) == 3

    wait_for(three_succeeded, RENDER_TIMEOUT, "three deliveries to finish", worker)
    report.refresh_from_db()
    assert report.status == Report.Status.READY
    assert report.attempts == 1  # the later deliveries found it done and did nothing
    assert Report.objects.filter(status=Report.Status.READY).count() == 1
    assert files_under(tmp_path) == [tmp_path / report.file.name]
    renders = re.findall(r"render_report\[[^\]]+\] succeeded in [^:]+: '(\w+)'", worker.log())
    assert len(renders) == 3 and "skipped" in renders  # (the worker also sends the "report ready" email)


@pytest.mark.drill  # issue 15's fault drill: the worker killed mid-render, restarted
def test_a_killed_worker_loses_no_report_and_makes_no_duplicate(
    world, tmp_path, governor_a_user, start_worker
):
    first = start_worker({"SLOW_REPORT_SECONDS": "120"})
    report = reports.report_request(kind=SLOW_KIND, subject=world.school_a, by=membership_of(governor_a_user))
    wait_for(
        lambda: Report.objects.filter(pk=report.pk, status=Report.Status.RENDERING).exists(),
        RENDER_TIMEOUT,
        "the first worker to start rendering",
        first,
    )
    time.sleep(0.5)  # well inside the slow render
    first.kill()
    report.refresh_from_db()
    assert report.status == Report.Status.RENDERING and not report.file

    # The killed worker never acknowledged the message. Redis hands it out again once the visibility
    # timeout has passed; the second worker uses a short one so the test need not wait two hours.
    time.sleep(3)
    second = start_worker({"CELERY_VISIBILITY_TIMEOUT": "2", "SLOW_REPORT_SECONDS": "120"})
    report = wait_for(lambda: report_done(report.pk), RENDER_TIMEOUT, "the second worker to finish", second)
    assert report.status == Report.Status.READY, report.error
    assert report.attempts == 2
    assert Report.objects.count() == 1
    assert files_under(tmp_path) == [tmp_path / report.file.name]


def test_healthz_counts_the_running_worker(client, start_worker):
    start_worker()
    response = client.get("/healthz")
    assert response.status_code == 200
    checks = response.json()["checks"]
    assert checks["database"] == "ok"
    assert checks["broker"] == "ok"
    assert re.fullmatch(r"ok \(\d+ answering\)", checks["worker"]), checks
