"""The hash-chained ledger of business events.

Each entry's hash is SHA-256 over the previous entry's hash and a canonical JSON encoding of the
entry's own fields, so changing, removing, reordering or inserting an entry breaks the chain from
that point. Entries that created history rows carry those rows' ids and content hashes, so a
history row changed behind Siris's back is detected too. Appends lock the single chain-head row,
which serialises them across processes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from core.models import LedgerEntry, LedgerHead

GENESIS_HASH = "0" * 64


class _Encoder(DjangoJSONEncoder):
    """Django's encoder, plus the values history rows hold that it does not know."""

    def default(self, o):
        if isinstance(o, FieldFile):
            return o.name or ""
        if isinstance(o, bytes | memoryview):
            return bytes(o).hex()
        return super().default(o)


def canonical(data) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, cls=_Encoder)


def normalise(data):
    """The value as it will read back from a JSON column, so hashing before and after agree."""
    return json.loads(canonical(data))


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


# The canonical encoding and its hash are computed by PostgreSQL (siris_ledger_hash, migration
# core/0005), so appending is one statement and verifying is one pass at database speed:
# SHA-256 over prev_hash, seq, recorded_at (UTC, microseconds), actor id, actor label, event type,
# target type, target id, unit path and the payload's jsonb text, joined by the unit separator.
HASH_FUNCTION_SQL = r"""
CREATE OR REPLACE FUNCTION siris_ledger_hash(prev text, seq bigint, recorded_at timestamptz, actor_id bigint,
    actor_label text, event_type text, target_type text, target_id text, unit_path text, payload jsonb)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT encode(sha256(convert_to(concat_ws(E'\x1f', prev, seq::text,
        to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), coalesce(actor_id::text, ''),
        actor_label, event_type, target_type, target_id, unit_path, payload::text), 'UTF8')), 'hex')
$$;
CREATE OR REPLACE FUNCTION siris_ledger_advance_head() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE core_ledgerhead SET last_hash = NEW.hash WHERE id = 1;
    RETURN NULL;
END
$$;
CREATE OR REPLACE TRIGGER siris_ledger_head AFTER INSERT ON core_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION siris_ledger_advance_head();
"""

# Locks the chain head (the UPDATE), takes the next number and the previous hash, inserts the entry.
APPEND_SQL = """
WITH head AS (UPDATE core_ledgerhead SET last_seq = last_seq + 1 WHERE id = 1 RETURNING last_seq, last_hash)
INSERT INTO core_ledgerentry (seq, recorded_at, actor_id, actor_label, event_type, target_type, target_id,
                              unit_path, payload, prev_hash, hash)
SELECT head.last_seq, %(at)s, %(actor)s, %(label)s, %(event)s, %(ttype)s, %(tid)s, %(unit)s, %(payload)s::jsonb,
       head.last_hash,
       siris_ledger_hash(head.last_hash, head.last_seq, %(at)s, %(actor)s, %(label)s, %(event)s, %(ttype)s,
                         %(tid)s, %(unit)s, %(payload)s::jsonb)
FROM head
RETURNING seq, hash, prev_hash
"""

VERIFY_SQL = "SELECT count(*), max(seq), (SELECT hash FROM core_ledgerentry ORDER BY seq DESC LIMIT 1) FROM core_ledgerentry"

FIRST_BAD_SQL = """
SELECT seq, before_seq, gap, prev_ok, content_ok FROM (
    SELECT seq,
           lag(seq) OVER w AS before_seq,
           seq <> coalesce(lag(seq) OVER w, 0) + 1 AS gap,
           prev_hash = coalesce(lag(hash) OVER w, %(genesis)s) AS prev_ok,
           hash = siris_ledger_hash(prev_hash, seq, recorded_at, actor_id, actor_label, event_type, target_type,
                                    target_id, unit_path, payload) AS content_ok
    FROM core_ledgerentry
    WINDOW w AS (ORDER BY seq)
) chain
WHERE gap OR NOT prev_ok OR NOT content_ok
ORDER BY seq
LIMIT 1
"""


def history_row_hash(row: models.Model) -> str:
    """Content hash of one history row: every concrete column, by attribute name."""
    values = {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields}
    return hashlib.sha256(canonical(values).encode("utf-8")).hexdigest()


def label_for(model_or_instance) -> str:
    meta = model_or_instance._meta
    return f"{meta.app_label}.{meta.model_name}"


def actor_label(actor) -> str:
    if actor is None:
        return "Siris (system)"
    full = actor.get_full_name() if hasattr(actor, "get_full_name") else ""
    return f"{full} <{actor.get_username()}>" if full else actor.get_username()


def append(
    *,
    actor,
    event_type: str,
    target: models.Model | tuple[str, str],
    payload: dict | None = None,
    unit_path: str = "",
    history_rows: Iterable[models.Model] = (),
) -> LedgerEntry:
    """Append one entry to the chain. Must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ledger.append must run inside a transaction (call it from a service)")
    if isinstance(target, tuple):
        target_type, target_id = target
    else:
        target_type, target_id = label_for(target), str(target.pk)
    body = dict(payload or {})
    rows = list(history_rows)
    if rows:
        body["history"] = [
            {"model": label_for(row), "id": row.pk, "hash": history_row_hash(row)} for row in rows
        ]
    body = normalise(body)
    recorded_at = timezone.now()
    params = {
        "at": recorded_at,
        "actor": actor.pk if actor is not None else None,
        "label": actor_label(actor),
        "event": event_type,
        "ttype": target_type,
        "tid": str(target_id),
        "unit": unit_path or "",
        "payload": canonical(body),
    }
    with connection.cursor() as cursor:
        cursor.execute(APPEND_SQL, params)
        row = cursor.fetchone()
        if row is None:
            # Only after a database flush (tests): the migration creates the head row.
            cursor.execute("INSERT INTO core_ledgerhead (id, last_seq, last_hash) VALUES (1, 0, %s) "
                           "ON CONFLICT DO NOTHING", [GENESIS_HASH])
            cursor.execute(APPEND_SQL, params)
            row = cursor.fetchone()
    seq, digest, prev = row
    return LedgerEntry(
        seq=seq, recorded_at=recorded_at, actor=actor, actor_label=params["label"], event_type=event_type,
        target_type=target_type, target_id=params["tid"], unit_path=params["unit"], payload=body,
        prev_hash=prev, hash=digest,
    )


@dataclass
class VerifyResult:
    checked: int
    ok: bool
    first_bad_seq: int | None = None
    problem: str = ""


def verify(chunk_size: int = 5000, check_history: bool = True) -> VerifyResult:
    """Re-compute the chain (in PostgreSQL, one pass) and name the first broken entry."""
    from django.apps import apps

    with connection.cursor() as cursor:
        cursor.execute(VERIFY_SQL, {"genesis": GENESIS_HASH})
        checked, last_seq, last_hash = cursor.fetchone()
        cursor.execute(FIRST_BAD_SQL, {"genesis": GENESIS_HASH})
        bad = cursor.fetchone()
    checked = checked or 0
    if bad is not None:
        seq, before_seq, gap, prev_ok, content_ok = bad
        intact = seq - 1 if not gap else before_seq
        if gap:
            return VerifyResult(intact, False, (before_seq or 0) + 1, f"entry {(before_seq or 0) + 1} is missing")
        if not prev_ok:
            return VerifyResult(intact, False, seq, "its previous hash does not match the entry before it")
        return VerifyResult(intact, False, seq, "its content does not match its hash")
    head = LedgerHead.objects.filter(pk=1).first()
    if head is not None and head.last_seq != (last_seq or 0):
        end = last_seq or 0
        return VerifyResult(checked, False, end + 1, f"the chain ends at {end} but {head.last_seq} entries were written")
    if head is not None and checked and head.last_hash != last_hash:
        return VerifyResult(checked, False, last_seq, "the last entry does not match the chain head")
    if not check_history:
        return VerifyResult(checked, True)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT seq, ref->>'model', (ref->>'id')::bigint, ref->>'hash' FROM core_ledgerentry, "
            "jsonb_array_elements(CASE WHEN jsonb_typeof(payload->'history') = 'array' "
            "THEN payload->'history' ELSE '[]'::jsonb END) AS ref"
        )
        history_refs = cursor.fetchall()

    # History rows named by entries must still hash to what the entry recorded.
    by_model: dict[str, list[tuple[int, int, str]]] = {}
    for seq, model_label, row_id, digest in history_refs:
        by_model.setdefault(model_label, []).append((seq, row_id, digest))
    bad: list[tuple[int, str]] = []
    for model_label, refs in by_model.items():
        model = apps.get_model(model_label)
        for start in range(0, len(refs), chunk_size):
            part = refs[start : start + chunk_size]
            found = model.objects.in_bulk([r[1] for r in part])
            for seq, row_id, digest in part:
                row = found.get(row_id)
                if row is None:
                    bad.append((seq, f"history row {model_label} #{row_id} it records is missing"))
                elif history_row_hash(row) != digest:
                    bad.append((seq, f"history row {model_label} #{row_id} it records was changed"))
    if bad:
        seq, problem = min(bad)
        return VerifyResult(checked, False, seq, problem)
    return VerifyResult(checked, True)


def timeline(*targets: models.Model, limit: int = 200):
    """Ledger events of the given records, newest first (one query)."""
    q = models.Q()
    for target in targets:
        q |= models.Q(target_type=label_for(target), target_id=str(target.pk))
    if not targets:
        return LedgerEntry.objects.none()
    return LedgerEntry.objects.filter(q).order_by("-seq")[:limit]
