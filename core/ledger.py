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
from django.db import models, transaction
from django.utils import timezone

from core.models import LedgerEntry, LedgerHead

GENESIS_HASH = "0" * 64


def canonical(data) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, cls=DjangoJSONEncoder)


def normalise(data):
    """The value as it will read back from a JSON column, so hashing before and after agree."""
    return json.loads(canonical(data))


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def entry_hash(prev_hash: str, fields: dict) -> str:
    return hashlib.sha256((prev_hash + canonical(fields)).encode("utf-8")).hexdigest()


def entry_fields(
    *, seq, recorded_at, actor_id, actor_label, event_type, target_type, target_id, unit_path, payload
) -> dict:
    return {
        "seq": seq,
        "recorded_at": _iso(recorded_at),
        "actor_id": actor_id,
        "actor_label": actor_label,
        "event_type": event_type,
        "target_type": target_type,
        "target_id": str(target_id),
        "unit_path": unit_path or "",
        "payload": payload,
    }


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
    try:
        head = LedgerHead.objects.select_for_update().get(pk=1)
    except LedgerHead.DoesNotExist:
        # Only after a database flush (tests): the migration creates the head row.
        LedgerHead.objects.bulk_create([LedgerHead(pk=1)], ignore_conflicts=True)
        head = LedgerHead.objects.select_for_update().get(pk=1)
    seq = head.last_seq + 1
    recorded_at = timezone.now()
    fields = entry_fields(
        seq=seq,
        recorded_at=recorded_at,
        actor_id=actor.pk if actor is not None else None,
        actor_label=actor_label(actor),
        event_type=event_type,
        target_type=target_type,
        target_id=target_id,
        unit_path=unit_path,
        payload=body,
    )
    digest = entry_hash(head.last_hash, fields)
    entry = LedgerEntry.objects.create(
        seq=seq,
        recorded_at=recorded_at,
        actor=actor,
        actor_label=fields["actor_label"],
        event_type=event_type,
        target_type=target_type,
        target_id=fields["target_id"],
        unit_path=fields["unit_path"],
        payload=body,
        prev_hash=head.last_hash,
        hash=digest,
    )
    head.last_seq, head.last_hash = seq, digest
    head.save(update_fields=["last_seq", "last_hash"])
    return entry


@dataclass
class VerifyResult:
    checked: int
    ok: bool
    first_bad_seq: int | None = None
    problem: str = ""


def verify(chunk_size: int = 5000, check_history: bool = True) -> VerifyResult:
    """Re-compute the chain and name the first broken entry."""
    from django.apps import apps

    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    history_refs: list[tuple[int, str, int, str]] = []
    columns = (
        "seq", "recorded_at", "actor_id", "actor_label", "event_type", "target_type",
        "target_id", "unit_path", "payload", "prev_hash", "hash",
    )
    rows = LedgerEntry.objects.order_by("seq").values_list(*columns).iterator(chunk_size=chunk_size)
    for row in rows:
        record = dict(zip(columns, row, strict=True))
        seq = record["seq"]
        if seq != expected_seq:
            return VerifyResult(checked, False, expected_seq, f"entry {expected_seq} is missing")
        if record["prev_hash"] != expected_prev:
            return VerifyResult(checked, False, seq, "its previous hash does not match the entry before it")
        fields = {k: record[k] for k in columns if k not in ("prev_hash", "hash")}
        fields["recorded_at"] = _iso(fields["recorded_at"])
        fields["unit_path"] = fields["unit_path"] or ""
        if entry_hash(expected_prev, fields) != record["hash"]:
            return VerifyResult(checked, False, seq, "its content does not match its hash")
        if check_history:
            for ref in record["payload"].get("history", []) if isinstance(record["payload"], dict) else []:
                history_refs.append((seq, ref["model"], ref["id"], ref["hash"]))
        expected_prev = record["hash"]
        expected_seq += 1
        checked += 1

    head = LedgerHead.objects.filter(pk=1).first()
    if head is not None and head.last_seq != checked:
        return VerifyResult(checked, False, checked + 1, f"the chain ends at {checked} but {head.last_seq} entries were written")
    if head is not None and checked and head.last_hash != expected_prev:
        return VerifyResult(checked, False, checked, "the last entry does not match the chain head")

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
