"""Chased items for the reminders' tests, opened the way the other apps open them."""

import datetime

from django.utils import timezone

from core import chase
from core.models import ChasedItem


def open_item(target, recipient, *, kind="action", due=None, title="Fix the guard", url="/things/1/"):
    due = due or timezone.now() + datetime.timedelta(days=10)
    return chase.open(
        kind=kind,
        target=target,
        recipient=recipient,
        due_at=due,
        title=title,
        url=url,
        unit_path=getattr(getattr(target, "unit", None), "path", "") or getattr(target, "path", ""),
    )


def many_items(recipients, count, *, unit_path, kind="action", due=None, next_at=None, prefix="bench"):
    """``count`` due items spread over ``recipients`` (targets are plain ids of a test type)."""
    now = timezone.now()
    due = due or now - datetime.timedelta(days=1)
    rows = [
        ChasedItem(
            kind=kind,
            target_type=f"tests.{prefix}",
            target_id=str(i),
            recipient=recipients[i % len(recipients)],
            unit_path=unit_path,
            title=f"Item {i}",
            url=f"/things/{i}/",
            due_at=due,
            next_reminder_at=next_at or now - datetime.timedelta(minutes=1),
        )
        for i in range(count)
    ]
    ChasedItem.objects.bulk_create(rows, batch_size=2000)
    return rows
