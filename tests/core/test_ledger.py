"""The hash-chained ledger: appends, verification, and detection of each kind of tampering."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.utils import InternalError, ProgrammingError

from core import ledger
from core.models import LedgerEntry, LedgerHead
from organisation.models import Unit
from organisation.services import unit_update

pytestmark = pytest.mark.django_db


def as_superuser(sql, params=None):
    """Tamper the way a database superuser could: with user triggers switched off for the session."""
    with connection.cursor() as cur:
        cur.execute("SET LOCAL session_replication_role = replica")
        cur.execute(sql, params or [])
        cur.execute("SET LOCAL session_replication_role = origin")


def test_appends_form_a_chain(org):
    entries = list(LedgerEntry.objects.order_by("seq"))
    assert len(entries) > 10
    assert entries[0].prev_hash == ledger.GENESIS_HASH
    for before, after in zip(entries, entries[1:], strict=False):
        assert after.prev_hash == before.hash
        assert after.seq == before.seq + 1
    head = LedgerHead.objects.get()
    assert (head.last_seq, head.last_hash) == (entries[-1].seq, entries[-1].hash)
    assert ledger.verify().ok


def test_entries_carry_the_history_rows_they_created(org):
    unit_update(actor=org.admin, unit=org.paint, name="Paint shop", reason="renamed after the move")
    entry = LedgerEntry.objects.filter(event_type="UNIT_UPDATED").latest("seq")
    assert entry.actor == org.admin
    assert entry.payload["changes"] == {"name": ["Paint", "Paint shop"]}
    ref = entry.payload["history"][0]
    row = Unit.history.model.objects.get(pk=ref["id"])
    assert row.name == "Paint shop" and row.history_user == org.admin
    assert row.history_change_reason == "renamed after the move"
    assert ref["hash"] == ledger.history_row_hash(row)


def test_verify_command_reports_an_intact_chain(org, capsys):
    call_command("verify_ledger")
    assert "Ledger intact" in capsys.readouterr().out


def test_changed_byte_is_detected(org):
    target = LedgerEntry.objects.order_by("seq")[4]
    as_superuser("UPDATE core_ledgerentry SET actor_label = actor_label || 'x' WHERE seq = %s", [target.seq])
    result = ledger.verify()
    assert not result.ok and result.first_bad_seq == target.seq
    with pytest.raises(CommandError, match=f"BROKEN at entry {target.seq}"):
        call_command("verify_ledger")


def test_changed_payload_is_detected(org):
    target = LedgerEntry.objects.filter(event_type="ROLE_GRANTED").order_by("seq").first()
    as_superuser(
        "UPDATE core_ledgerentry SET payload = jsonb_set(payload, '{role}', '\"auditor\"') WHERE seq = %s",
        [target.seq],
    )
    assert ledger.verify().first_bad_seq == target.seq


def test_deleted_row_is_detected(org):
    as_superuser("DELETE FROM core_ledgerentry WHERE seq = 6")
    result = ledger.verify()
    assert result.first_bad_seq == 6 and "missing" in result.problem


def test_swapped_rows_are_detected(org):
    a, b = LedgerEntry.objects.order_by("seq")[2:4]
    as_superuser(
        "UPDATE core_ledgerentry SET seq = -seq WHERE seq IN (%s, %s)", [a.seq, b.seq])
    as_superuser(
        "UPDATE core_ledgerentry SET seq = CASE seq WHEN %s THEN %s ELSE %s END WHERE seq IN (%s, %s)",
        [-a.seq, b.seq, a.seq, -a.seq, -b.seq],
    )
    assert ledger.verify().first_bad_seq == a.seq


def test_forged_row_is_detected(org):
    last = LedgerEntry.objects.order_by("-seq").first()
    # A forger appends a well-formed entry, hashed the way Siris hashes, but cannot know a hash that
    # chains to the real last entry without also rewriting it: here they chain it to a made-up one.
    as_superuser(
        "INSERT INTO core_ledgerentry (seq, recorded_at, actor_label, event_type, target_type, target_id, "
        "unit_path, payload, prev_hash, hash) SELECT %(seq)s, now(), 'forger', 'ROLE_GRANTED', "
        "'organisation.membership', '1', '', '{\"role\": \"administrator\"}', %(fake)s, "
        "siris_ledger_hash(%(fake)s, %(seq)s, now(), NULL, 'forger', 'ROLE_GRANTED', 'organisation.membership', "
        "'1', '', '{\"role\": \"administrator\"}')",
        {"seq": last.seq + 1, "fake": "f" * 64},
    )
    result = ledger.verify()
    assert not result.ok and result.first_bad_seq == last.seq + 1


def test_forged_row_that_also_moves_the_head_is_still_detected(org):
    last = LedgerEntry.objects.order_by("-seq").first()
    as_superuser(
        "INSERT INTO core_ledgerentry (seq, recorded_at, actor_label, event_type, target_type, target_id, "
        "unit_path, payload, prev_hash, hash) VALUES (%s, now(), 'forger', 'X', 'a.b', '1', '', '{}', %s, %s)",
        [last.seq + 1, last.hash, "e" * 64],
    )
    result = ledger.verify()
    assert result.first_bad_seq == last.seq + 1 and "content" in result.problem


def test_cut_tail_is_detected(org):
    last = LedgerEntry.objects.order_by("-seq").first()
    as_superuser("DELETE FROM core_ledgerentry WHERE seq >= %s", [last.seq - 2])
    result = ledger.verify()
    assert not result.ok and result.first_bad_seq == last.seq - 2


def test_changed_history_row_is_detected(org):
    entry = LedgerEntry.objects.filter(event_type="UNIT_CREATED").order_by("seq")[1]
    row_id = entry.payload["history"][0]["id"]
    as_superuser("UPDATE organisation_historicalunit SET name = 'Forged' WHERE history_id = %s", [row_id])
    result = ledger.verify()
    assert result.first_bad_seq == entry.seq and "was changed" in result.problem


@pytest.mark.django_db(transaction=True)
def test_append_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="inside a transaction"):
        ledger.append(actor=None, event_type="TEST", target=("core.test", "1"))
    assert not LedgerEntry.objects.exists()


@pytest.mark.parametrize("statement", [
    "UPDATE core_ledgerentry SET actor_label = 'x'",
    "DELETE FROM core_ledgerentry",
    "UPDATE organisation_historicalunit SET name = 'x'",
    "DELETE FROM organisation_historicalmembership",
    "UPDATE core_accesslog SET path = 'x'",
])
def test_triggers_refuse_update_and_delete(org, statement):
    from core.models import AccessLog

    AccessLog.objects.create(user=org.auditor, kind="view", path="/")
    with pytest.raises((InternalError, ProgrammingError), match="append-only"):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(statement)


@pytest.mark.parametrize("table", ["core_ledgerentry", "organisation_historicaluser"])
def test_triggers_refuse_truncate(org, table):
    with pytest.raises((InternalError, ProgrammingError), match="append-only"):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cur.execute("SET LOCAL siris.allow_truncate = 'off'")
            cur.execute(f"TRUNCATE {table} CASCADE")
