"""/healthz says whether the database, the broker and a worker answer (without a worker in these tests)."""

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
    assert body["status"] == "error"
    assert body["checks"]["broker"].startswith("error")


def test_healthz_needs_no_sign_in_and_reveals_nothing_else(client, db, eager):
    body = client.get("/healthz").json()
    assert set(body) == {"status", "checks"}
    assert set(body["checks"]) == {"database", "broker", "worker"}
