"""Make the access log append-only in the database itself: UPDATE and DELETE on it raise.

The log records who viewed or exported a pupil's record; no code path edits it, and the database refuses
even a stray ``QuerySet.update()`` or a shell session. On PostgreSQL both UPDATE and DELETE are refused
(Django's test flush uses TRUNCATE, which row triggers do not see). On SQLite, the development default,
only UPDATE is refused: Django flushes SQLite test databases with DELETE, which a delete trigger would stop.
"""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE OR REPLACE FUNCTION sendplan_accessevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'sendplan_accessevent is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER sendplan_accessevent_no_update BEFORE UPDATE ON sendplan_accessevent
    FOR EACH ROW EXECUTE FUNCTION sendplan_accessevent_append_only();
CREATE TRIGGER sendplan_accessevent_no_delete BEFORE DELETE ON sendplan_accessevent
    FOR EACH ROW EXECUTE FUNCTION sendplan_accessevent_append_only();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS sendplan_accessevent_no_update ON sendplan_accessevent;
DROP TRIGGER IF EXISTS sendplan_accessevent_no_delete ON sendplan_accessevent;
DROP FUNCTION IF EXISTS sendplan_accessevent_append_only();
"""
SQLITE_FORWARD = [
    """CREATE TRIGGER sendplan_accessevent_no_update BEFORE UPDATE ON sendplan_accessevent
    BEGIN SELECT RAISE(ABORT, 'sendplan_accessevent is append-only: UPDATE refused'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS sendplan_accessevent_no_update;",
]


class RunSQLForVendor(migrations.RunSQL):
    """RunSQL that picks its statements by database vendor (PostgreSQL or SQLite); others are skipped."""

    def __init__(self, *, forward: dict, backward: dict):
        self.by_vendor = {"forward": forward, "backward": backward}
        super().__init__(sql="", reverse_sql="")

    def deconstruct(self):
        return (self.__class__.__name__, [], {"forward": self.by_vendor["forward"], "backward": self.by_vendor["backward"]})

    def _run(self, direction, schema_editor):
        statements = self.by_vendor[direction].get(schema_editor.connection.vendor)
        if statements:
            self._run_sql(schema_editor, statements)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._run("forward", schema_editor)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._run("backward", schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("ehcp", "0001_initial"),
        ("sendplan", "0002_remove_invitation_invitation_role_fits_organisation_and_more"),
    ]

    operations = [
        RunSQLForVendor(
            forward={"postgresql": [POSTGRES_FORWARD], "sqlite": SQLITE_FORWARD},
            backward={"postgresql": [POSTGRES_BACKWARD], "sqlite": SQLITE_BACKWARD},
        )
    ]
