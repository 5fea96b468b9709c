"""Migration operations shared by the apps: database triggers that make a log table append-only."""

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
