"""The history tables, append-only in the database, and the one controlled way past their triggers.

The access log, audit events and plan events record who did what; triggers refuse to change or delete
them (sendplan.migration_operations). At the end of retention, and when a person's account is deleted,
``erasure_allowed`` lets one transaction delete history rows or empty their actor, and nothing else.
Every such erasure writes an ``Erasure`` row, which nothing can change.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.apps import apps
from django.db import transaction
from django.db.models import Model

# The history models whose actor is anonymised when a person's account is deleted.
HISTORY_MODELS = ("sendplan.AccessEvent", "sendplan.SecurityEvent", "audits.AuditEvent", "ehcp.PlanEvent")


def history_models() -> list[type[Model]]:
    """Return the history models (looked up by label, so the core app imports no other app)."""
    return [apps.get_model(label) for label in HISTORY_MODELS]


@contextmanager
def erasure_allowed() -> Iterator[None]:
    """Within the current transaction, let history rows be deleted or lose their actor, until the block ends.

    On PostgreSQL a transaction-local setting (``SET LOCAL sendplan.erasure``); on SQLite a row in the
    flag table ``sendplan.migration_operations.ERASURE_FLAG_TABLE``. If the block fails, the transaction's rollback undoes the flag with everything else.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("Erasing history needs a transaction (wrap it in transaction.atomic).")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config('sendplan.erasure', 'on', true)")
        elif connection.vendor == "sqlite":
            cursor.execute("INSERT INTO sendplan_erasure_flag (id) VALUES (1)")
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config('sendplan.erasure', 'off', true)")
        elif connection.vendor == "sqlite":
            cursor.execute("DELETE FROM sendplan_erasure_flag")
