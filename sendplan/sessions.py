"""The database session store, with a database outage reported as one.

Django's store turns any database error while saving a session into UpdateError, which its middleware
answers with 400 Bad Request ("the session was deleted"). A session is saved on every request here (for
the idle timeout), so a request in flight when PostgreSQL goes away got a 400 instead of the service's
error page (found by tests/test_drill_postgres.py). A session row that is really gone still raises
UpdateError; a connection lost raises the database error itself, which the service answers with its 500
page like any other request the database could not serve.
"""

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import InterfaceError, OperationalError


class SessionStore(DatabaseSessionStore):
    def save(self, must_create: bool = False) -> None:
        try:
            super().save(must_create=must_create)
        except UpdateError as exc:
            if isinstance(exc.__context__, (OperationalError, InterfaceError)):
                raise exc.__context__ from None
            raise
