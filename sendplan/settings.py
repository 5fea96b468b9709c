"""Settings for sendplan, read from environment variables (see .env.example).

The embedded default (no variables set but DEBUG=1) is a SQLite file, tasks run in-process without a
broker, and email goes to the console. Production sets DATABASE_URL, REDIS_URL, SECRET_KEY and
ALLOWED_HOSTS, and leaves DEBUG off.
"""

import os
import secrets
from pathlib import Path

from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from sendplan.dburl import parse_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """Return an environment flag ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Return a comma-separated environment variable as a list."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def dev_secret_key() -> str:
    """Return a per-checkout secret kept in .secret_key, so dev sessions survive restarts."""
    path = BASE_DIR / ".secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (it is only generated for you when DEBUG=1).")
    SECRET_KEY = dev_secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Demo accounts and their fixed TOTP secret exist only for development and demonstrations.
DEMO_MODE = env_bool("DEMO_MODE", default=DEBUG)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_forms_gds",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "sendplan",
    "standards",
    "audits",
    "ehcp",
    "publications",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sendplan.middleware.no_store_when_signed_in",  # sees every response from the middleware below
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "sendplan.middleware.absolute_session_timeout",
    "sendplan.middleware.current_membership",
    "sendplan.middleware.require_mfa",
]

ROOT_URLCONF = "sendplan.urls"
WSGI_APPLICATION = "sendplan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],  # project templates (allauth, crispy gds fixes) win over app ones
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sendplan.context_processors.service",
            ],
        },
    },
]

DATABASES = {
    "default": parse_database_url(
        os.environ.get("DATABASE_URL", "sqlite:///var/sendplan.sqlite3"), base_dir=BASE_DIR
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "sendplan.User"
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# allauth: email login, no public sign-up (people join by invitation), MFA by TOTP + recovery codes.
ACCOUNT_ADAPTER = "sendplan.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False  # the idle timeout applies to everyone
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False  # a reset never skips the MFA step
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {
    "login_failed": os.environ.get("LOGIN_FAILED_RATE_LIMIT", "10/m/ip,5/5m/key"),
    "reset_password": "20/m/ip,5/m/key",
}
# How many proxies in front of gunicorn append to X-Forwarded-For (the shipped nginx: 1). The sign-in
# limits per address read the client's address from it: 0 behind a proxy would put everyone in one
# bucket, a number too high would let clients choose their own. Only the operator knows: no default.
_proxies = os.environ.get("TRUSTED_PROXY_COUNT", "0" if DEBUG else "")
if not _proxies.strip().isdigit():
    raise ImproperlyConfigured(
        "Set TRUSTED_PROXY_COUNT to the number of proxies in front of sendplan (1 behind the shipped "
        "nginx; 0 if clients connect to gunicorn directly)."
    )
ALLAUTH_TRUSTED_PROXY_COUNT = int(_proxies)
ACCOUNT_FORMS = {"login": "sendplan.auth_forms.LoginForm"}
MFA_FORMS = {
    "authenticate": "sendplan.auth_forms.AuthenticateForm",
    "activate_totp": "sendplan.auth_forms.ActivateTOTPForm",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "sendplan"
MFA_RECOVERY_CODE_COUNT = 10

# Roles that can reach pupil data must have MFA (DfE cyber security standards for schools).
MFA_REQUIRED_ROLES = {"senco", "headteacher", "la_officer", "la_admin"}

# Sessions: 30 minutes idle (renewed on every request), 12 hours at most whatever the activity.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ENGINE = "sendplan.sessions"  # a database outage while saving is a 500, not a 400
SESSION_ABSOLUTE_TIMEOUT = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
# In production the __Host- prefix makes browsers refuse these cookies unless Secure, Path=/ and without
# a Domain, so no other host (a sibling subdomain) can set or overwrite them. Plain names over HTTP in
# development, where a browser would refuse a __Host- cookie.
SESSION_COOKIE_NAME = "sessionid" if DEBUG else "__Host-sessionid"
CSRF_COOKIE_NAME = "csrftoken" if DEBUG else "__Host-csrftoken"
SESSION_COOKIE_PATH = CSRF_COOKIE_PATH = "/"
SESSION_COOKIE_DOMAIN = CSRF_COOKIE_DOMAIN = None
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # Survives a Redis outage (sendplan/cache.py); a Redis that hangs is given up on after 2 seconds.
    CACHES = {
        "default": {
            "BACKEND": "sendplan.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery. With REDIS_URL the work goes to worker processes; without it the same task code runs
# in-process after the transaction commits (eager mode), so the embedded default needs no server.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True  # outcomes are recorded on our own rows (Report.status)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # with acks_late, re-queue work lost with a killed worker
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
# Must exceed the longest task and any countdown, or Redis re-delivers work still running.
# (Tests shorten it to prove that work held by a killed worker is delivered again.)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", str(2 * 60 * 60)))
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = "Europe/London"  # beat's times below are school-day times


def env_time(name: str, default: str) -> crontab:
    """Return a daily crontab from an "HH:MM" environment variable (Europe/London time)."""
    value = os.environ.get(name) or default
    try:
        hour, minute = (int(part) for part in value.split(":"))
    except ValueError as exc:
        raise ImproperlyConfigured(f"Set {name} like 07:00") from exc
    return crontab(hour=hour, minute=minute)


# Celery beat (one `celery -A sendplan beat` process in production): reminders every morning, the daily
# email every afternoon. Each is safe to run twice, so a second beat or a cron job does no harm.
# Without beat, run `manage.py send_reminders` and `manage.py send_digests` from cron.
CELERY_BEAT_SCHEDULE = {
    "send-reminders": {
        "task": "notifications.tasks.send_reminders",
        "schedule": env_time("REMINDERS_AT", "07:00"),
    },
    "send-digests": {
        "task": "notifications.tasks.send_digests",
        "schedule": env_time("DIGEST_AT", "16:30"),
    },
    # Reports and emails whose message Redis lost (it keeps nothing on disk) are queued again.
    "sweep-stranded": {"task": "sendplan.tasks.sweep_stranded", "schedule": 5 * 60},
}

# Email goes through SMTP once EMAIL_HOST is set; without it, to the console (the embedded default).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend"
)
# Invitation and password reset links are bearer tokens: a backend that prints or keeps them (console,
# file, memory) hands them to whoever reads the log or the disk. Fine in development only.
KEEPS_LINKS = {
    f"django.core.mail.backends.{kind}.EmailBackend" for kind in ("console", "filebased", "locmem")
}
if not DEBUG and EMAIL_BACKEND in KEEPS_LINKS:
    raise ImproperlyConfigured(
        f"EMAIL_BACKEND is {EMAIL_BACKEND}, which writes sign-in links to the log or to disk. Set "
        "EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and EMAIL_HOST (see .env.example)."
    )
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")  # STARTTLS, usually on port 587
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")  # implicit TLS, usually on port 465
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("Set EMAIL_USE_TLS or EMAIL_USE_SSL, not both.")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))  # seconds: a silent server cannot hold a worker
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "sendplan <no-reply@localhost>")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Uploaded evidence and rendered reports: private, never under a public URL; served by checked views.
MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private"))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024)))
FRAMEWORK_UPLOAD_MAX_BYTES = int(os.environ.get("FRAMEWORK_UPLOAD_MAX_BYTES", str(2 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

SERVICE_NAME = "sendplan"
SUPPORT_EMAIL = os.environ.get("SUPPORT_EMAIL", "support@sendplan.invalid")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")  # for links in emails
# /healthz says only "ok" or "fail" unless asked from this machine or with this token (Bearer).
HEALTHZ_TOKEN = os.environ.get("HEALTHZ_TOKEN", "")
INVITATION_VALID_DAYS = 7

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},  # "Step 5 - Creating layout - Page 3" for every page
    },
}
