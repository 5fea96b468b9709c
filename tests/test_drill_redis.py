"""Drill: Redis stops under the running app, and comes back empty.

Real processes: a private redis-server on a free port (no persistence, like the shipped one), gunicorn
serving the app on the production settings against this test's database with that Redis as cache and
broker, and later a Celery worker. While Redis is down, pages that do not need it work (the audit pages keep a rating scale in the
cache: they must fall back to the database), asking for a report says it is queued, and inviting someone
(which sends an email) works; nothing answers with a server error. Redis then returns with nothing in it,
having lost both those messages and one sent while it was up but before it restarted. The beat sweep
(sendplan.tasks.sweep_stranded) queues the lost work again, and a worker completes each once.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection

from notifications.models import OutgoingEmail
from sendplan.models import Invitation, Report
from tests.audits.factories import make_audit
from tests.conftest import service_missing, sign_in

pytestmark = [pytest.mark.drill, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BIN = Path(sys.executable).parent
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout: float, what: str, logs: list[Path] = ()):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            result = predicate()
        except (requests.ConnectionError, OSError):
            result = None
        if result:
            return result
        time.sleep(0.2)
    tails = "\n".join(
        f"--- {log.name}\n{log.read_text(errors='replace')[-2500:]}" for log in logs if log.exists()
    )
    pytest.fail(f"timed out after {timeout}s waiting for {what}\n{tails}")


class Processes:
    """Start and stop the drill's processes; everything started is stopped at the end."""

    def __init__(self, tmp: Path, env: dict):
        self.tmp, self.env, self.running = tmp, env, {}

    def start(self, name: str, command: list[str], env: dict | None = None) -> Path:
        log = self.tmp / f"{name}.log"
        with open(log, "ab") as out:
            self.running[name] = subprocess.Popen(
                command, cwd=settings.BASE_DIR, env=env or self.env, stdout=out, stderr=subprocess.STDOUT
            )
        return log

    def stop(self, name: str, *, kill: bool = False) -> None:
        process = self.running.pop(name)
        if process.poll() is None:
            process.kill() if kill else process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)

    def stop_all(self) -> None:
        for name in list(self.running):
            self.stop(name)


class Browser:
    """A client for the production settings over plain HTTP on loopback: their cookies are __Host- and
    Secure, which HTTP clients rightly keep to HTTPS, so this one keeps them itself and sends them."""

    def __init__(self, base: str, user=None):
        self.base, self.cookies = base, {}
        if user is not None:  # a session made here, signed with the same SECRET_KEY
            self.cookies["__Host-sessionid"] = sign_in(user).session.session_key

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        response = requests.request(
            method, self.base + path, headers={"Cookie": cookie}, allow_redirects=False, timeout=20, **kwargs
        )
        self.cookies.update({c.name: c.value for c in response.cookies})
        return response

    def get(self, path: str) -> requests.Response:
        return self.request("GET", path)

    def post_form(self, page: str, url: str, data: dict) -> requests.Response:
        """Open the form page, then post to it with its CSRF token, as a browser does."""
        form = self.get(page)
        assert form.status_code == 200, form.status_code
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
        return self.request("POST", url, data={**data, "csrfmiddlewaretoken": token})


def test_redis_stops_and_returns_empty_and_no_work_is_lost(world, senco_a_user, headteacher_a_user, tmp_path):
    if not os.path.exists(REDIS_SERVER):
        service_missing("redis-server is not installed")
    if connection.vendor != "postgresql":
        service_missing("PostgreSQL: the app's processes share this test's database")
    audit = make_audit(world.school_a, senco_a_user)
    db = connection.settings_dict
    redis_port, web_port = free_port(), free_port()
    redis_url = f"redis://127.0.0.1:{redis_port}/0"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "1",
        "REDIS_URL": redis_url,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "media"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    # The web process runs the production settings (tests/drill_settings.py only serves static files
    # without the collectstatic manifest); the worker keeps sent email in memory (locmem, DEBUG only).
    web_env = {
        **env,
        "DEBUG": "",
        "DJANGO_SETTINGS_MODULE": "tests.drill_settings",
        "PYTHONPATH": str(settings.BASE_DIR),
        "SECRET_KEY": settings.SECRET_KEY,  # the sessions made here are signed with it
        "ALLOWED_HOSTS": "127.0.0.1",
        "TRUSTED_PROXY_COUNT": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback; TLS is the proxy's (test_security_headers.py)
    }
    base = f"http://127.0.0.1:{web_port}"
    run = Processes(tmp_path, env)
    redis_command = [
        REDIS_SERVER,
        "--port",
        str(redis_port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        str(tmp_path),
    ]
    try:
        redis_log = run.start("redis", redis_command)
        web_log = run.start(
            "gunicorn",
            [
                str(BIN / "gunicorn"),
                "sendplan.wsgi",
                "-b",
                f"127.0.0.1:{web_port}",
                "--workers",
                "1",
                "--no-control-socket",
                "--timeout",
                "60",
            ],
            web_env,
        )
        wait_for(
            lambda: requests.get(base + "/healthz", timeout=5).status_code == 200,
            30,
            "the app with Redis up",
            [web_log, redis_log],
        )
        senco, head, anyone = Browser(base, senco_a_user), Browser(base, headteacher_a_user), Browser(base)
        audit_page = f"/audits/{audit.public_id}/rate/"
        assert senco.get(audit_page).status_code == 200  # the rating scale is now in the cache

        run.stop("redis")  # --- Redis is down ---
        assert requests.get(base + "/healthz", timeout=10).status_code == 503  # it says what is down
        for who, page in [
            (anyone, "/accessibility/"),
            (senco, "/"),
            (senco, audit_page),
            (senco, "/reports/"),
        ]:
            response = who.get(page)
            assert response.status_code == 200, f"{page} answered {response.status_code} while Redis was down"

        asked = senco.post_form("/reports/", "/reports/new/", {"kind": Report.Kind.SCHOOL_OVERVIEW})
        assert asked.status_code == 302, asked.status_code
        assert "cannot start preparing it just now" in senco.get(asked.headers["Location"]).text
        invited = head.post_form(
            "/people/invite/", "/people/invite/", {"email": "new.governor@example.org", "role": "governor"}
        )
        assert invited.status_code == 302, invited.text[-2000:]
        assert Invitation.objects.filter(email="new.governor@example.org").exists()
        while_down = Report.objects.get()
        assert while_down.status == Report.Status.QUEUED
        email = OutgoingEmail.objects.get(to="new.governor@example.org")
        assert email.status == OutgoingEmail.Status.QUEUED

        redis_log = run.start("redis", redis_command)  # --- Redis is back, empty ---
        wait_for(
            lambda: requests.get(base + "/healthz", timeout=5).status_code == 200,
            20,
            "the app to see Redis again",
            [web_log, redis_log],
        )
        # a report queued while Redis is up, lost when it restarts before any worker takes it
        asked = senco.post_form("/reports/", "/reports/new/", {"kind": Report.Kind.SCHOOL_OVERVIEW})
        assert asked.status_code == 302
        assert "is being prepared" in senco.get(asked.headers["Location"]).text
        run.stop("redis", kill=True)
        redis_log = run.start("redis", redis_command)
        wait_for(
            lambda: requests.get(base + "/healthz", timeout=5).status_code == 200,
            20,
            "Redis to restart",
            [redis_log],
        )

        worker_log = run.start(
            "worker",
            [
                str(BIN / "celery"),
                "-A",
                "sendplan",
                "worker",
                "--pool=solo",
                "-n",
                f"drill-{web_port}@test",
                "--without-gossip",
                "--without-mingle",
                "-l",
                "INFO",
            ],
        )
        time.sleep(3)  # the worker finds an empty queue: the messages are gone
        assert Report.objects.filter(status=Report.Status.QUEUED).count() == 2
        # what beat does every 5 minutes, now, for work queued any time ago
        subprocess.run(
            [str(BIN / "celery"), "-A", "sendplan", "call", "sendplan.tasks.sweep_stranded", "--kwargs", '{"older_than_seconds": 0}'],
            cwd=settings.BASE_DIR, env=env, check=True, capture_output=True, timeout=30,
        )  # fmt: skip

        def all_done():
            reports = list(Report.objects.all())
            sent = OutgoingEmail.objects.get(pk=email.pk).status == OutgoingEmail.Status.SENT
            return sent and all(r.status == Report.Status.READY for r in reports) and reports

        done = wait_for(all_done, 25, "the swept work to complete", [worker_log])
        assert [r.attempts for r in done] == [1, 1]  # each rendered once
        assert len({r.file.name for r in done}) == 2
        assert re.search(r"2 reports, [1-9]\d* emails queued again", worker_log.read_text())
    finally:
        run.stop_all()
