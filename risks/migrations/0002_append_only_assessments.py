"""Recorded assessments and matrix versions are never changed: PostgreSQL refuses UPDATE and DELETE.

Same guard function as the ledger (core.db_guards); TRUNCATE stays refused except for the test
suite's flush, which opts in per session.
"""

from django.db import migrations

from core.db_guards import trigger_sql


class Migration(migrations.Migration):
    dependencies = [
        ("risks", "0001_initial"),
        ("core", "0003_append_only_guards"),
    ]

    operations = [
        migrations.RunSQL(trigger_sql("risks_assessment"), reverse_sql=migrations.RunSQL.noop),
        migrations.RunSQL(trigger_sql("risks_riskmatrix"), reverse_sql=migrations.RunSQL.noop),
    ]
