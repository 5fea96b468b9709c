#!/usr/bin/env python
"""`make load`: the production shape on loopback under a bounded locust scenario; print the figures.

Starts gunicorn (2 workers; with SCALE_OUT=1 two independent gunicorn processes of 1 worker each, in
separate working directories, taken in turn by the load script), a Celery worker and Celery beat, on
PostgreSQL and Redis, with the data of `generate_load_data` at 600 schools (generated once, then reused).
Runs locust headless on loopback (scripts/locustfile.py): everyone signs in, then 60 s are measured and
the run stops by itself. Prints requests per second, p50/p95/p99 per page, errors, the report queue's
latency, and compares the ratings saved with the ratings sent. Exits non-zero if a request errored or a
rating sent is not stored. Stops every process it started.

Environment: LOAD_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/sendplan_load),
LOAD_REDIS_URL (default redis://127.0.0.1:6379/14), LOAD_USERS (50), LOAD_SECONDS (60), SCALE_OUT (0).
"""

import csv
import datetime
import json
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
sys.path.insert(0, str(ROOT))

DATABASE_URL = os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sendplan_load")
REDIS_URL = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/14")
USERS = int(os.environ.get("LOAD_USERS", "50"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
SCALE_OUT = os.environ.get("SCALE_OUT", "0") == "1"
SCHOOLS, CRITERIA, YEARS = 600, 150, 3
FIRST_PORT = 8101
WORK = ROOT / "var" / "load"

# The LA pages the officers visit, by URL name; a name this checkout does not have is reported, not fatal.
LA_PAGES = [
    ("submitted audits", "audits:la_audit_list"),
    ("weakest provision", "audits:la_weakest"),
    ("EHC plans", "ehcp:la_plan_list"),
    ("audit round", "audits:la_round"),
    ("school profile", "sendplan:school_detail"),
    ("heatmap", "audits:la_weakest_schools"),
    ("EHC plan pipeline", "ehcp:la_pipeline"),
]

# The processes' environment: production settings (DEBUG off) but for the cookies (scripts/load_settings.py).
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "scripts.load_settings",
    "PYTHONPATH": str(ROOT),
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    # As behind the shipped proxy: each simulated person comes from an address of their own, sent in
    # X-Forwarded-For, so the sign-in limits per address apply as they would to real people.
    "TRUSTED_PROXY_COUNT": "1",
    "SECURE_SSL_REDIRECT": "0",
    "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": REDIS_URL,
    "PRIVATE_MEDIA_ROOT": str(WORK / "private"),
    "LOG_LEVEL": "WARNING",
}


def manage(*args: str, env: dict | None = None) -> None:
    subprocess.run(
        [str(VENV_BIN / "python"), "manage.py", *args], cwd=ROOT, env=env or tool_env(), check=True
    )


def tool_env() -> dict:
    """The environment of the one-off commands (migrate, generate): development mode on the load database."""
    return {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "PRIVATE_MEDIA_ROOT": SERVER_ENV["PRIVATE_MEDIA_ROOT"],
    }


def prepare() -> None:
    """Create the database if need be, migrate it, generate the data once, collect static files."""
    name = DATABASE_URL.rsplit("/", 1)[1]
    admin_url = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    manage("migrate", "--noinput", "-v0")
    manage("generate_load_data", "--schools", str(SCHOOLS), "--criteria", str(CRITERIA), "--years", str(YEARS), "--if-missing")  # fmt: skip
    manage("collectstatic", "--noinput", "-v0", env={**os.environ, **SERVER_ENV})


def django_setup() -> None:
    os.environ.update(tool_env())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sendplan.settings")
    import django

    django.setup()


def plan_file(path: Path) -> dict:
    """Write who the simulated people are (accounts, audits, criteria) and which LA pages exist."""
    from django.urls import NoReverseMatch, reverse

    from audits.models import Audit
    from sendplan import load_data
    from sendplan.models import School
    from standards.models import Criterion

    audits = list(
        Audit.objects.filter(
            school__local_authority__code=load_data.LA_CODE,
            framework__slug=load_data.FRAMEWORK_SLUG,
            status__in=Audit.EDITABLE,
        )
        .select_related("school")
        .order_by("school__urn")
    )
    refs = list(
        Criterion.objects.filter(version__framework__slug=load_data.FRAMEWORK_SLUG).values_list(
            "ref", flat=True
        )
    )
    la_pages, missing = [], []
    schools = School.objects.filter(local_authority__code=load_data.LA_CODE).order_by("?")[:20]
    for label, name in LA_PAGES:
        try:
            if name == "sendplan:school_detail":  # one page of many: twenty schools' profiles
                la_pages += [(label, reverse(name, kwargs={"school_id": s.public_id})) for s in schools]
            else:
                LA_PATHS[name] = reverse(name)
                la_pages.append((label, LA_PATHS[name]))
        except NoReverseMatch:
            missing.append(f"{label} ({name})")
    plan = {
        "run": secrets.token_hex(4),  # in every rationale sent: a rating left from an earlier run never matches
        "password": load_data.LOAD_PASSWORD,
        "totp_secret": load_data.LOAD_TOTP_SECRET,
        "sencos": [
            {"email": f"senco.{a.school.urn}@{load_data.EMAIL_DOMAIN}", "audit": str(a.public_id), "refs": refs}
            for a in audits
        ],
        "governors": [f"governor.{a.school.urn}@{load_data.EMAIL_DOMAIN}" for a in audits],
        "officers": [f"officer{n}.{load_data.LA_CODE}@{load_data.EMAIL_DOMAIN}" for n in range(1, load_data.LA_OFFICERS + 1)],
        "la_pages": la_pages,
        "missing_pages": missing,
    }  # fmt: skip
    path.write_text(json.dumps(plan))
    return plan


class Processes:
    """The processes this run started, stopped together (each in its own process group)."""

    def __init__(self) -> None:
        self.started: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, args: list[str], cwd: Path) -> subprocess.Popen:
        log = open(WORK / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            args, cwd=cwd, env={**os.environ, **SERVER_ENV}, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )  # fmt: skip
        self.started.append((name, process))
        return process

    def stop(self) -> None:
        for _, process in reversed(self.started):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for name, process in self.started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                print(f"  {name} did not stop in 20 s: killing it")
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def wait_healthy(url: str, processes: Processes, timeout: float = 60) -> None:
    """Wait until the web process says the database, the broker and a worker all answer."""
    deadline, last = time.monotonic() + timeout, ""
    while time.monotonic() < deadline:
        for name, process in processes.started:
            if process.poll() is not None:
                raise SystemExit(f"{name} stopped at start: see {WORK / (name + '.log')}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=5) as response:  # noqa: S310 - our loopback URL
                if response.status == 200:
                    return
        except OSError as exc:  # not up yet (refused, or 503 while the worker starts)
            last = str(exc)
        time.sleep(0.5)
    raise SystemExit(f"{url} did not become healthy in {timeout:.0f} s ({last})")


def start_servers(processes: Processes) -> list[str]:
    gunicorn = str(VENV_BIN / "gunicorn")
    # The access log gives each request's time inside gunicorn (%(D)s µs): the server's own share.
    common = ["sendplan.wsgi:application", "--no-control-socket", "--timeout", "60", "--access-logfile", "-",
              "--access-logformat", ACCESS_FORMAT]  # fmt: skip
    hosts = []
    if SCALE_OUT:
        for n in (1, 2):
            cwd = Path(
                tempfile.mkdtemp(prefix=f"sendplan-web{n}-")
            )  # nothing shared but the database, Redis, files
            port = FIRST_PORT + n - 1
            processes.start(
                f"web{n}", [gunicorn, *common, "--bind", f"127.0.0.1:{port}", "--workers", "1"], cwd
            )
            hosts.append(f"http://127.0.0.1:{port}")
    else:
        processes.start(
            "web", [gunicorn, *common, "--bind", f"127.0.0.1:{FIRST_PORT}", "--workers", "2"], ROOT
        )
        hosts.append(f"http://127.0.0.1:{FIRST_PORT}")
    celery = str(VENV_BIN / "celery")
    processes.start(
        "worker", [celery, "-A", "sendplan", "worker", "--loglevel=WARNING", "--concurrency=1"], ROOT
    )
    schedule = WORK / "celerybeat-schedule"
    processes.start(
        "beat", [celery, "-A", "sendplan", "beat", "--loglevel=WARNING", f"--schedule={schedule}"], ROOT
    )
    for host in hosts:
        wait_healthy(host, processes)
    return hosts


ACCESS_FORMAT = '%(t)s "%(m)s %(U)s" %(s)s %(D)s'
ACCESS_LINE = re.compile(r'\[([^\]]+)\] "(\w+) (\S+)" (\d+) (\d+)')
LA_PATHS: dict[str, str] = {}


def page_of(method: str, path: str) -> str:
    """Name a request as the locust scenario names it, from its method and path."""
    if method == "POST" and "/criteria/" in path:
        return "SENCO: autosave a rating"
    if path.endswith("/rate/"):
        return "SENCO: whole-audit page (150 criteria)"
    if "/evidence/add/" in path:
        return "SENCO: upload evidence" if method == "POST" else "SENCO: evidence form"
    if path.startswith("/reports/new/"):
        return "SENCO: ask for a report"
    if path == "/reports/":
        return "reports page"
    if path == "/":
        return "home page"
    if path.startswith("/accounts/"):
        return "sign in"
    if path.startswith("/schools/"):
        return "LA: school profile"
    for label, name in LA_PAGES:
        if path == LA_PATHS.get(name):
            return f"LA: {label}"
    return "other"


def server_times(since: float) -> dict[str, list[float]]:
    """Return each page's times inside gunicorn (ms), for requests logged after ``since``."""
    times: dict[str, list[float]] = {}
    for log in WORK.glob("web*.log"):
        for line in log.read_text(errors="replace").splitlines():
            match = ACCESS_LINE.search(line)
            if not match:
                continue
            at = datetime.datetime.strptime(match.group(1), "%d/%b/%Y:%H:%M:%S %z").timestamp()
            if at < int(since):
                continue
            times.setdefault(page_of(match.group(2), match.group(3)), []).append(int(match.group(5)) / 1000)
    return times


def web_cpu_seconds(processes: "Processes") -> float:
    """Return the CPU time used so far by the web processes and their workers (all of each process group)."""
    groups = {p.pid for name, p in processes.started if name.startswith("web")}
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) in groups:  # the process group id
            total += (int(fields[11]) + int(fields[12])) / tick  # utime + stime
    return total


def run_locust(
    hosts: list[str], plan_path: Path, results_path: Path, processes: "Processes"
) -> tuple[Path, float]:
    """Run the scenario; return the CSV prefix and the web tier's CPU seconds while measuring."""
    prefix = WORK / "locust"
    mark = WORK / "measuring"
    mark.unlink(missing_ok=True)
    env = {
        **os.environ,
        "LOAD_PLAN": str(plan_path),
        "LOAD_HOSTS": ",".join(hosts),
        "LOAD_RESULTS": str(results_path),
        "LOAD_USERS": str(USERS),
        "LOAD_MEASURE_SECONDS": str(SECONDS),
        "LOAD_MARK": str(mark),
    }
    # Sign-in is paced (a person a second: a password hash costs a worker a good part of a second, and a
    # code waiting in a queue past its 30 seconds is refused); measuring starts once all are in, stops after
    # LOAD_SECONDS. The run time below is only a backstop.
    args = [
        str(VENV_BIN / "locust"), "-f", str(ROOT / "scripts" / "locustfile.py"), "--headless",
        "-u", str(USERS), "-r", "1", "-t", f"{SECONDS + 180}s", "--host", hosts[0],
        "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "10",
    ]  # fmt: skip
    cpu_at_start = None
    with open(WORK / "locust.log", "w") as log:
        locust = subprocess.Popen(args, cwd=WORK, env=env, stdout=log, stderr=subprocess.STDOUT)
        while locust.poll() is None:
            if cpu_at_start is None and mark.exists():  # the scenario says measuring has begun
                cpu_at_start = web_cpu_seconds(processes)
            time.sleep(0.2)
    cpu = web_cpu_seconds(processes) - cpu_at_start if cpu_at_start is not None else 0.0
    return prefix, cpu


def percentile(values: list[float], share: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(share * (len(values) - 1))))] if values else 0.0


def check_saved(results: dict) -> tuple[int, int, list[str]]:
    """Return (ratings sent, of them stored as sent, the ones missing)."""
    from audits.models import Rating

    sent = results["sent"]
    missing = []
    by_audit: dict[str, dict[str, str]] = {}
    for key, rationale in sent.items():
        audit, ref = key.split("/", 1)
        by_audit.setdefault(audit, {})[ref] = rationale
    for audit, refs in by_audit.items():
        stored = dict(
            Rating.objects.filter(audit__public_id=audit, criterion__ref__in=refs).values_list(
                "criterion__ref", "rationale"
            )
        )
        missing += [f"{audit}/{ref}" for ref, rationale in refs.items() if stored.get(ref) != rationale]
    return len(sent), len(sent) - len(missing), missing


def explain_failed_save(key: str, trail: list) -> None:
    """Print what the script sent for one criterion beside what the service recorded of it."""
    from audits.models import AuditEvent, Rating

    audit, ref = key.split("/", 1)
    rating = Rating.objects.filter(audit__public_id=audit, criterion__ref=ref).first()
    print(f"  failed autosave of {key}: stored version now {rating and rating.version}")
    for at, sent, status, told in trail:
        print(
            f"    sent {datetime.datetime.fromtimestamp(at):%H:%M:%S.%f} from version {sent}: {status}, told {told}"
        )
    events = AuditEvent.objects.filter(
        audit__public_id=audit, criterion__ref=ref, kind=AuditEvent.Kind.RESPONSE_CHANGED
    ).order_by("at")
    for event in events:
        print(f"    recorded {event.at:%H:%M:%S.%f} by {event.actor_id}: {sorted(event.detail)}")


def check_uploads(results: dict) -> tuple[int, int]:
    from audits.models import Evidence

    found = 0
    for upload in results["uploads"]:
        evidence = Evidence.objects.filter(audit__public_id=upload["audit"], title=upload["title"]).first()
        if evidence and evidence.file and evidence.file.storage.exists(evidence.file.name):
            found += 1
    return len(results["uploads"]), found


def report_latency(results: dict, wait: float = 120) -> tuple[list[float], dict[str, int]]:
    """Wait for the reports asked for to finish; return seconds from asked to ready, and the statuses."""
    from sendplan.models import Report

    ids = [r["id"] for r in results["reports"]]
    deadline = time.monotonic() + wait
    while ids and time.monotonic() < deadline:
        if not Report.objects.filter(public_id__in=ids, status__in=["queued", "rendering"]).exists():
            break
        time.sleep(1)
    reports = list(Report.objects.filter(public_id__in=ids))
    statuses: dict[str, int] = {}
    for report in reports:
        statuses[report.status] = statuses.get(report.status, 0) + 1
    statuses["lost"] = len(ids) - len(reports)
    latency = [
        (r.finished_at - r.created_at).total_seconds()
        for r in reports
        if r.status == "ready" and r.finished_at
    ]
    return latency, statuses


def print_figures(prefix: Path, results: dict, plan: dict, cpu: float | None = None) -> int:
    """Print the table and the checks; return the number of problems found."""
    rows = list(csv.DictReader(open(f"{prefix}_stats.csv")))  # noqa: SIM115
    problems = 0
    seconds = results.get("measure_seconds") or SECONDS
    print(f"\nMeasured {seconds:.0f} s with {USERS} people signed in ({'2 gunicorn processes × 1 worker, taken in turn' if SCALE_OUT else 'gunicorn, 2 workers'}).\n")  # fmt: skip
    print(
        "  Client times (locust: queueing for a worker included) and server times (inside gunicorn), in ms."
    )
    print(
        f"  {'page':<40} {'requests':>8} {'errors':>6} {'req/s':>6} {'p50':>6} {'p95':>6} {'p99':>6}"
        f" {'srv p50':>7} {'srv p95':>7}"
    )
    server = server_times(results.get("measure_started", 0))
    everything = [t for times in server.values() for t in times]
    for row in rows:
        if row["Request Count"] == "0":
            continue
        name = row["Name"] if row["Name"] != "Aggregated" else "all requests"
        times = everything if row["Name"] == "Aggregated" else server.get(name, [])
        srv = (
            f"{percentile(times, 0.5):>7.0f} {percentile(times, 0.95):>7.0f}" if times else f"{'':>7} {'':>7}"
        )
        print(
            f"  {name[:40]:<40} {row['Request Count']:>8} {row['Failure Count']:>6} {float(row['Requests/s']):>6.1f} "
            f"{row['50%']:>6} {row['95%']:>6} {row['99%']:>6} {srv}"
        )
        if row["Name"] == "Aggregated" and cpu is not None and int(row["Request Count"]):
            per = cpu * 1000 / int(row["Request Count"])
            print(
                f"\n  web tier CPU while measuring: {cpu:.1f} s, {per:.0f} ms a request (every web process and worker)"
            )
        if row["Name"] == "Aggregated":
            problems += int(row["Failure Count"])
    logins = results.get("logins", [])
    if logins:
        print(f"\n  sign-in (password and code, before measuring): {len(logins)} people, p50 {percentile(logins, 0.5):.0f} ms, p95 {percentile(logins, 0.95):.0f} ms")  # fmt: skip
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists():
        for row in list(csv.DictReader(open(failures)))[:10]:  # noqa: SIM115
            print(f"  error: {row['Occurrences']} × {row['Method']} {row['Name']}: {row['Error'][:160]}")
    if results.get("login_failures"):
        print(f"\n  {results['login_failures']} people could not sign in after three tries.")
        problems += results["login_failures"]
    if not results.get("measure_started"):
        print("\n  Measuring never started: not everyone could sign in (see var/load/locust.log).")
        problems += 1
    sent, stored, missing = check_saved(results)
    print(
        f"\n  ratings autosaved: {results.get('saves', 0)} saves of {sent} criteria; stored as last sent: {stored} of {sent}"
    )
    if missing:
        problems += len(missing)
        print(f"  MISSING: {', '.join(missing[:10])}")
    for key in results.get("failed", [])[:5]:
        explain_failed_save(key, results["trail"].get(key, []))
    if SCALE_OUT:
        served = {}
        for log in sorted(WORK.glob("web*.log")):
            served[log.stem] = sum(
                1
                for line in log.read_text(errors="replace").splitlines()
                if (m := ACCESS_LINE.search(line))
                and datetime.datetime.strptime(m.group(1), "%d/%b/%Y:%H:%M:%S %z").timestamp()
                >= int(results.get("measure_started", 0))
            )
        print("  requests each web process served: " + ", ".join(f"{k} {v}" for k, v in served.items()))
    uploads, found = check_uploads(results)
    print(f"  evidence uploaded: {uploads}; stored with their file: {found}")
    problems += uploads - found
    latency, statuses = report_latency(results)
    status_text = ", ".join(f"{k} {v}" for k, v in statuses.items() if v)
    if latency:
        print(f"  reports asked for: {len(results['reports'])} ({status_text}); queue to ready: p50 {statistics.median(latency):.1f} s, max {max(latency):.1f} s")  # fmt: skip
    else:
        print(f"  reports asked for: {len(results['reports'])} ({status_text or 'none'})")
    problems += statuses.get("lost", 0) + statuses.get("failed", 0)
    for page in plan["missing_pages"]:
        print(f"  LA page not present in this checkout: {page}")
    return problems


def main() -> int:
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "private").mkdir(exist_ok=True)
    for old in WORK.glob("*.log"):  # a previous run's logs would be read as this one's
        old.unlink()
    print(f"make load: {os.cpu_count()} CPUs, {_memory()} memory; data: {SCHOOLS} schools × {CRITERIA} criteria × {YEARS} years")  # fmt: skip
    prepare()
    django_setup()
    plan_path, results_path = WORK / "plan.json", WORK / "results.json"
    plan = plan_file(plan_path)
    if len(plan["sencos"]) < USERS or len(plan["officers"]) < USERS // 5:
        print("Not enough editable audits or officers in the generated data for this many people.")
        return 2
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()  # this run's broker and cache start empty
    processes = Processes()
    try:
        hosts = start_servers(processes)
        print(f"  started: {', '.join(name for name, _ in processes.started)} on {', '.join(hosts)}")
        load_before = os.getloadavg()[0]
        prefix, cpu = run_locust(hosts, plan_path, results_path, processes)
        print(f"  load average (1 min) before the run {load_before:.1f}, after it {os.getloadavg()[0]:.1f}")
        if not results_path.exists():
            print("locust wrote no results: see var/load/locust.log")
            return 2
        results = json.loads(results_path.read_text())
        problems = print_figures(prefix, results, plan, cpu=cpu)
    finally:
        processes.stop()
        print("  stopped every process this run started")
    if problems:
        print(f"\nFAILED: {problems} problem(s) above.")
        return 1
    print("\nPASSED: no errors, every rating sent is stored.")
    return 0


def _memory() -> str:
    try:
        kb = int(next(line for line in open("/proc/meminfo") if line.startswith("MemTotal")).split()[1])  # noqa: SIM115
        return f"{kb / 1024 / 1024:.0f} GB"
    except (OSError, StopIteration):
        return "unknown"


if __name__ == "__main__":
    sys.exit(main())
