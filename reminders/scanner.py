"""The scanner: turns chased items whose next reminder is due into outbox rows.

Run by Celery beat every minute (``reminders.scan``). For each open item with
``next_reminder_at <= now``, in chunks locked with ``FOR UPDATE SKIP LOCKED`` (two scanners at once
take different items):
1. writes the reminder to the person (sequence = reminders already sent + 1), and the escalation to
   their manager (or the manager's manager) when the policy says so;
2. inserts them with ``ON CONFLICT DO NOTHING`` on (item, recipient, kind, sequence), so a repeated
   or overlapping scan cannot write a second copy;
3. moves the item's ``next_reminder_at`` to the first point of its schedule after *now*: after an
   outage there is one reminder for what is late, not one per missed day.
Items and notifications are operational rows (not governed): this module writes them with SQL.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from psycopg2.extras import execute_values

from core.models import ChasedItem
from reminders import policy
from reminders.choices import NotificationKind, NotificationStatus
from reminders.models import Notification


@dataclass
class ScanResult:
    items: int = 0
    reminders: int = 0
    escalations: int = 0

    def __iadd__(self, other):
        self.items += other.items
        self.reminders += other.reminders
        self.escalations += other.escalations
        return self


_COLUMNS = (
    "item_id",
    "recipient_id",
    "kind",
    "sequence",
    "about_id",
    "created_at",
    "digest",
    "status",
    "send_after",
    "attempts",
    "last_error",
)


def scan(now=None, chunk: int = 2000) -> ScanResult:
    """Scan until no due item is left (that another scanner is not already holding)."""
    now = now or timezone.now()
    policies = policy.load_all()
    total = ScanResult()
    while True:
        part = _scan_chunk(now, policies, chunk)
        total += part
        if part.items < chunk:
            return total


@transaction.atomic
def _scan_chunk(now, policies, chunk) -> ScanResult:
    rows = list(
        ChasedItem.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(closed_at__isnull=True, next_reminder_at__lte=now)
        .values_list(
            "id",
            "kind",
            "recipient_id",
            "unit_path",
            "due_at",
            "opened_at",
            "reminders_sent",
            "escalation_level",
            "recipient__manager_id",
            "recipient__manager__manager_id",
            "recipient__wants_digest",
        )[:chunk]
    )
    if not rows:
        return ScanResult()
    notes, updates = [], []
    for (
        item_id,
        kind,
        recipient_id,
        unit_path,
        due_at,
        opened_at,
        sent,
        level,
        manager_id,
        top_id,
        wants_digest,
    ) in rows:
        schedule = policy.schedule_for(kind, unit_path, policies)
        digest = bool(wants_digest) and kind not in policy.ALWAYS_AT_ONCE
        notes.append(
            (
                item_id,
                recipient_id,
                NotificationKind.REMINDER,
                sent + 1,
                None,
                now,
                digest,
                NotificationStatus.PENDING,
                now,
                0,
                "",
            )
        )
        raise_level = policy.escalation_due(schedule, reminders_sent=sent, level=level)
        to = manager_id if raise_level == 1 else top_id if raise_level == 2 else None
        if to is not None:
            notes.append(
                (
                    item_id,
                    to,
                    NotificationKind.ESCALATION,
                    raise_level,
                    recipient_id,
                    now,
                    False,
                    NotificationStatus.PENDING,
                    now,
                    0,
                    "",
                )
            )
            level = raise_level
        nxt = policy.next_after(schedule, due_at=due_at, opened_at=opened_at, after=now)
        updates.append((item_id, sent + 1, level, nxt))
    with connection.cursor() as cursor:
        raw = cursor.cursor
        # Table names come from the models, values are parameters: nothing user-typed is formatted in.
        insert = (
            f"INSERT INTO {Notification._meta.db_table} ({', '.join(_COLUMNS)}) VALUES %s "  # noqa: S608
            "ON CONFLICT ON CONSTRAINT notification_once DO NOTHING RETURNING kind"
        )
        update = (
            f"UPDATE {ChasedItem._meta.db_table} AS c SET reminders_sent = v.sent, "  # noqa: S608
            "escalation_level = v.level, next_reminder_at = v.nxt "
            "FROM (VALUES %s) AS v(id, sent, level, nxt) WHERE c.id = v.id"
        )
        created = execute_values(
            raw,
            insert,
            notes,
            page_size=1000,
            fetch=True,
        )
        execute_values(
            raw,
            update,
            updates,
            template="(%s, %s, %s, %s::timestamptz)",
            page_size=1000,
        )
    made_escalations = sum(1 for (k,) in created if k == NotificationKind.ESCALATION)
    return ScanResult(len(rows), len(created) - made_escalations, made_escalations)
