"""PostgreSQL triggers that make the audit trail append-only.

The ledger, the access log and every history table refuse UPDATE, DELETE and TRUNCATE. The
function is created by a migration (core 0002); the triggers on history tables are (re)installed
after every ``migrate`` for every history model, so a new governed model cannot be forgotten
(docs/decisions/0002). TRUNCATE alone may be allowed for one session by
``SET siris.allow_truncate = 'on'``: the test suite's database flush needs it; UPDATE and DELETE
are never allowed. A database superuser can always drop a trigger: that is why ``verify_ledger``
exists.
"""

from django.apps import apps
from django.db import connection

FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION siris_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND current_setting('siris.allow_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'Siris: % on % is refused: the audit trail is append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;
"""

ROW_TRIGGER = "siris_append_only"
TRUNCATE_TRIGGER = "siris_no_truncate"


def trigger_sql(table: str) -> str:
    quoted = connection.ops.quote_name(table)
    return (
        f"CREATE OR REPLACE TRIGGER {ROW_TRIGGER} BEFORE UPDATE OR DELETE ON {quoted} "
        f"FOR EACH ROW EXECUTE FUNCTION siris_refuse_change();"
        f"CREATE OR REPLACE TRIGGER {TRUNCATE_TRIGGER} BEFORE TRUNCATE ON {quoted} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION siris_refuse_change();"
    )


def protected_tables() -> list[str]:
    from simple_history.models import HistoricalChanges

    tables = ["core_ledgerentry", "core_accesslog"]
    for model in apps.get_models():
        if issubclass(model, HistoricalChanges):
            tables.append(model._meta.db_table)
    return sorted(set(tables))


def install(using="default", **kwargs) -> None:
    from django.db import connections

    conn = connections[using]
    existing = set(conn.introspection.table_names())
    with conn.cursor() as cursor:
        cursor.execute(FUNCTION_SQL)
        for table in protected_tables():
            if table in existing:
                cursor.execute(trigger_sql(table))


def tables_missing_triggers() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, array_agg(t.tgname) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal GROUP BY c.relname"
        )
        found = {name: set(triggers) for name, triggers in cursor.fetchall()}
    return [t for t in protected_tables() if not {ROW_TRIGGER, TRUNCATE_TRIGGER} <= found.get(t, set())]
