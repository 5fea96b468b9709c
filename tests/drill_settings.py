"""The production settings for the drills' gunicorn, with one change: static files are served without
the collectstatic manifest (tests never run collectstatic, and {% static %} would fail without it)."""

from sendplan.settings import *  # noqa: F403
from sendplan.settings import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
