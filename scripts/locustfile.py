"""The `make load` scenario (run by scripts/load.py, which prepares the accounts and starts the servers).

SENCOs rate criteria in the whole-audit view with autosave (as htmx sends it) and now and then upload a
small evidence file or ask for a report; governors open the school's reports; LA officers go through
the LA pages. Every simulated person signs in through the real pages: password, then the authentication
code from the published TOTP secret of the generated accounts.

Nothing here imports Django: the script talks to the service over HTTP only. Its settings come from the
environment (LOAD_PLAN, a JSON file written by scripts/load.py; LOAD_HOSTS, one or more base URLs, taken in
turn request by request when there are several, as a round-robin load balancer would).
"""

import base64
import hashlib
import hmac
import json
import os
import random
import re
import struct
import time

import gevent
from locust import HttpUser, between, events, task
from locust.exception import StopUser

PLAN = json.loads(open(os.environ["LOAD_PLAN"]).read())  # noqa: SIM115 - read once at import
HOSTS = [h.rstrip("/") for h in os.environ.get("LOAD_HOSTS", "http://127.0.0.1:8101").split(",")]
MEASURE_SECONDS = float(os.environ.get("LOAD_MEASURE_SECONDS", "60"))
RESULTS = os.environ["LOAD_RESULTS"]

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="([A-Z0-9-]+)-version" id="id_[^"]+" value="(\d+)"')
CRITERION_BOX = re.compile(r'name="criteria" type="checkbox" value="([0-9a-f-]{36})"|type="checkbox" name="criteria"[^>]*value="([0-9a-f-]{36})"')  # fmt: skip
# A 1×1 PNG: a small evidence file the upload check accepts by its content.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)

# Shared by every simulated person in this process (locust runs them as greenlets of one process).
accounts = {kind: list(PLAN[kind]) for kind in ("sencos", "governors", "officers")}
state = {"signed_in": 0, "measuring": False, "started_at": None}
results = {
    "sent": {},
    "trail": {},
    "failed": [],
    "saves": 0,
    "uploads": [],
    "reports": [],
    "logins": [],
    "login_failures": 0,
}


def totp(secret: str, at: float | None = None) -> str:
    """Return the 6-digit code an authenticator app shows now (RFC 6238, 30 s, SHA-1)."""
    key = base64.b32decode(secret)
    counter = struct.pack(">Q", int((at or time.time()) // 30))
    digest = hmac.new(key, counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def expected_users() -> int:
    return int(os.environ.get("LOAD_USERS", "50"))


def start_measuring(environment) -> None:
    """Once everyone has signed in: clear the figures, measure for MEASURE_SECONDS, then stop."""
    state["measuring"], state["started_at"] = True, time.time()
    environment.runner.stats.reset_all()
    results["sent"].clear()
    results["saves"] = 0
    results["measure_started"] = time.time()
    if os.environ.get("LOAD_MARK"):
        open(os.environ["LOAD_MARK"], "w").close()  # tells scripts/load.py to read the web tier's CPU time

    def stop():
        results["measure_seconds"] = time.time() - state["started_at"]
        environment.runner.quit()

    gevent.spawn_later(MEASURE_SECONDS, stop)


@events.quitting.add_listener
def write_results(environment, **kwargs):
    with open(RESULTS, "w") as out:
        json.dump(results, out)


class Person(HttpUser):
    abstract = True
    host = HOSTS[0]
    _signed_in: set = set()  # shared: who has signed in

    def on_start(self):
        # Each person comes from an address of their own, as real people behind the proxy do.
        self.client.headers["X-Forwarded-For"] = (
            f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"
        )

    def url(self, path: str) -> str:
        """Return the address on the next web process in turn (one process: always the same)."""
        self._turn = getattr(self, "_turn", random.randrange(len(HOSTS))) + 1
        return HOSTS[self._turn % len(HOSTS)] + path

    def get(self, path: str, name: str, **kwargs):
        with self.client.get(
            self.url(path), name=name, catch_response=True, allow_redirects=False, **kwargs
        ) as r:
            self.check(r)
            return r

    def post(self, path: str, name: str, data, **kwargs):
        with self.client.post(
            self.url(path), name=name, data=data, catch_response=True, allow_redirects=False, **kwargs
        ) as r:
            self.check(r, posted=True)
            return r

    def check(self, response, posted: bool = False) -> None:
        """Count anything but the page (or, after a form, its redirect) as an error: a lost session too."""
        location = response.headers.get("Location", "")
        if response.status_code == 200 or (
            posted and response.status_code == 302 and "/accounts/login" not in location
        ):
            response.success()
        else:
            response.failure(f"{response.status_code} {location}")

    def sign_in(self, email: str, mfa: bool) -> None:
        """Sign in through the real pages; count the person in (or out, after three failed tries)."""
        for attempt in range(3):
            started = time.perf_counter()
            if self._sign_in_once(email, mfa):
                results["logins"].append((time.perf_counter() - started) * 1000)
                break
            gevent.sleep(5 * (attempt + 1))
        else:
            results["login_failures"] += 1
        state["signed_in"] += 1
        if state["signed_in"] == expected_users() and not state["measuring"]:
            start_measuring(self.environment)
        if email not in self._signed_in:  # given up: this person takes no part
            raise StopUser()

    def _sign_in_once(self, email: str, mfa: bool) -> bool:
        # Start afresh: a sign-in left half done (a code refused at the turn of its 30 seconds) would
        # otherwise send the login page to the code step.
        self.client.cookies.clear()
        page = self.get("/accounts/login/", "sign in: page")
        token = CSRF.search(page.text)
        if not token:
            return False
        data = {"login": email, "password": PLAN["password"], "csrfmiddlewaretoken": token.group(1)}
        response = self.post("/accounts/login/", "sign in: password", data)
        location = response.headers.get("Location", "")
        if mfa:
            if location != "/accounts/2fa/authenticate/":
                return False
            page = self.get("/accounts/2fa/authenticate/", "sign in: code page")
            token = CSRF.search(page.text)
            if not token:
                return False
            data = {"code": totp(PLAN["totp_secret"]), "csrfmiddlewaretoken": token.group(1)}
            response = self.post("/accounts/2fa/authenticate/", "sign in: code", data)
            location = response.headers.get("Location", "")
        if response.status_code != 302 or location.startswith("/accounts/"):
            return False
        self._signed_in.add(email)
        return True


class Senco(Person):
    """A SENCO rating their school's audit in the whole-audit view, autosaving each change."""

    weight = 30
    wait_time = between(2, 6)  # a SENCO working through the audit: a change every few seconds

    def on_start(self):
        super().on_start()
        me = accounts["sencos"].pop()
        self.email, self.audit, self.refs = me["email"], me["audit"], me["refs"]
        self.sign_in(self.email, mfa=True)
        self.open_audit()
        self.sent = 0

    def open_audit(self):
        page = self.get(f"/audits/{self.audit}/rate/", "SENCO: whole-audit page (150 criteria)")
        self.token = CSRF.search(page.text).group(1)
        self.versions = {ref: int(v) for ref, v in VERSION.findall(page.text)}

    @task(20)
    def autosave(self):
        ref = random.choice(self.refs)
        self.sent += 1
        rationale = f"Seen in lesson visits; load check {PLAN['run']} {self.email} #{self.sent}"
        data = {
            "csrfmiddlewaretoken": self.token,
            f"{ref}-level": str(random.randint(0, 3)),
            f"{ref}-na_reason": "",
            f"{ref}-rationale": rationale,
            f"{ref}-version": str(self.versions[ref]),
        }
        headers = {
            "HX-Request": "true",
            "HX-Trigger": f"row-{ref}",
            "HX-Current-URL": self.url(f"/audits/{self.audit}/rate/"),
        }
        with self.client.post(self.url(f"/audits/{self.audit}/criteria/{ref}/"), name="SENCO: autosave a rating",
                              data=data, headers=headers, catch_response=True, allow_redirects=False) as r:  # fmt: skip
            told = VERSION.search(r.text)  # the version the page's form now holds, as htmx swaps it in
            trail = results["trail"].setdefault(f"{self.audit}/{ref}", [])
            trail.append(
                [round(time.time(), 3), self.versions[ref], r.status_code, told and int(told.group(2))]
            )
            if r.status_code == 200 and "Saved" in r.text and told:
                r.success()
                self.versions[ref] = int(told.group(2))
                results["saves"] += 1
                results["sent"][f"{self.audit}/{ref}"] = rationale  # the last sent is what must be stored
            else:
                r.failure(f"autosave {r.status_code} of {ref} from version {self.versions[ref]}")
                results["failed"].append(f"{self.audit}/{ref}")
                self.open_audit()  # start again from what is stored

    @task(2)
    def reload(self):
        self.open_audit()

    @task(1)
    def upload(self):
        page = self.get(f"/audits/{self.audit}/evidence/add/", "SENCO: evidence form")
        token = CSRF.search(page.text).group(1)
        boxes = [a or b for a, b in CRITERION_BOX.findall(page.text)]
        title = f"Load evidence {self.email} {len(results['uploads']) + 1} {random.random():.6f}"
        data = {"csrfmiddlewaretoken": token, "title": title, "criteria": boxes[:1], "url": ""}
        files = {"file": ("lesson-visit.png", PNG, "image/png")}
        response = self.post(
            f"/audits/{self.audit}/evidence/add/", "SENCO: upload evidence", data, files=files
        )
        if response.status_code == 302:
            results["uploads"].append({"audit": self.audit, "title": title})

    @task(1)
    def report(self):
        if random.random() > 0.25:  # a few reports, not one a minute from every SENCO
            return
        page = self.get("/reports/", "reports page")
        token = CSRF.search(page.text).group(1)
        response = self.post("/reports/new/", "SENCO: ask for a report", {"kind": "school_overview", "csrfmiddlewaretoken": token})  # fmt: skip
        if response.status_code == 302:
            match = re.search(r"#report-([0-9a-f-]{36})", response.headers.get("Location", ""))
            if match:
                results["reports"].append({"id": match.group(1), "asked_at": time.time()})


class Governor(Person):
    """A governor reading the school's reports and the home page."""

    weight = 10
    wait_time = between(5, 15)  # reading: a page every 5 to 15 seconds

    def on_start(self):
        super().on_start()
        self.email = accounts["governors"].pop()
        self.sign_in(self.email, mfa=False)

    @task(3)
    def reports(self):
        self.get("/reports/", "reports page")

    @task(1)
    def home(self):
        self.get("/", "home page")


class Officer(Person):
    """An LA officer going through the LA pages."""

    weight = 10
    wait_time = between(5, 15)

    def on_start(self):
        super().on_start()
        self.email = accounts["officers"].pop()
        self.sign_in(self.email, mfa=True)

    @task
    def la_page(self):
        name, path = random.choice(PLAN["la_pages"])
        self.get(path, f"LA: {name}")
