"""Migration operations shared by the apps: database triggers that make a history table append-only, and
the one controlled way past them (erasure at the end of retention; see sendplan.history)."""

from django.db import migrations


class RunSQLForVendor(migrations.RunSQL):
    """RunSQL that picks its statements by database vendor (PostgreSQL or SQLite); others are skipped."""

    def __init__(self, *, forward: dict, backward: dict):
        self.by_vendor = {"forward": forward, "backward": backward}
        super().__init__(sql="", reverse_sql="")

    def deconstruct(self):
        return (
            self.__class__.__name__,
            [],
            {"forward": self.by_vendor["forward"], "backward": self.by_vendor["backward"]},
        )

    def _run(self, direction, schema_editor):
        statements = self.by_vendor[direction].get(schema_editor.connection.vendor)
        if statements:
            self._run_sql(schema_editor, statements)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._run("forward", schema_editor)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._run("backward", schema_editor)


def append_only(table: str) -> RunSQLForVendor:
    """Refuse UPDATE and DELETE on ``table`` in PostgreSQL, and UPDATE in SQLite.

    SQLite is the development database; Django flushes SQLite test databases with DELETE, which a delete
    trigger would stop (PostgreSQL flushes with TRUNCATE, which row triggers do not see).
    """
    function = f"{table}_append_only"
    postgres_forward = f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{table} is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION {function}();
CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION {function}();
"""
    postgres_backward = f"""
DROP TRIGGER IF EXISTS {table}_no_update ON {table};
DROP TRIGGER IF EXISTS {table}_no_delete ON {table};
DROP FUNCTION IF EXISTS {function}();
"""
    sqlite_forward = (
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: UPDATE refused'); END;"
    )
    return RunSQLForVendor(
        forward={"postgresql": [postgres_forward], "sqlite": [sqlite_forward]},
        backward={
            "postgresql": [postgres_backward],
            "sqlite": [f"DROP TRIGGER IF EXISTS {table}_no_update;"],
        },
    )


def append_only_restored(table: str) -> RunSQLForVendor:
    """Put back the SQLite update trigger after a migration that rebuilt ``table`` (SQLite's ALTER TABLE
    copies the table and drops its triggers; PostgreSQL keeps them)."""
    return RunSQLForVendor(
        forward={
            "sqlite": [
                f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: UPDATE refused'); END;"
            ]
        },
        backward={},
    )


ERASURE_FLAG_TABLE = "sendplan_erasure_flag"  # SQLite only: a row here while erasure_allowed() runs


def erasure_flag_table() -> RunSQLForVendor:
    """Create SQLite's stand-in for PostgreSQL's transaction-local setting ``sendplan.erasure``."""
    return RunSQLForVendor(
        forward={"sqlite": [f"CREATE TABLE {ERASURE_FLAG_TABLE} (id integer)"]},
        backward={"sqlite": [f"DROP TABLE IF EXISTS {ERASURE_FLAG_TABLE}"]},
    )


def history_guard(table: str, *, actor: str | None = "actor_id") -> RunSQLForVendor:
    """Refuse TRUNCATE on ``table``, and let the controlled erasure path past its append-only triggers.

    Replaces the trigger function ``append_only`` made. On PostgreSQL, while the transaction-local setting
    ``sendplan.erasure`` is on (``sendplan.history.erasure_allowed``), a DELETE is accepted, and so is an
    UPDATE that only empties ``actor`` (anonymising who did it); every other change is refused as before.
    With ``actor=None`` (the erasure log itself) nothing is ever let through.

    TRUNCATE is refused too, by a statement trigger, unless ``sendplan.allow_truncate`` is on: only the
    tests' database sets it (tests/conftest.py), because pytest-django empties PostgreSQL test databases
    with TRUNCATE between transactional tests.

    SQLite, the development database, has no such settings and no DELETE trigger (see ``append_only``):
    its UPDATE trigger accepts emptying ``actor`` while a row sits in ``sendplan_erasure_flag``, which
    ``erasure_allowed`` writes and removes inside one transaction.
    """
    function = f"{table}_append_only"
    erasure = (
        f"""
    ELSIF current_setting('sendplan.erasure', true) = 'on' THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        IF NEW.{actor} IS NULL AND to_jsonb(NEW) - '{actor}' = to_jsonb(OLD) - '{actor}' THEN
            RETURN NEW;
        END IF;"""
        if actor
        else ""
    )
    postgres_forward = f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        IF current_setting('sendplan.allow_truncate', true) = 'on' THEN
            RETURN NULL;
        END IF;{erasure}
    END IF;
    RAISE EXCEPTION '{table} is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {function}();
"""
    postgres_backward = f"""
DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{table} is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""
    refuse = f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: UPDATE refused'); END;"
    # Names come from the migrations themselves, never from input.
    when = f"WHEN NOT (NEW.{actor} IS NULL AND EXISTS (SELECT 1 FROM {ERASURE_FLAG_TABLE})) "  # noqa: S608
    sqlite_forward = [
        f"DROP TRIGGER IF EXISTS {table}_no_update",
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} {when if actor else ''}{refuse}",
    ]
    sqlite_backward = [
        f"DROP TRIGGER IF EXISTS {table}_no_update",
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} {refuse}",
    ]
    return RunSQLForVendor(
        forward={"postgresql": [postgres_forward], "sqlite": sqlite_forward},
        backward={"postgresql": [postgres_backward], "sqlite": sqlite_backward},
    )
