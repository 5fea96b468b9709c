"""Audit events: erasure on the controlled path only, and no TRUNCATE.

See sendplan.migration_operations.history_guard and sendplan.history.
"""

from django.db import migrations

from sendplan.migration_operations import history_guard


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0003_rating_rename"),
        ("sendplan", "0003_erasure"),
    ]

    operations = [history_guard("audits_auditevent")]
