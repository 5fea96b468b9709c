#!/usr/bin/env python
"""LA pages at the size of the largest LA: each page's server time beside the time of its bare SQL.

Part of `make bench`; figures, never a test. Runs on PostgreSQL against a database of its own
(BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/sendplan_bench), generated once with
`generate_load_data --schools 600 --criteria 150 --years 3` and reused.

For each LA page: the page is drawn in-process by Django's test client as an LA officer (median of 5
after a warm-up), with its queries captured; the captured SELECTs are then run again on a raw cursor,
fetching every row, and timed the same way. "× SQL" is the page's time over its SQL's: what Django,
the view and the template add; "slowest q" is the slowest statement alone. Exports of every school are
timed the same way. A URL name this
checkout does not have is reported as "not present".
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sendplan_bench")
SCHOOLS, CRITERIA, YEARS = 600, 150, 3
REPEAT = 5

# (label, URL name, query string). Pages first, then exports.
PAGES = [
    ("audit round", "audits:la_round", ""),
    ("audit round, filtered: primary, submitted", "audits:la_round", "?phase=primary&status=submitted"),
    ("school profile", "sendplan:school_detail", "{school}"),
    ("weakest provision", "audits:la_weakest", ""),
    ("heatmap (schools × sections)", "audits:la_weakest_schools", ""),
    ("heatmap, plain table", "audits:la_weakest_schools", "?plain=yes"),
    ("EHC plan pipeline", "ehcp:la_pipeline", ""),
    ("submitted audits (older list)", "audits:la_audit_list", ""),
    ("EHC plans (older list)", "ehcp:la_plan_list", ""),
]
EXPORTS = [
    ("audit round, CSV (600 schools)", "audits:la_round_export_csv", ""),
    ("audit round, XLSX (600 schools)", "audits:la_round_export_xlsx", ""),
    ("audit round, contacts CSV", "audits:la_round_contacts", ""),
    ("heatmap, CSV (600 schools)", "audits:la_weakest_csv", "?view=schools"),
    ("weakest provision, CSV (criteria, schools named)", "audits:la_weakest_csv", ""),
    ("weakest provision, XLSX", "audits:la_weakest_xlsx", ""),
    ("EHC plan pipeline, CSV", "ehcp:la_pipeline_csv", ""),
    ("EHC plan pipeline, XLSX", "ehcp:la_pipeline_xlsx", ""),
]


def setup() -> None:
    """Point Django at the bench database, create and migrate it, and generate the data once."""
    import subprocess

    import psycopg

    name = BENCH_DATABASE_URL.rsplit("/", 1)[1]
    with psycopg.connect(BENCH_DATABASE_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": BENCH_DATABASE_URL}
    env.pop("REDIS_URL", None)  # the pages need no broker; exports run in the request
    python = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    args = [
        "generate_load_data",
        "--schools",
        str(SCHOOLS),
        "--criteria",
        str(CRITERIA),
        "--years",
        str(YEARS),
    ]
    subprocess.run([python, "manage.py", *args, "--if-missing"], cwd=ROOT, env=env, check=True)
    os.environ.update(env)
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sendplan.settings")
    import django

    django.setup()


def median_ms(func) -> float:
    func()  # warm-up
    samples = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def bare_sql_ms(statements: list[str]) -> tuple[float, float]:
    """Return the median time of running these SELECTs again on a raw cursor, fetching every row, and
    the median time of the slowest of them alone."""
    from django.db import connection

    def run(chosen):
        with connection.cursor() as cursor:
            for sql in chosen:
                cursor.execute(sql)
                cursor.fetchall()

    singles = [(median_ms(lambda sql=sql: run([sql])), sql) for sql in statements]
    slowest = max(singles)[0] if singles else 0.0
    return median_ms(lambda: run(statements)), slowest


def measure(client, url: str) -> tuple[int, int, float, list[str], int]:
    """Return (status, queries, median ms, the SELECTs it ran, bytes)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    selects = [
        q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))
    ]

    def fetch():
        r = client.get(url)
        if r.streaming:
            b"".join(r.streaming_content)

    return response.status_code, len(ctx.captured_queries), median_ms(fetch), selects, len(body)


def main() -> None:
    setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment
    from django.urls import NoReverseMatch, reverse

    from sendplan import load_data
    from sendplan.models import School, User
    from tests.conftest import sign_in

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    officer = User.objects.get(email=f"officer1.{load_data.LA_CODE}@{load_data.EMAIL_DOMAIN}")
    client = sign_in(officer)
    school = School.objects.filter(local_authority__code=load_data.LA_CODE).order_by("urn").first()
    schools = School.objects.filter(local_authority__code=load_data.LA_CODE).count()
    print(f"LA pages on {connection.vendor}: {schools} schools × {CRITERIA} criteria × {YEARS} years (database {connection.settings_dict['NAME']})")  # fmt: skip
    print("Targets (issue 13): every page ≤ 250 ms and ≤ 2× its bare SQL; exports of 600 schools ≤ 2 s.\n")
    header = (
        f"  {'page':<50} {'status':>6} {'queries':>7} {'server ms':>9} {'SQL ms':>7} {'× SQL':>6}"
        f" {'slowest q':>9} {'KB':>6}"
    )
    for title, rows in (("Pages", PAGES), ("Exports", EXPORTS)):
        print(f"{title}\n{header}")
        for label, name, query in rows:
            try:
                if query.startswith("{school}"):
                    url = reverse(name, kwargs={"school_id": school.public_id})
                else:
                    url = reverse(name) + query
            except NoReverseMatch:
                print(f"  {label:<50} not present ({name})")
                continue
            try:
                status, queries, server, selects, size = measure(client, url)
                sql, slowest = bare_sql_ms(selects)
            except Exception as exc:  # one broken page must not hide the others' figures
                print(f"  {label:<50} failed: {type(exc).__name__}: {str(exc)[:80]}")
                continue
            ratio = f"{server / sql:.1f}" if sql > 0 else "–"
            print(
                f"  {label:<50} {status:>6} {queries:>7} {server:>9.0f} {sql:>7.0f} {ratio:>6}"
                f" {slowest:>9.0f} {size / 1024:>6.0f}"
            )
        print()


if __name__ == "__main__":
    main()
