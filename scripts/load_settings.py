"""Settings for `make load`: the production settings, with cookies that travel over plain HTTP on loopback.

The load run has no TLS terminator in front of gunicorn, and an HTTP client keeps a Secure or __Host-
cookie only over HTTPS. Nothing else differs from production (DEBUG off, whitenoise's manifest, the
same middleware, PostgreSQL, Redis and Celery workers).
"""

from sendplan.settings import *  # noqa: F403

SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
SESSION_COOKIE_NAME, CSRF_COOKIE_NAME = "sessionid", "csrftoken"
