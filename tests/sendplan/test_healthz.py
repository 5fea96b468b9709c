"""/healthz says whether the database, the broker and a worker answer (without a worker in these tests).

The details are for the machine's own checks (loopback, not through a proxy) and for callers holding
HEALTHZ_TOKEN; anyone else learns only "ok" or "fail". The test client calls from 127.0.0.1.
"""

import os

import pytest

from sendplan.celery import app as celery_app
from tests.conftest import service_missing


@pytest.fixture
def eager(monkeypatch):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)


@pytest.fixture
def with_broker(monkeypatch):
    if not os.environ.get("REDIS_URL"):
        service_missing("REDIS_URL is not set: the broker checks need Redis")
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)


def test_eager_mode_reports_the_database_and_no_broker(client, db, eager):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"].startswith("not used")
    assert body["checks"]["worker"].startswith("not used")


def test_with_redis_and_no_worker_it_says_none_answer(client, db, with_broker):
    celery_app.control.purge()
    response = client.get("/healthz")
    assert response.status_code == 200  # the web side works; the queue waits for a worker
    checks = response.json()["checks"]
    assert checks["broker"] == "ok"
    assert checks["worker"] == "none answering"


def test_an_unreachable_broker_is_an_error(client, db, with_broker, monkeypatch):
    monkeypatch.setitem(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    monkeypatch.setitem(celery_app.conf, "broker_write_url", "redis://127.0.0.1:1/0")
    monkeypatch.setitem(celery_app.conf, "broker_read_url", "redis://127.0.0.1:1/0")
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["broker"].startswith("error")
    remote = client.get("/healthz", REMOTE_ADDR="203.0.113.9")
    assert remote.status_code == 503 and remote.json() == {"status": "fail"}


def test_healthz_needs_no_sign_in_and_reveals_nothing_else(client, db, eager):
    body = client.get("/healthz").json()
    assert set(body) == {"status", "checks"}
    assert set(body["checks"]) == {"database", "broker", "worker"}


TOKEN = "healthz-token-for-the-tests-0123456789"


@pytest.mark.parametrize(
    "headers",
    [
        {"REMOTE_ADDR": "203.0.113.9"},  # anyone on the internet
        {"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": "127.0.0.1"},  # claiming to be local
        {
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_X_FORWARDED_FOR": "203.0.113.9",
        },  # through a proxy on this machine
        {"REMOTE_ADDR": "203.0.113.9", "HTTP_AUTHORIZATION": "Bearer wrong-token"},
        {"REMOTE_ADDR": "203.0.113.9", "HTTP_AUTHORIZATION": f"Basic {TOKEN}"},
    ],
    ids=["remote", "spoofed forwarded-for", "via a local proxy", "wrong token", "not a bearer token"],
)
def test_other_callers_learn_only_the_status(client, db, eager, settings, headers):
    settings.HEALTHZ_TOKEN = TOKEN
    response = client.get("/healthz", **headers)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.parametrize(
    "headers",
    [
        {"REMOTE_ADDR": "127.0.0.1"},
        {"REMOTE_ADDR": "::1"},
        {"REMOTE_ADDR": "203.0.113.9", "HTTP_AUTHORIZATION": f"Bearer {TOKEN}"},
    ],
    ids=["loopback", "loopback v6", "token"],
)
def test_this_machine_and_token_holders_see_the_checks(client, db, eager, settings, headers):
    settings.HEALTHZ_TOKEN = TOKEN
    body = client.get("/healthz", **headers).json()
    assert body["status"] == "ok" and set(body["checks"]) == {"database", "broker", "worker"}


def test_without_a_configured_token_no_bearer_is_accepted(client, db, eager, settings):
    settings.HEALTHZ_TOKEN = ""
    response = client.get("/healthz", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer ")
    assert response.json() == {"status": "ok"}
