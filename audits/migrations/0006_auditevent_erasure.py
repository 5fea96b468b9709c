"""Audit events: erasure on the controlled path only, and no TRUNCATE.

See sendplan.migration_operations.history_guard and sendplan.history.
"""

from django.db import migrations

from sendplan.migration_operations import history_guard


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0005_evidence_own_per_audit"),
        ("sendplan", "0005_erasure"),
    ]

    operations = [history_guard("audits_auditevent")]
