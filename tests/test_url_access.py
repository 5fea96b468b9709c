"""Walk every URL pattern as every persona, and check what happens against the hand-written matrix.

tests/policy_matrix.py says, for each action, what each persona must get, and which action each URL
performs. For each URL and persona this test sends a GET and a POST and checks the status:

* A (allowed): anything but 403, 404 or a server error;
* F: 403; N: 404; L: a redirect to sign in.

Rows come from tests/url_samples.py and belong to school A in LA X. It also checks that every view
declares the action the matrix names for its URL, and that every page or file showing a pupil writes
exactly one access event per viewing (the sample data has one pupil).
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from sendplan.models import AccessEvent, SecurityEvent
from sendplan.policy import POLICY
from tests.conftest import PERSONAS
from tests.policy_matrix import BOARD_MATRIX, URL_ACTIONS, expected
from tests.url_samples import BOARD_SAMPLES, SAMPLES

THIRD_PARTY_PREFIXES = ("accounts/", "admin/")  # allauth and the admin: see test_auth.py
OWNERS = ("senco_a", "headteacher_a", "governor_a", "la_officer_x", "la_admin_x")


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
IDS = [u[0] or "/" for u in OUR_URLS]


def test_the_walk_finds_our_urls():
    names = {name for _, name, _, _ in OUR_URLS}
    assert {"home", "healthz", "sendplan:report_list", "sendplan:people"} <= names


def test_the_matrix_names_every_url_and_nothing_else():
    names = {name for _, name, _, _ in OUR_URLS}
    assert names == set(URL_ACTIONS), (
        f"URLs the matrix lacks: {sorted(names - set(URL_ACTIONS))}; "
        f"URLs that no longer exist: {sorted(set(URL_ACTIONS) - names)}"
    )


@pytest.mark.parametrize("route,name,callback,kwargs", OUR_URLS, ids=IDS)
def test_every_view_declares_the_action_the_matrix_names(route, name, callback, kwargs):
    declared = getattr(callback, "action", None)
    assert declared is not None, f"{route} ({name}) declares no action: decorate it with @performs(...)"
    assert declared in POLICY
    assert declared == URL_ACTIONS[name], f"{name} declares {declared}, the matrix says {URL_ACTIONS[name]}"
    missing = [k for k in kwargs if sample_for(name, k) is None]
    assert not missing, f"{route}: add sample values for {missing} to tests/url_samples.py"


def sample_for(name: str, kwarg: str, *, board: bool = False):
    """Return the sample function for a URL kwarg: "<namespace>:<kwarg>" first, then the plain name.

    With ``board``, the rows of the board's audit (BOARD_SAMPLES) win.
    """
    namespace = name.rpartition(":")[0]
    if board and kwarg in BOARD_SAMPLES:
        return BOARD_SAMPLES[kwarg]
    return SAMPLES.get(f"{namespace}:{kwarg}") or SAMPLES.get(kwarg)


def sample_kwargs(name: str, kwargs: list[str], world, *, board: bool = False) -> dict:
    return {k: sample_for(name, k, board=board)(world) for k in kwargs}


def on_row(kwargs: list[str]) -> bool:
    return any(k != "token" for k in kwargs)


OK = {
    "L": lambda r: r.status_code == 302 and "/accounts/login/" in r.get("Location", ""),
    "F": lambda r: r.status_code == 403,
    "N": lambda r: r.status_code == 404,
    "A": lambda r: r.status_code not in (403, 404) and r.status_code < 500,
}


@pytest.mark.parametrize("route,name,callback,kwargs", OUR_URLS, ids=IDS)
def test_url_as_every_persona(request, world, route, name, callback, kwargs):
    action = URL_ACTIONS[name]
    clients = {p: request.getfixturevalue(p) for p in PERSONAS}
    # Outsiders first and owners last, GETs before POSTs; each POST gets fresh rows, because an
    # owner's POST may change their state (remove, submit) for whoever comes next.
    order = sorted(PERSONAS, key=lambda p: p in OWNERS)
    failures = []
    url = reverse(name, kwargs=sample_kwargs(name, kwargs, world))
    for method in ("get", "post"):
        for persona in order:
            if method == "post":
                url = reverse(name, kwargs=sample_kwargs(name, kwargs, world))
            response = getattr(clients[persona], method)(url)
            if response.status_code == 405:
                continue  # the method is offered to nobody; nothing is revealed
            want = expected(action, persona, on_row=on_row(kwargs))
            if not OK[want](response):
                failures.append(
                    f"{method.upper()} {url} as {persona}: wanted {want}, got {response.status_code}"
                )
    assert not failures, "\n".join(failures)


# Every URL of an audit, walked again on school A's audit of a framework the governing board rates.
BOARD_URLS = [u for u in OUR_URLS if "audit_id" in u[3] and URL_ACTIONS[u[1]] in BOARD_MATRIX]


def test_the_board_matrix_covers_every_url_of_an_audit():
    missing = {URL_ACTIONS[u[1]] for u in OUR_URLS if "audit_id" in u[3]} - set(BOARD_MATRIX)
    assert not missing, f"add these actions to BOARD_MATRIX: {sorted(missing)}"


@pytest.mark.parametrize("route,name,callback,kwargs", BOARD_URLS, ids=[u[0] for u in BOARD_URLS])
def test_url_of_the_boards_audit_as_every_persona(request, world, route, name, callback, kwargs):
    action = URL_ACTIONS[name]
    clients = {p: request.getfixturevalue(p) for p in PERSONAS}
    order = sorted(PERSONAS, key=lambda p: p in OWNERS)
    failures = []
    for method in ("get", "post"):
        for persona in order:
            url = reverse(name, kwargs=sample_kwargs(name, kwargs, world, board=True))
            response = getattr(clients[persona], method)(url)
            if response.status_code == 405:
                continue
            want = expected(action, persona, board=True)
            if not OK[want](response):
                failures.append(
                    f"{method.upper()} {url} as {persona}: wanted {want}, got {response.status_code}"
                )
    assert not failures, "\n".join(failures)


LOGGED = [u for u in OUR_URLS if POLICY[URL_ACTIONS[u[1]]].logs]


@pytest.mark.parametrize("route,name,callback,kwargs", LOGGED, ids=[u[0] for u in LOGGED])
def test_every_page_showing_a_pupil_writes_one_access_event(request, world, route, name, callback, kwargs):
    SAMPLES["plan_id"](world)  # the one pupil, with a plan submitted to LA X, that lists show
    url = reverse(name, kwargs=sample_kwargs(name, kwargs, world))
    for persona in OWNERS:
        if expected(URL_ACTIONS[name], persona, on_row=on_row(kwargs)) != "A":
            continue
        before = AccessEvent.objects.count()
        response = request.getfixturevalue(persona).get(url)
        if response.status_code == 405:
            continue
        written = AccessEvent.objects.count() - before
        if response.status_code == 200:
            assert written == 1, f"GET {url} as {persona} wrote {written} access events"
        else:
            assert written == 0, f"GET {url} as {persona} answered {response.status_code} but logged"


CONCEALED = [u for u in OUR_URLS if POLICY[URL_ACTIONS[u[1]]].conceal and on_row(u[3])]


@pytest.mark.parametrize("route,name,callback,kwargs", CONCEALED, ids=[u[0] for u in CONCEALED])
def test_a_hidden_pupil_page_is_a_logged_security_event(request, world, route, name, callback, kwargs):
    url = reverse(name, kwargs=sample_kwargs(name, kwargs, world))
    for persona in ("governor_a", "senco_b", "la_officer_y"):
        before = SecurityEvent.objects.count()
        response = request.getfixturevalue(persona).get(url)
        if response.status_code == 405:
            continue
        assert response.status_code == 404
        assert SecurityEvent.objects.count() == before + 1, f"GET {url} as {persona} was not logged"
