"""Shared fixtures: the personas, signed-in clients, and the checks that services are really there.

Personas (security.md): SENCO, headteacher and governor at school A; SENCO at school B; LA officer
and LA admin at LA X (which holds school A) and at LA Y (which holds school B); anonymous.
"""

import os
import shutil
import time
from dataclasses import dataclass

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.test import Client

from sendplan.models import LocalAuthority, Membership, Role, School, User
from tests.factories import LocalAuthorityFactory, MembershipFactory, SchoolFactory, UserFactory

# Playwright's sync API runs an event loop in the test thread; Django would refuse ORM calls without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def service_missing(reason: str) -> None:
    """Skip locally, but fail in CI (REQUIRE_SERVICES=1): a missing service there is a defect."""
    if REQUIRE_SERVICES:
        pytest.fail(f"Required service missing: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _postgres_for_marked_tests(request):
    """Tests marked `postgres` (row locks, concurrency) need PostgreSQL: skip locally, fail in CI."""
    if request.node.get_closest_marker("postgres"):
        from django.db import connection

        if connection.vendor != "postgresql":
            service_missing("PostgreSQL (set DATABASE_URL): row locks do nothing on SQLite")


@pytest.fixture(autouse=True)
def _tasks_in_process(request, monkeypatch):
    """Run Celery tasks in the test process after commit, as the embedded default does, so a test sees the
    email an event sends whether or not REDIS_URL is set; tests marked ``worker`` use a real worker."""
    if request.node.get_closest_marker("worker"):
        return
    from sendplan.celery import app as celery_app

    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)


@pytest.fixture(autouse=True)
def _fast_and_private(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path


@dataclass
class World:
    la_x: LocalAuthority
    la_y: LocalAuthority
    school_a: School
    school_b: School


@pytest.fixture
def world(db) -> World:
    la_x = LocalAuthorityFactory(name="LA X", code="901")
    la_y = LocalAuthorityFactory(name="LA Y", code="902")
    return World(
        la_x=la_x,
        la_y=la_y,
        school_a=SchoolFactory(name="School A", urn="900001", local_authority=la_x),
        school_b=SchoolFactory(name="School B", urn="900002", local_authority=la_y),
    )


def make_member(
    role: str, *, school: School | None = None, la: LocalAuthority | None = None, email: str
) -> User:
    user = UserFactory(email=email)
    MembershipFactory(user=user, role=role, school=school, local_authority=la)
    if role in {Role.SENCO, Role.HEADTEACHER, Role.LA_OFFICER, Role.LA_ADMIN}:
        TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def senco_a_user(world) -> User:
    return make_member(Role.SENCO, school=world.school_a, email="senco.a@example.org")


@pytest.fixture
def headteacher_a_user(world) -> User:
    return make_member(Role.HEADTEACHER, school=world.school_a, email="head.a@example.org")


@pytest.fixture
def governor_a_user(world) -> User:
    return make_member(Role.GOVERNOR, school=world.school_a, email="governor.a@example.org")


@pytest.fixture
def senco_b_user(world) -> User:
    return make_member(Role.SENCO, school=world.school_b, email="senco.b@example.org")


@pytest.fixture
def la_officer_x_user(world) -> User:
    return make_member(Role.LA_OFFICER, la=world.la_x, email="officer.x@example.org")


@pytest.fixture
def la_admin_x_user(world) -> User:
    return make_member(Role.LA_ADMIN, la=world.la_x, email="admin.x@example.org")


@pytest.fixture
def la_officer_y_user(world) -> User:
    return make_member(Role.LA_OFFICER, la=world.la_y, email="officer.y@example.org")


@pytest.fixture
def la_admin_y_user(world) -> User:
    return make_member(Role.LA_ADMIN, la=world.la_y, email="admin.y@example.org")


def sign_in(user: User) -> Client:
    """Return a client signed in as the user, with this session's MFA step done (as after a real login)."""
    client = Client()
    client.force_login(user)
    session = client.session
    now = time.time()
    session["account_authentication_methods"] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "type": "totp"},
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client


@pytest.fixture
def senco_a(senco_a_user) -> Client:
    return sign_in(senco_a_user)


@pytest.fixture
def headteacher_a(headteacher_a_user) -> Client:
    return sign_in(headteacher_a_user)


@pytest.fixture
def governor_a(governor_a_user) -> Client:
    return sign_in(governor_a_user)


@pytest.fixture
def senco_b(senco_b_user) -> Client:
    return sign_in(senco_b_user)


@pytest.fixture
def la_officer_x(la_officer_x_user) -> Client:
    return sign_in(la_officer_x_user)


@pytest.fixture
def la_admin_x(la_admin_x_user) -> Client:
    return sign_in(la_admin_x_user)


@pytest.fixture
def la_officer_y(la_officer_y_user) -> Client:
    return sign_in(la_officer_y_user)


@pytest.fixture
def la_admin_y(la_admin_y_user) -> Client:
    return sign_in(la_admin_y_user)


@pytest.fixture
def anonymous(world) -> Client:
    return Client()


PERSONAS = [
    "senco_a",
    "headteacher_a",
    "governor_a",
    "senco_b",
    "la_officer_x",
    "la_admin_x",
    "la_officer_y",
    "la_admin_y",
    "anonymous",
]


def membership_of(user: User) -> Membership:
    return user.memberships.get()


# --- browser tests -----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        service_missing("Debian's Chromium is not installed (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture
def page(page):
    page.set_default_timeout(10_000)
    return page


def browser_sign_in(page, live_server, user: User) -> None:
    """Give the Playwright page a signed-in session for ``user`` (MFA step done), without the login form."""
    client = sign_in(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def assert_accessible(page) -> None:
    """Fail with axe's report if the page has any accessibility violation.

    Waits for the page to have loaded and drawn its main content first: straight after a click that
    navigates, axe could otherwise read the blank document between two pages (it did, once, in CI).
    """
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state()
    page.locator("main").first.wait_for()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Let the test database be emptied with TRUNCATE; afterwards, close what live-server threads left.

    The history tables refuse TRUNCATE (sendplan.migration_operations.history_guard) unless
    ``sendplan.allow_truncate`` is on, and pytest-django empties PostgreSQL after each transactional test
    with TRUNCATE. So the test database, and only it, turns the setting on: for this connection, and
    (ALTER DATABASE) for every later one, such as live-server threads'.
    """
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                name = connection.ops.quote_name(connection.settings_dict["NAME"])
                cursor.execute(f"ALTER DATABASE {name} SET sendplan.allow_truncate = 'on'")
                cursor.execute("SET sendplan.allow_truncate = 'on'")
    yield

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
