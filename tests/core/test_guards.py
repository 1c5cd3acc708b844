"""Every history table is append-only, and the suite refuses history-less writes on governed models."""

import pytest

from core import db_guards
from organisation.models import Unit

pytestmark = pytest.mark.django_db


def test_every_history_table_has_its_triggers():
    tables = db_guards.protected_tables()
    assert "organisation_historicalunit" in tables and "core_ledgerentry" in tables
    assert db_guards.tables_missing_triggers() == []


def test_a_missing_trigger_is_reported():
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("DROP TRIGGER siris_append_only ON organisation_historicalunit")
    assert db_guards.tables_missing_triggers() == ["organisation_historicalunit"]


def test_queryset_update_on_a_governed_model_is_refused_in_the_suite(org):
    with pytest.raises(AssertionError, match="writes no history"):
        Unit.objects.filter(pk=org.paint.pk).update(name="x")
