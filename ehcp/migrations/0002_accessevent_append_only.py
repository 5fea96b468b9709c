"""Make the access log append-only in the database itself (see sendplan.migration_operations).

The log records who viewed or exported a pupil's record; no code path edits it, and the database refuses
even a stray ``QuerySet.update()`` or a shell session.
"""

from django.db import migrations

from sendplan.migration_operations import append_only


class Migration(migrations.Migration):
    dependencies = [
        ("ehcp", "0001_initial"),
        ("sendplan", "0002_remove_invitation_invitation_role_fits_organisation_and_more"),
    ]

    operations = [append_only("sendplan_accessevent")]
