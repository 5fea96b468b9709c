"""Walk every URL pattern as every persona: each URL declares who may use it, and outsiders get 404.

The rule on a view (``@access``) says which roles may call it. For each URL and persona this test
derives what must happen and checks it, for GET and POST:

* anonymous → sent to sign in (unless the rule is public);
* a role the rule does not name → 403 (404 where the rule conceals, as for pupil data);
* a named role but another school or LA than the row's owner → 404, unless the rule is ``shared``
  (rows every entitled role may see, such as a published framework version);
* a named role at the owning school or LA → anything but 403, 404 or 500.

Rows come from tests/url_samples.py and belong to school A in LA X.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import PERSONAS
from tests.url_samples import SAMPLES

THIRD_PARTY_PREFIXES = ("accounts/", "admin/")  # allauth and the admin: see test_auth.py
OWNER_PERSONAS = {"senco_a", "headteacher_a", "governor_a", "la_officer_x", "la_admin_x"}
PERSONA_ROLE = {
    "senco_a": "senco",
    "headteacher_a": "headteacher",
    "governor_a": "governor",
    "senco_b": "senco",
    "la_officer_x": "la_officer",
    "la_admin_x": "la_admin",
    "la_officer_y": "la_officer",
    "la_admin_y": "la_admin",
    "anonymous": None,
}


def walk(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from walk(entry, route, ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield route, name, entry.callback, list(entry.pattern.converters)


OUR_URLS = [u for u in walk(get_resolver()) if not u[0].startswith(THIRD_PARTY_PREFIXES)]


def test_the_walk_finds_our_urls():
    names = {name for _, name, _, _ in OUR_URLS}
    assert {"home", "healthz", "sendplan:report_list", "sendplan:people"} <= names


@pytest.mark.parametrize("route,name,callback,kwargs", OUR_URLS, ids=[u[0] or "/" for u in OUR_URLS])
def test_every_url_declares_its_access_rule(route, name, callback, kwargs):
    assert getattr(callback, "access_rule", None) is not None, f"{route} ({name}) has no @access rule"
    assert name, f"{route} has no URL name"
    missing = [k for k in kwargs if sample_for(name, k) is None]
    assert not missing, f"{route}: add sample values for {missing} to tests/url_samples.py"


def sample_for(name: str, kwarg: str):
    """Return the sample function for a URL kwarg: "<namespace>:<kwarg>" first, then the plain name."""
    namespace = name.rpartition(":")[0]
    return SAMPLES.get(f"{namespace}:{kwarg}") or SAMPLES.get(kwarg)


def sample_kwargs(name: str, kwargs: list[str], world) -> dict:
    return {k: sample_for(name, k)(world) for k in kwargs}


def expected(rule, persona: str, has_object: bool) -> str:
    """Return 'login', 'forbidden', 'not_found' or 'allowed' for this persona on a URL with this rule."""
    if rule.public:
        return "allowed"
    if persona == "anonymous":
        return "login"
    if rule.signed_in:
        return "allowed"
    if PERSONA_ROLE[persona] not in rule.roles:
        return "not_found" if rule.conceal else "forbidden"
    if has_object and not rule.shared and persona not in OWNER_PERSONAS:
        return "not_found"
    return "allowed"


@pytest.mark.parametrize("route,name,callback,kwargs", OUR_URLS, ids=[u[0] or "/" for u in OUR_URLS])
def test_url_as_every_persona(request, world, route, name, callback, kwargs):
    rule = callback.access_rule
    clients = {p: request.getfixturevalue(p) for p in PERSONAS}
    # Outsiders first and owners last, GETs before POSTs; each POST gets fresh rows, because an
    # owner's POST may change their state (remove, submit) for whoever comes next.
    order = sorted(PERSONAS, key=lambda p: p in OWNER_PERSONAS)
    failures = []
    url = reverse(name, kwargs=sample_kwargs(name, kwargs, world))
    for method in ("get", "post"):
        for persona in order:
            if method == "post":
                url = reverse(name, kwargs=sample_kwargs(name, kwargs, world))
            response = getattr(clients[persona], method)(url)
            want = expected(rule, persona, has_object=bool(kwargs))
            got = response.status_code
            if got == 405:
                continue  # the method is not offered to anyone; nothing is revealed
            ok = {
                "login": got == 302 and "/accounts/login/" in response.get("Location", ""),
                "forbidden": got == 403,
                "not_found": got == 404,
                "allowed": got not in (403, 404) and got < 500,
            }[want]
            if not ok:
                failures.append(f"{method.upper()} {url} as {persona}: wanted {want}, got {got}")
    assert not failures, "\n".join(failures)
