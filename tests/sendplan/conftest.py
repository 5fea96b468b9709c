"""Fixtures for the foundation's own tests (sendplan/)."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Start every test with an empty cache: rate-limit counters and used TOTP codes live there.

    With REDIS_URL set the cache is Redis, which outlives the test database, so a previous run's
    failed-login counter for the same email would otherwise lock the persona out.
    """
    cache.clear()
    yield
    cache.clear()
