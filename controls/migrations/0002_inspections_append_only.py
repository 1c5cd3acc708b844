"""Recorded inspections, their answers and missed dates are never edited: PostgreSQL refuses
UPDATE and DELETE on their tables (TRUNCATE only where the test suite allows it), with the same
function as the ledger (core.db_guards)."""

from django.db import migrations

TABLES = ["controls_inspection", "controls_inspectionanswer", "controls_missedinspection"]


def _sql(table):
    return (
        f'CREATE OR REPLACE TRIGGER siris_append_only BEFORE UPDATE OR DELETE ON "{table}" '
        f"FOR EACH ROW EXECUTE FUNCTION siris_refuse_change();"
        f'CREATE OR REPLACE TRIGGER siris_no_truncate BEFORE TRUNCATE ON "{table}" '
        f"FOR EACH STATEMENT EXECUTE FUNCTION siris_refuse_change();"
    )


def _drop(table):
    return (f'DROP TRIGGER IF EXISTS siris_append_only ON "{table}";'
            f'DROP TRIGGER IF EXISTS siris_no_truncate ON "{table}";')


class Migration(migrations.Migration):
    dependencies = [
        ("controls", "0001_initial"),
        ("core", "0003_append_only_guards"),
    ]

    operations = [migrations.RunSQL(_sql(t), _drop(t)) for t in TABLES]
