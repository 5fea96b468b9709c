"""Production settings: `check --deploy` is clean, and what it does not check is checked here."""

import json
import os
import re
import secrets
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from sendplan.models import School, User

PRODUCTION_ENV = {
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "sendplan.example",
    "DATABASE_URL": "postgres://sendplan@db.internal:5432/sendplan",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "TRUSTED_PROXY_COUNT": "1",
}
# Set by tests/conftest.py for Playwright; check --deploy rightly refuses it in production.
DEVELOPMENT_ONLY = {
    "DEBUG",
    "DEMO_MODE",
    "SECRET_KEY",
    "REDIS_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "EMAIL_BACKEND",
    "TRUSTED_PROXY_COUNT",
    "HEALTHZ_TOKEN",
}


def run_manage(*args: str, env: dict, code: str | None = None) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in DEVELOPMENT_ONLY}
    command = [sys.executable, "-c", code] if code else [sys.executable, "manage.py", *args]
    return subprocess.run(
        command, cwd=settings.BASE_DIR, env={**clean, **env}, capture_output=True, text=True, timeout=60
    )


def production_settings(**env: str) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in ["
        "'DEBUG', 'SESSION_COOKIE_AGE', 'SESSION_SAVE_EVERY_REQUEST', 'SESSION_ABSOLUTE_TIMEOUT', "
        "'SESSION_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', "
        "'SECURE_SSL_REDIRECT', 'DATA_UPLOAD_MAX_MEMORY_SIZE', 'FILE_UPLOAD_MAX_MEMORY_SIZE', "
        "'EVIDENCE_MAX_BYTES', 'FRAMEWORK_UPLOAD_MAX_BYTES', 'DEMO_MODE', 'CELERY_TASK_ALWAYS_EAGER', "
        "'CELERY_TASK_ACKS_LATE', 'CELERY_TASK_REJECT_ON_WORKER_LOST', 'CELERY_WORKER_PREFETCH_MULTIPLIER', "
        "'CELERY_BROKER_TRANSPORT_OPTIONS', 'CELERY_TASK_TIME_LIMIT', 'CACHES', 'X_FRAME_OPTIONS', "
        "'SESSION_COOKIE_NAME', 'CSRF_COOKIE_NAME', 'SESSION_COOKIE_PATH', 'CSRF_COOKIE_PATH', "
        "'SESSION_COOKIE_DOMAIN', 'CSRF_COOKIE_DOMAIN', 'ALLAUTH_TRUSTED_PROXY_COUNT', 'HEALTHZ_TOKEN']}, "
        "default=str))"
    )
    result = run_manage(
        env={**PRODUCTION_ENV, **env, "DJANGO_SETTINGS_MODULE": "sendplan.settings"}, code=code
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    "backend",
    [
        None,  # unset: the console backend
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.locmem.EmailBackend",
        "django.core.mail.backends.filebased.EmailBackend",
    ],
    ids=["unset", "console", "locmem", "filebased"],
)
def test_production_refuses_an_email_backend_that_keeps_links_in_the_log(backend):
    """Invitation and password reset links are bearer tokens: printed to a log, anyone reading it gets in."""
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "EMAIL_BACKEND"}
    if backend:
        env["EMAIL_BACKEND"] = backend
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "EMAIL_BACKEND" in result.stderr


def test_production_refuses_to_start_without_trusted_proxy_count():
    """0 behind a proxy puts everyone in one sign-in throttle bucket; more than there are lets clients
    spoof X-Forwarded-For. Only the operator knows, so they must say."""
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "TRUSTED_PROXY_COUNT"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT" in result.stderr
    bad = run_manage("check", env={**PRODUCTION_ENV, "TRUSTED_PROXY_COUNT": "one"})
    assert bad.returncode != 0 and "TRUSTED_PROXY_COUNT" in bad.stderr
    assert production_settings(TRUSTED_PROXY_COUNT="0")["ALLAUTH_TRUSTED_PROXY_COUNT"] == 0  # said: fine


def test_the_shipped_stack_counts_its_one_proxy():
    """docker-compose puts nginx (one proxy) in front of gunicorn, and nginx passes the client's address."""
    import yaml

    compose = yaml.safe_load((settings.BASE_DIR / "docker-compose.yml").read_text())
    for service in ("web", "worker", "migrate"):
        assert str(compose["services"][service]["environment"]["TRUSTED_PROXY_COUNT"]) == "1", service
    nginx = (settings.BASE_DIR / "deploy/nginx.conf").read_text()
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in nginx  # replaced, so never spoofed


def test_production_cookies_are_host_only_and_secure():
    s = production_settings()
    assert s["SESSION_COOKIE_NAME"] == "__Host-sessionid" and s["CSRF_COOKIE_NAME"] == "__Host-csrftoken"
    # what a browser requires of a __Host- cookie: Secure, Path=/ and no Domain
    assert s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"]
    assert s["SESSION_COOKIE_PATH"] == "/" and s["CSRF_COOKIE_PATH"] == "/"
    assert s["SESSION_COOKIE_DOMAIN"] is None and s["CSRF_COOKIE_DOMAIN"] is None
    # development keeps the plain names (a __Host- cookie needs HTTPS)
    assert settings.SESSION_COOKIE_NAME == "sessionid" and settings.CSRF_COOKIE_NAME == "csrftoken"


def test_the_host_cookies_are_set_with_their_attributes(settings, senco_a_user):
    from django.test import Client

    from tests.sendplan.helpers import enrol_totp, post_code, post_password, totp_code

    settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME = "__Host-sessionid", "__Host-csrftoken"
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    client = Client()
    csrf = client.get("/accounts/login/").cookies["__Host-csrftoken"]
    assert csrf["secure"] and csrf["path"] == "/" and not csrf["domain"]
    secret = enrol_totp(senco_a_user)
    post_password(client, senco_a_user.email)
    post_code(client, totp_code(secret))
    session = client.cookies["__Host-sessionid"]
    assert session["secure"] and session["path"] == "/" and not session["domain"]
    assert client.get("/").status_code == 200  # the renamed cookie carries the session


def test_what_check_deploy_does_not_cover():
    s = production_settings()
    assert s["DEBUG"] is False and s["DEMO_MODE"] is False
    assert s["SESSION_COOKIE_AGE"] == 30 * 60 and s["SESSION_SAVE_EVERY_REQUEST"] is True
    assert s["SESSION_ABSOLUTE_TIMEOUT"] == 12 * 60 * 60
    assert s["SESSION_COOKIE_SECURE"] and s["SESSION_COOKIE_HTTPONLY"] and s["CSRF_COOKIE_SECURE"]
    assert s["SECURE_HSTS_SECONDS"] >= 31_536_000 and s["SECURE_SSL_REDIRECT"] is True
    assert s["X_FRAME_OPTIONS"] == "DENY"
    # uploads: bounded in memory, and the app's own limits are explicit
    assert s["DATA_UPLOAD_MAX_MEMORY_SIZE"] <= 5 * 1024 * 1024
    assert s["FILE_UPLOAD_MAX_MEMORY_SIZE"] <= 5 * 1024 * 1024
    assert s["EVIDENCE_MAX_BYTES"] == 10 * 1024 * 1024
    assert s["FRAMEWORK_UPLOAD_MAX_BYTES"] == 2 * 1024 * 1024
    # work survives a killed worker; rate limits live in the shared cache
    assert s["CELERY_TASK_ALWAYS_EAGER"] is False
    assert s["CELERY_TASK_ACKS_LATE"] and s["CELERY_TASK_REJECT_ON_WORKER_LOST"]
    assert s["CELERY_WORKER_PREFETCH_MULTIPLIER"] == 1
    assert s["CELERY_BROKER_TRANSPORT_OPTIONS"]["visibility_timeout"] > s["CELERY_TASK_TIME_LIMIT"]
    assert s["CACHES"]["default"]["BACKEND"] == "sendplan.cache.ResilientRedisCache"  # a RedisCache


def test_pages_carry_a_csp_with_a_nonce_for_the_inline_script(client, db):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if " " in d.strip())
    match = re.fullmatch(r"'self' 'nonce-([A-Za-z0-9+/=_-]+)'", directives["script-src"])
    assert match, policy
    nonce = match.group(1)
    html = response.content.decode()
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline and all(f'nonce="{nonce}"' in attrs for attrs in inline)
    assert directives["style-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "style=" not in html  # no inline styles: style-src has no 'unsafe-inline'
    # a fresh nonce on every response
    assert client.get("/accounts/login/")["Content-Security-Policy"] != policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_seed_demo_refuses_without_debug_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only with DEBUG=1"):
        call_command("seed_demo")
    assert not User.objects.exists()
    call_command("seed_demo", "--force", stdout=StringIO())
    assert School.objects.count() == 8
    # The five demo accounts, and a SENCO acting for each of the seven other schools (no password).
    assert User.objects.count() == 12
    call_command("seed_demo", "--force", stdout=StringIO())  # idempotent
    assert School.objects.count() == 8 and User.objects.count() == 12


def test_demo_code_refuses_outside_demo_mode(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError):
        call_command("demo_code")
