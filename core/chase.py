"""What the reminders chase: services open an item when a duty arises and close it when done.

    chase.open(kind="action", target=action, recipient=action.owner, due_at=..., title=..., url=...)
    chase.close(target=action)                       # every recipient
    chase.close(target=ack, recipient=ack.person)    # one person

The reminders app sets the policy (when the first reminder is due) with ``set_first_reminder``.
Call these inside the service's transaction.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from core.ledger import label_for
from core.models import ChasedItem

_first_reminder = None  # func(kind, due_at, unit_path) -> datetime | None


def set_first_reminder(func) -> None:
    global _first_reminder
    _first_reminder = func


def _first(kind: str, due_at: datetime.datetime, unit_path: str):
    if _first_reminder is None:
        return due_at
    return _first_reminder(kind, due_at, unit_path)


def as_datetime(due) -> datetime.datetime:
    """A due date is the end of that day in the server's zone; a datetime is kept as is."""
    if isinstance(due, datetime.datetime):
        return due
    end = datetime.datetime.combine(due, datetime.time(23, 59, 59))
    return timezone.make_aware(end)


def open(*, kind: str, target, recipient, due_at, title: str, url: str, unit_path: str = "") -> ChasedItem:  # noqa: A001
    due = as_datetime(due_at)
    item, created = ChasedItem.objects.get_or_create(
        kind=kind, target_type=label_for(target), target_id=str(target.pk), recipient=recipient,
        closed_at=None,
        defaults={"title": title[:300], "url": url, "due_at": due, "unit_path": unit_path,
                  "next_reminder_at": _first(kind, due, unit_path)},
    )
    if not created and item.due_at != due:
        # A new due date (postponed) restarts the schedule from it.
        item.due_at, item.next_reminder_at = due, _first(kind, due, unit_path)
        item.save(update_fields=["due_at", "next_reminder_at"])
    return item


def open_many(*, kind: str, targets_and_recipients, due_at, title: str, url_for, unit_path: str = "") -> int:
    """Open many items at once (a communication to 5,000 people). Returns the number created."""
    due = as_datetime(due_at)
    first = _first(kind, due, unit_path)
    rows = [
        ChasedItem(kind=kind, target_type=label_for(target), target_id=str(target.pk), recipient=recipient,
                   title=title[:300], url=url_for(target), due_at=due, unit_path=unit_path, next_reminder_at=first)
        for target, recipient in targets_and_recipients
    ]
    ChasedItem.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)


def close(*, target, recipient=None, kind: str | None = None) -> int:
    items = ChasedItem.objects.filter(target_type=label_for(target), target_id=str(target.pk), closed_at__isnull=True)
    if recipient is not None:
        items = items.filter(recipient=recipient)
    if kind is not None:
        items = items.filter(kind=kind)
    return items.update(closed_at=timezone.now(), next_reminder_at=None)
