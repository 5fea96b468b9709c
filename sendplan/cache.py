"""The shared cache (Redis), made to survive Redis going away.

Django's RedisCache raises when Redis does not answer, which would turn every page that touches the
cache (the audit pages keep a rating scale there) into a server error during a Redis outage. Here a read
is a miss, a write is skipped and ``add`` reports the key as taken. ``add`` failing closed matters: allauth
uses it for the sign-in rate-limit lock and to refuse a reused authentication code, so while Redis is
away sign-in is refused ("too many attempts") rather than left unlimited.
"""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class ResilientRedisCache(RedisCache):
    """A RedisCache that treats an unreachable Redis as an empty cache that keeps nothing."""

    def _unreachable(self, operation: str, exc: Exception) -> None:
        logger.warning("Cache %s skipped, Redis is unreachable: %s", operation, exc)

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNREACHABLE as exc:
            self._unreachable("get", exc)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except UNREACHABLE as exc:
            self._unreachable("get_many", exc)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except UNREACHABLE as exc:
            self._unreachable("has_key", exc)
            return False

    def add(self, key, value, timeout=None, version=None):
        try:
            return super().add(key, value, timeout, version)
        except UNREACHABLE as exc:
            self._unreachable("add", exc)
            return False  # fail closed: "taken" (see the module docstring)

    def set(self, key, value, timeout=None, version=None):
        try:
            super().set(key, value, timeout, version)
        except UNREACHABLE as exc:
            self._unreachable("set", exc)

    def set_many(self, data, timeout=None, version=None):
        try:
            return super().set_many(data, timeout, version)
        except UNREACHABLE as exc:
            self._unreachable("set_many", exc)
            return list(data)

    def touch(self, key, timeout=None, version=None):
        try:
            return super().touch(key, timeout, version)
        except UNREACHABLE as exc:
            self._unreachable("touch", exc)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except UNREACHABLE as exc:
            self._unreachable("delete", exc)
            return False

    def delete_many(self, keys, version=None):
        try:
            super().delete_many(keys, version)
        except UNREACHABLE as exc:
            self._unreachable("delete_many", exc)

    def clear(self):
        try:
            return super().clear()
        except UNREACHABLE as exc:
            self._unreachable("clear", exc)
            return False
