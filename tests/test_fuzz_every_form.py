"""Every form on every page, fuzzed on PostgreSQL: no input gives a server error, and nothing another
organisation owns changes.

The URL walk (tests/test_url_access.py) gives every page with sample rows of school A; for each, a person
allowed there opens it, and every POST form found on the page is sent hostile values (tests/hostile.py):
missing fields, huge strings, NUL, odd Unicode, several values where one is expected, numbers out of
range, and the public ids of school B's and LA Y's rows. The same page is also asked for with hostile query
parameters. After each request, school B's and LA Y's rows must be exactly as they were.

A few examples per page keep the walk quick; tests/test_fuzz_forms.py goes deeper into the forms with
the most logic behind them.
"""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, settings

from tests.hostile import build_other_tenant, fingerprint, fuzz_page
from tests.policy_matrix import URL_ACTIONS, expected
from tests.test_url_access import OUR_URLS, on_row, sample_kwargs

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

# Who opens each page: the first of these the matrix allows there.
OPENERS = ("senco_a", "la_admin_x", "la_officer_x", "headteacher_a", "governor_a", "anonymous")
WALK = settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def other_tenant(world, senco_b_user):
    return build_other_tenant(world, senco_b_user)


def opener(name: str, kwargs: list[str]) -> str | None:
    action = URL_ACTIONS[name]
    return next((p for p in OPENERS if expected(action, p, on_row=on_row(kwargs)) == "A"), None)


@pytest.mark.parametrize("route,name,callback,kwargs", OUR_URLS, ids=[u[0] or "/" for u in OUR_URLS])
def test_no_input_to_any_page_gives_a_server_error_or_touches_another_organisation(
    request, world, other_tenant, route, name, callback, kwargs
):
    persona = opener(name, kwargs)
    assert persona is not None, f"the matrix allows {name} to none of {OPENERS}: say who may open it"
    client = request.getfixturevalue(persona)
    url = reverse(name, kwargs=sample_kwargs(name, kwargs, world))
    fuzz_page(
        client,
        url,
        other_tenant["ids"],
        lambda: fingerprint(world.school_b, world.la_y) == other_tenant["before"],
        WALK,
    )
