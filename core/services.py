"""Helpers every service function uses to write a governed record.

The rule (docs/decisions/0001): a service takes ``actor=``, runs in one transaction, checks the
domain rule, saves through ``governed_save`` (history user and reason set explicitly, because a
Celery task has no request), and appends a ledger entry with ``record_event``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models, transaction
from simple_history.signals import post_create_historical_record

from core import ledger
from core.exceptions import DomainError  # noqa: F401  (re-exported for services)


def _remember_history_row(sender, instance, history_instance, **kwargs):
    # The ledger entry of the same service call carries this row's id and content hash.
    instance._last_history_row = history_instance


post_create_historical_record.connect(_remember_history_row, dispatch_uid="core.remember_history_row")


def governed_save(instance: models.Model, *, actor, reason: str, **save_kwargs) -> models.Model:
    """Save a governed record with an explicit history user and change reason."""
    instance._history_user = actor
    instance._change_reason = reason
    instance.save(**save_kwargs)
    return instance


def apply_changes(instance: models.Model, data: dict) -> dict:
    """Set the given fields and return {field: [old, new]} for those that really changed.

    Services skip the save when this is empty: simple-history writes a row per save(), changed or not.
    """
    changes = {}
    for name, new in data.items():
        old = getattr(instance, name)
        if old != new:
            changes[name] = [_jsonable(old), _jsonable(new)]
            setattr(instance, name, new)
    return changes


def _jsonable(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    return ledger.normalise(value)


def unit_path_of(obj) -> str:
    unit = getattr(obj, "unit", None)
    return getattr(unit, "path", "") if unit is not None else getattr(obj, "path", "")


def record_event(
    *,
    actor,
    event_type: str,
    target: models.Model,
    payload: dict | None = None,
    saved: Iterable[models.Model] = (),
    unit_path: str | None = None,
):
    """Append the ledger entry of a service call, naming the history rows its saves created."""
    rows = [obj._last_history_row for obj in saved if getattr(obj, "_last_history_row", None) is not None]
    return ledger.append(
        actor=actor,
        event_type=event_type,
        target=target,
        payload=payload,
        unit_path=unit_path if unit_path is not None else unit_path_of(target),
        history_rows=rows,
    )


def on_commit(func, *args, **kwargs):
    """Queue a side effect (e-mail, task) for after the transaction commits."""
    transaction.on_commit(lambda: func(*args, **kwargs))
