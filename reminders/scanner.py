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
Steps 2 and 3 are one statement per chunk (the P5 target: a scan within 10x a bare select of the
due rows).
Items and notifications are operational rows (not governed): this module writes them with SQL.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from core.models import ChasedItem
from reminders import policy
from reminders.choices import Anchor, NotificationKind, NotificationStatus
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


# Rows travel as one array per column (``unnest``): one parameter per column instead of one per
# value, so a chunk of 2,000 items costs two statements and little adaptation work in Python.
INSERT_SQL = f"""
WITH made AS (
    INSERT INTO {Notification._meta.db_table}
        (item_id, recipient_id, kind, sequence, about_id, digest, created_at, send_after, status, attempts, last_error)
    SELECT v.item_id, v.recipient_id, v.kind, v.sequence, v.about_id, v.digest, %(now)s, %(now)s, %(pending)s, 0, ''
    FROM unnest(%(item)s::bigint[], %(recipient)s::bigint[], %(kind)s::varchar[], %(sequence)s::integer[],
                %(about)s::bigint[], %(digest)s::boolean[])
         AS v(item_id, recipient_id, kind, sequence, about_id, digest)
    ON CONFLICT ON CONSTRAINT notification_once DO NOTHING
    RETURNING kind
), moved AS (
    UPDATE {ChasedItem._meta.db_table} AS c
    SET reminders_sent = u.sent, escalation_level = u.level, next_reminder_at = to_timestamp(u.nxt)
    FROM unnest(%(ids)s::bigint[], %(sent)s::integer[], %(level)s::smallint[], %(next)s::float8[])
         AS u(id, sent, level, nxt)
    WHERE c.id = u.id
)
SELECT count(*) FILTER (WHERE kind = %(escalation)s), count(*) FROM made
"""  # noqa: S608 (table names come from the models; every value is a parameter)


def pg_array(values, kind: str = "") -> str:
    """A PostgreSQL array literal (``'{1,2,NULL}'``) to pass as one text parameter.

    psycopg2 turns a list into ``ARRAY[1,2,...]``, one expression per value for the server to parse:
    for chunks of thousands that costs more than the insert itself. ``kind="int"`` says every value
    is an int (the fast path). Strings are double-quoted with backslashes and quotes escaped, so any
    value reads back as it was.
    """
    if kind == "int":
        return "{" + ",".join(map(str, values)) + "}"
    parts = []
    for value in values:
        if value is None:
            parts.append("NULL")
        elif value is True or value is False:
            parts.append("t" if value else "f")
        elif isinstance(value, int | float):
            parts.append(repr(value))
        else:
            text = str(value).replace("\\", "\\\\").replace('"', '\\"')
            parts.append(f'"{text}"')
    return "{" + ",".join(parts) + "}"


# Columns whose values are always ints (never None): the fast path of ``pg_array``.
_INT_COLUMNS = frozenset({"item", "recipient", "sequence", "ids", "sent", "level"})


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


def _planner(now, policies):
    """``plan(kind, unit_path, due_at, opened_at, sent, level) -> (next epoch or None, escalation level)``.

    Items of one kind in one company opened (or due) on the same day share their next reminder, so
    the schedule arithmetic runs once per (schedule, anchor day) and not once per item: a
    communication to 5,000 people costs one computation.
    """
    zone = timezone.get_default_timezone()
    schedules: dict = {}
    nexts: dict = {}

    def plan(kind, unit_path, due_at, opened_at, sent, level):
        schedule = schedules.get((kind, unit_path))
        if schedule is None:
            schedule = schedules[(kind, unit_path)] = policy.schedule_for(kind, unit_path, policies)
        anchor = opened_at if schedule.anchor == Anchor.OPENED else due_at
        day = (schedule, anchor.astimezone(zone).date())
        if day not in nexts:
            moment = policy.next_after(schedule, due_at=due_at, opened_at=opened_at, after=now)
            nexts[day] = moment.timestamp() if moment is not None else None
        return nexts[day], policy.escalation_due(schedule, reminders_sent=sent, level=level)

    return plan


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
    plan = _planner(now, policies)
    notes = {"item": [], "recipient": [], "kind": [], "sequence": [], "about": [], "digest": []}
    moves = {"ids": [], "sent": [], "level": [], "next": []}

    def note(item_id, recipient_id, kind, sequence, about_id, digest):
        notes["item"].append(item_id)
        notes["recipient"].append(recipient_id)
        notes["kind"].append(kind)
        notes["sequence"].append(sequence)
        notes["about"].append(about_id)
        notes["digest"].append(digest)

    for item_id, kind, recipient_id, unit_path, due_at, opened_at, sent, level, manager_id, top_id, wants in rows:
        nxt, raise_level = plan(kind, unit_path, due_at, opened_at, sent, level)
        # Sequence = reminders already sent + 1: a replayed scan writes the same key and is absorbed.
        note(item_id, recipient_id, NotificationKind.REMINDER.value, sent + 1, None,
             bool(wants) and kind not in policy.ALWAYS_AT_ONCE)
        to = manager_id if raise_level == 1 else top_id if raise_level == 2 else None
        if to is not None:
            # Escalations never wait for a digest.
            note(item_id, to, NotificationKind.ESCALATION.value, raise_level, recipient_id, False)
            level = raise_level
        moves["ids"].append(item_id)
        moves["sent"].append(sent + 1)
        moves["level"].append(level)
        moves["next"].append(nxt)
    with connection.cursor() as cursor:
        # Join the chunk to the items through their primary key (a few thousand index probes)
        # rather than hashing the whole table, which grows with every item ever opened.
        cursor.execute("SET LOCAL enable_hashjoin TO OFF; SET LOCAL enable_mergejoin TO OFF")
        # A crash may forget this commit: the items' dates were not moved either, so the next scan
        # writes the same rows again (idempotent), and the commit does not wait for the disk.
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
        cursor.execute(
            INSERT_SQL,
            {
                **{name: pg_array(values, "int" if name in _INT_COLUMNS else "") for name, values in notes.items()},
                **{name: pg_array(values, "int" if name in _INT_COLUMNS else "") for name, values in moves.items()},
                "now": now,
                "pending": NotificationStatus.PENDING.value,
                "escalation": NotificationKind.ESCALATION.value,
            },
        )
        escalations, made = cursor.fetchone()
    return ScanResult(len(rows), made - escalations, escalations)
