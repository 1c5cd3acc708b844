"""The ledger's hash is computed by PostgreSQL: one-statement appends, one-pass verification."""

from django.db import migrations

from core.ledger import HASH_FUNCTION_SQL


class Migration(migrations.Migration):
    dependencies = [("core", "0004_chased_items")]

    operations = [
        migrations.RunSQL(
            HASH_FUNCTION_SQL,
            reverse_sql="DROP TRIGGER IF EXISTS siris_ledger_head ON core_ledgerentry;"
            "DROP FUNCTION IF EXISTS siris_ledger_advance_head(); DROP FUNCTION IF EXISTS siris_ledger_hash("
            "text, bigint, timestamptz, bigint, text, text, text, text, text, jsonb);",
        ),
    ]
