"""Drill: PostgreSQL restarts while a SENCO is saving ratings.

Real processes: a throwaway PostgreSQL cluster (initdb, pg_ctl) on a free port holding a copy of this
test's database, and gunicorn serving the app against it. A thread keeps saving ratings through the
autosave URL while the cluster is restarted (fast shutdown: sessions and transactions in flight are cut).
gunicorn runs the production settings (DEBUG off; tests/drill_settings.py only serves static files without
the collectstatic manifest), over plain HTTP on loopback. Requests that meet the outage get the service's
own error page; the same gunicorn serves the next requests
once PostgreSQL is back, without being restarted; and no rating is half-saved: each rating's version
counts exactly the "rating changed" events recorded with it, in the same transaction.
"""

import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import psycopg
import pytest
import requests
from django.conf import settings
from django.db import connection

from tests.audits.factories import make_audit
from tests.conftest import service_missing, sign_in
from tests.test_drill_redis import BIN, Processes, free_port, wait_for

pytestmark = [pytest.mark.drill, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PG_BIN = Path("/usr/lib/postgresql/15/bin")
ERROR_PAGE = "Sorry, there is a problem with the service"  # templates/500.html


def as_postgres(*command: str, **kwargs) -> subprocess.CompletedProcess:
    """Run a PostgreSQL tool as the postgres user (initdb refuses to run as root)."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=60, **kwargs)


@pytest.fixture
def cluster(tmp_path):
    """A private PostgreSQL cluster on a free port; stopped and removed at the end."""
    if not (PG_BIN / "initdb").exists() or not shutil.which("runuser"):
        service_missing("PostgreSQL 15's initdb and pg_ctl (postgresql-15) are needed for this drill")
    root = Path(f"/tmp/sendplan-drill-{os.getpid()}-{free_port()}")
    root.mkdir()
    shutil.chown(root, "postgres")
    port = free_port()
    data = root / "data"
    as_postgres(str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync")
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
    pg_ctl = [str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log"), "-w"]
    as_postgres(*pg_ctl, "start")
    try:
        yield {"port": port, "pg_ctl": pg_ctl, "root": root}
    finally:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *pg_ctl, "-m", "immediate", "stop"], capture_output=True
        )
        shutil.rmtree(root, ignore_errors=True)


def copy_test_database(port: int) -> str:
    """Copy this test's database (schema and the rows made so far) into the private cluster."""
    db = connection.settings_dict
    source = ["-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432), "-U", db["USER"]]
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"] or ""}
    dump = subprocess.run(
        ["pg_dump", *source, "--no-owner", "--no-privileges", db["NAME"]],
        check=True,
        capture_output=True,
        env=env,
        timeout=60,
    ).stdout
    subprocess.run(
        ["createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "drill"], check=True, timeout=30
    )
    subprocess.run(
        ["psql", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "drill"],
        input=dump, check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return f"postgres://postgres@127.0.0.1:{port}/drill"


def test_postgres_restarts_during_rating_and_the_app_recovers_with_nothing_half_saved(
    world, senco_a_user, cluster, tmp_path
):
    audit = make_audit(world.school_a, senco_a_user)
    refs = list(audit.framework_version.criteria.order_by("ref").values_list("ref", flat=True)[:3])
    web_port = free_port()
    base = f"http://127.0.0.1:{web_port}"
    session_key = sign_in(senco_a_user).session.session_key  # the session row is copied with the rest
    database_url = copy_test_database(cluster["port"])
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL"}},
        "DEBUG": "",
        "DJANGO_SETTINGS_MODULE": "tests.drill_settings",
        "PYTHONPATH": str(settings.BASE_DIR),
        "SECRET_KEY": settings.SECRET_KEY,  # the session made here is signed with it
        "ALLOWED_HOSTS": "127.0.0.1",
        "TRUSTED_PROXY_COUNT": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback; TLS is the proxy's (tests/test_security_headers.py)
        "DATABASE_URL": database_url,
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "media"),
    }
    run = Processes(tmp_path, env)
    try:
        web_log = run.start(
            "gunicorn",
            [str(BIN / "gunicorn"), "sendplan.wsgi", "-b", f"127.0.0.1:{web_port}", "--workers", "2", "--no-control-socket", "--timeout", "30"],
        )  # fmt: skip
        wait_for(
            lambda: requests.get(base + "/healthz", timeout=5).status_code == 200, 30, "the app", [web_log]
        )
        # Production cookies are __Host- and Secure, which a client keeps off plain HTTP: send them by hand.
        cookie = {"Cookie": f"__Host-sessionid={session_key}"}
        section = requests.get(f"{base}/audits/{audit.public_id}/sections/S1/", headers=cookie, timeout=10)
        assert section.status_code == 200, section.status_code
        token = section.cookies["__Host-csrftoken"]
        cookie = {"Cookie": f"__Host-sessionid={session_key}; __Host-csrftoken={token}"}
        statuses: list[int] = []
        error_pages: list[str] = []
        stop = threading.Event()

        def current_version(ref: str) -> int:
            with psycopg.connect(
                database_url.replace("postgres://", "postgresql://"), connect_timeout=2
            ) as db:
                return db.execute(
                    "SELECT r.version FROM audits_rating r JOIN standards_criterion c ON c.id = r.criterion_id"
                    " WHERE r.audit_id = %s AND c.ref = %s",
                    [audit.pk, ref],
                ).fetchone()[0]

        def rate():
            n = 0
            while not stop.is_set():
                ref = refs[n % len(refs)]
                n += 1
                try:
                    version = current_version(ref)
                except psycopg.OperationalError:
                    time.sleep(0.05)  # the database is restarting: the SENCO keeps typing
                    version = 0
                response = requests.post(
                    f"{base}/audits/{audit.public_id}/criteria/{ref}/",
                    {f"{ref}-level": str(n % 4), f"{ref}-rationale": f"Seen in lessons, note {n}.", f"{ref}-na_reason": "", f"{ref}-version": str(version)},
                    headers={"HX-Request": "true", "X-CSRFToken": token, **cookie},
                    timeout=30,
                )  # fmt: skip
                statuses.append(response.status_code)
                if response.status_code >= 500:
                    error_pages.append(response.text)

        rater = threading.Thread(target=rate)
        rater.start()
        try:
            wait_for(lambda: statuses.count(200) >= 5, 20, "ratings saved before the restart", [web_log])
            as_postgres(*cluster["pg_ctl"], "-m", "fast", "restart")
            after = len(statuses)
            wait_for(
                lambda: statuses[after:].count(200) >= 5, 20, "ratings saved after the restart", [web_log]
            )
        finally:
            stop.set()
            rater.join(timeout=30)

        # 409: a save sent with a version read while the database was away is a conflict, shown as such
        assert set(statuses) <= {200, 409, 500}, statuses
        assert all(ERROR_PAGE in page for page in error_pages)  # the service's own error page
        assert requests.get(base + "/healthz", timeout=10).status_code == 200  # the same gunicorn, recovered
        with psycopg.connect(database_url.replace("postgres://", "postgresql://")) as db:
            rows = db.execute(
                "SELECT c.ref, r.version, (SELECT count(*) FROM audits_auditevent e WHERE e.audit_id = r.audit_id"
                " AND e.criterion_id = r.criterion_id AND e.kind = 'response_changed')"
                " FROM audits_rating r JOIN standards_criterion c ON c.id = r.criterion_id WHERE r.audit_id = %s",
                [audit.pk],
            ).fetchall()
        saved = sum(version for _, version, _ in rows)
        assert saved >= 10
        assert [(ref, version) for ref, version, _ in rows] == [(ref, events) for ref, _, events in rows]
    finally:
        run.stop_all()
