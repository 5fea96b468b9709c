"""Every kind of page, requested under the production settings, carries the security headers and cookie
flags issue 15 asks for.

The pages are requested in a separate process started with the production environment (DEBUG off,
SECRET_KEY, HTTPS), against this test's database, so what is checked is what production sends
(tests/security_probe.py). The expected values are written here from the rule, not read from settings:

- Content-Security-Policy: scripts only from our origin or with a nonce, never 'unsafe-inline';
- Strict-Transport-Security: at least a year, on every HTTPS response;
- X-Content-Type-Options: nosniff;
- the page may not be framed: X-Frame-Options DENY, and frame-ancestors 'none' where our CSP applies;
- a Referrer-Policy that never sends a path (which can hold a pupil's or audit's id) to another origin;
- Cache-Control no-store on anything a signed-in person receives;
- cookies: Secure, HttpOnly, SameSite, and the __Host- prefix (Path=/, no Domain).
"""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from audits import services as audit_services
from tests.audits.factories import PDF, make_audit
from tests.conftest import membership_of
from tests.ehcp.factories import PupilFactory
from tests.publications.factories import published_strategy
from tests.sendplan.test_deploy import DEVELOPMENT_ONLY, PRODUCTION_ENV

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

ONE_YEAR = 365 * 24 * 60 * 60
# Policies under which another origin never learns the path (it may learn our origin at most).
REFERRER_POLICIES_THAT_KEEP_PATHS = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}
SIGNED_IN = "signed in"


def database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def probe(requests: list[dict], media_root) -> dict:
    """Request the pages in a process running the production settings; return what came back."""
    env = {k: v for k, v in os.environ.items() if k not in DEVELOPMENT_ONLY}
    env.update(
        PRODUCTION_ENV,
        DJANGO_SETTINGS_MODULE="sendplan.settings",
        DATABASE_URL=database_url(),
        REDIS_URL=os.environ.get("REDIS_URL", ""),
        ALLOWED_HOSTS="testserver",
        PRIVATE_MEDIA_ROOT=str(media_root),
    )
    if not env["REDIS_URL"]:
        env.pop("REDIS_URL")
    result = subprocess.run(
        [sys.executable, "tests/security_probe.py", json.dumps(requests)],
        cwd=settings.BASE_DIR,
        env={**env, "PYTHONPATH": str(settings.BASE_DIR)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def pages(world, senco_a_user, la_officer_x_user, tmp_path) -> dict:
    audit = make_audit(world.school_a, senco_a_user)
    criterion = audit.framework_version.criteria.order_by("ref").first()
    evidence = audit_services.evidence_add(
        audit=audit,
        title="SEN policy",
        criteria=[criterion],
        by=membership_of(senco_a_user),
        file_name="policy.pdf",
        data=PDF,
    )
    pupil = PupilFactory(school=world.school_a)
    strategy = published_strategy(world.school_a, senco_a_user)
    senco, officer = senco_a_user.email, la_officer_x_user.email
    audit_kwargs = {"audit_id": audit.public_id}
    requests = [
        # label, path, who, [method, data, htmx]
        ("public page", reverse("publications:public_page", args=[strategy.public_token]), None),
        ("accessibility statement", reverse("accessibility"), None),
        ("sign-in", reverse("account_login"), None),
        ("school page", reverse("audits:audit_detail", kwargs=audit_kwargs), senco),
        ("school home", reverse("home"), senco),
        ("LA page", reverse("audits:la_audit_list"), officer),
        (
            "file download",
            reverse("audits:evidence_download", kwargs={**audit_kwargs, "evidence_id": evidence.public_id}),
            senco,
        ),
        ("JSON export", reverse("ehcp:pupil_export", args=[pupil.public_id]), senco),
        ("health check (JSON)", reverse("healthz"), None),
        ("not found (signed out)", "/no-such-page/", None),
        ("not found (signed in)", "/audits/00000000-0000-0000-0000-000000000000/", senco),
        ("server error (signed out)", "/__security-probe-fault/", None),
        ("server error (signed in)", "/__security-probe-fault/", senco),
    ]
    items = [{"label": label, "path": path, "method": "GET", "as": who} for label, path, who in requests]
    items += [
        {
            "label": "autosave",
            "path": reverse("audits:rating_save", kwargs={**audit_kwargs, "criterion_ref": criterion.ref}),
            "method": "POST",
            "as": senco,
            "htmx": True,
            "data": {
                f"{criterion.ref}-level": "2",
                f"{criterion.ref}-rationale": "Seen in lessons.",
                f"{criterion.ref}-na_reason": "",
                f"{criterion.ref}-version": "0",
            },
        },
        {  # refused for want of a CSRF token: the 403 error page
            "label": "forbidden (CSRF)",
            "path": reverse("account_login"),
            "method": "POST",
            "as": None,
            "csrf": True,
            "data": {"login": "x@example.org", "password": "wrong"},
        },
    ]
    signed_in = {item["label"] for item in items if item["as"]}
    return {"results": probe(items, tmp_path), "signed_in": signed_in}


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def problems_with(label: str, response: dict, signed_in: bool) -> list[str]:
    """Return what is wrong with one response's security headers and cookies (empty if nothing)."""
    found = []
    headers = response["headers"]

    csp = headers.get("content-security-policy")
    if not csp:
        found.append("no Content-Security-Policy")
    else:
        directives = csp_directives(csp)
        scripts = directives.get("script-src", directives.get("default-src"))
        if scripts is None:
            found.append(f"CSP does not limit scripts: {csp}")
        elif "'unsafe-inline'" in scripts or "'unsafe-eval'" in scripts or "*" in scripts:
            found.append(f"CSP allows inline or any scripts: {csp}")

    hsts = headers.get("strict-transport-security", "")
    max_age = next((int(p.split("=")[1]) for p in hsts.split(";") if p.strip().startswith("max-age=")), 0)
    if max_age < ONE_YEAR:
        found.append(f"HSTS missing or under a year: {hsts!r}")

    if headers.get("x-content-type-options") != "nosniff":
        found.append(f"X-Content-Type-Options is {headers.get('x-content-type-options')!r}")

    if headers.get("x-frame-options") != "DENY":
        found.append(f"X-Frame-Options is {headers.get('x-frame-options')!r}")
    if (
        csp
        and "sandbox" not in csp_directives(csp)
        and csp_directives(csp).get("frame-ancestors") != ["'none'"]
    ):
        found.append(f"CSP lets other sites frame the page: {csp}")

    if headers.get("referrer-policy") not in REFERRER_POLICIES_THAT_KEEP_PATHS:
        found.append(f"Referrer-Policy is {headers.get('referrer-policy')!r}")

    cache = {d.strip().split("=")[0] for d in headers.get("cache-control", "").split(",")}
    if signed_in and "no-store" not in cache:
        found.append(f"signed in, but Cache-Control is {headers.get('cache-control')!r}")

    for name, cookie in response["cookies"].items():
        if cookie["max-age"] == 0:
            continue  # a deletion
        if not name.startswith("__Host-"):
            found.append(f"cookie {name} has no __Host- prefix")
        if not cookie["secure"] or not cookie["httponly"]:
            found.append(f"cookie {name} is not Secure and HttpOnly: {cookie}")
        if cookie["samesite"].lower() not in {"lax", "strict"}:
            found.append(f"cookie {name} has SameSite {cookie['samesite']!r}")
        if cookie["path"] != "/" or cookie["domain"]:
            found.append(f"cookie {name} is not host-only on /: {cookie}")
    return [f"{label}: {problem}" for problem in found]


def test_every_page_type_carries_the_security_headers_in_production(pages):
    results = pages["results"]
    expected_status = {
        "public page": 200,
        "accessibility statement": 200,
        "sign-in": 200,
        "school page": 200,
        "school home": 200,
        "LA page": 200,
        "file download": 200,
        "JSON export": 200,
        "health check (JSON)": 200,
        "not found (signed out)": 404,
        "not found (signed in)": 404,
        "server error (signed out)": 500,
        "server error (signed in)": 500,
        "autosave": 200,
        "forbidden (CSRF)": 403,
    }
    assert {label: results[label]["status"] for label in expected_status} == expected_status
    problems = [
        problem
        for label, response in results.items()
        for problem in problems_with(label, response, label in pages["signed_in"])
    ]
    assert problems == []


def test_the_cookies_that_carry_a_session_and_a_csrf_token_are_checked(pages):
    """The cookie checks above ran on real cookies: sign-in sets the CSRF cookie, a signed-in page the session."""
    results = pages["results"]
    assert "__Host-csrftoken" in results["sign-in"]["cookies"]
    assert "__Host-sessionid" in results["school page"]["cookies"]
    assert "sessionid" not in results["school page"]["cookies"]


def test_the_pages_are_what_they_claim(pages):
    """Each labelled response is the kind of page it stands for (a download, JSON, a fragment)."""
    headers = {label: r["headers"] for label, r in pages["results"].items()}
    assert headers["file download"]["content-disposition"].startswith("attachment")
    assert headers["JSON export"]["content-type"].startswith("application/json")
    assert headers["health check (JSON)"]["content-type"].startswith("application/json")
    assert headers["public page"]["content-type"].startswith("text/html")


def test_plain_http_is_sent_to_https():
    """Production answers plain HTTP with a permanent redirect to HTTPS (HSTS then keeps browsers there)."""
    env = {k: v for k, v in os.environ.items() if k not in DEVELOPMENT_ONLY}
    code = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/accessibility/'); print(r.status_code, r['Location'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={
            **env,
            **PRODUCTION_ENV,
            "ALLOWED_HOSTS": "testserver",
            "DJANGO_SETTINGS_MODULE": "sendplan.settings",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["301", "https://testserver/accessibility/"], result.stderr[-2000:]


def test_the_checks_find_what_they_look_for():
    """The checks above are not vacuous: a response lacking each protection is reported for each."""
    bare = {
        "headers": {},
        "cookies": {
            "sessionid": {
                "secure": False,
                "httponly": False,
                "samesite": "",
                "path": "/",
                "domain": "",
                "max-age": 1800,
            }
        },
    }
    found = problems_with("bare", bare, signed_in=True)
    for expected in (
        "no Content-Security-Policy",
        "HSTS",
        "X-Content-Type-Options",
        "X-Frame-Options",
        "Referrer-Policy",
        "Cache-Control",
        "__Host-",
        "Secure and HttpOnly",
        "SameSite",
    ):
        assert any(expected in problem for problem in found), (expected, found)
    weak = {
        "headers": {
            "content-security-policy": "default-src 'self'; script-src 'self' 'unsafe-inline'",
            "strict-transport-security": "max-age=300",
            "x-content-type-options": "nosniff",
            "x-frame-options": "DENY",
            "referrer-policy": "unsafe-url",
            "cache-control": "private",
        },
        "cookies": {},
    }
    found = problems_with("weak", weak, signed_in=True)
    assert len(found) == 5, found  # inline scripts, short HSTS, framing allowed by CSP, referrer, no-store
