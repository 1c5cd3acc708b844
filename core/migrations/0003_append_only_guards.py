"""The append-only guard function, the chain head row, and the triggers on the ledger and access log.

History tables get the same triggers after every migrate (core.apps / core.db_guards).
"""

from django.db import migrations

from core.db_guards import FUNCTION_SQL, trigger_sql


def create_head(apps, schema_editor):
    apps.get_model("core", "LedgerHead").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]

    operations = [
        migrations.RunSQL(FUNCTION_SQL, reverse_sql="DROP FUNCTION IF EXISTS siris_refuse_change() CASCADE;"),
        migrations.RunPython(create_head, migrations.RunPython.noop),
        migrations.RunSQL(trigger_sql("core_ledgerentry"), reverse_sql=migrations.RunSQL.noop),
        migrations.RunSQL(trigger_sql("core_accesslog"), reverse_sql=migrations.RunSQL.noop),
    ]
