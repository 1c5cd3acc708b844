"""Reminder schedules: the defaults per kind, the company's own policies, and the arithmetic.

A schedule is a list of days counted from an anchor (the due date, or the day the thing was asked),
at a fixed hour, then a repetition. The next reminder is always the first point of the schedule
strictly after *now*: after an outage the scanner sends one reminder for what is late and carries
on from today, never one per missed day.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from reminders.choices import Anchor, ChaseKind

# Alarms and escalations are never held back for a digest.
ALWAYS_AT_ONCE = frozenset({ChaseKind.ALARM})


@dataclass(frozen=True)
class Schedule:
    anchor: str
    offsets: tuple[int, ...]
    repeat_every_days: int
    escalate_after: int
    escalate_again_after: int
    send_hour: int = 8
    enabled: bool = True

    @classmethod
    def of(cls, policy) -> Schedule:
        return cls(
            policy.anchor,
            tuple(sorted(policy.offsets)),
            policy.repeat_every_days,
            policy.escalate_after,
            policy.escalate_again_after,
            policy.send_hour,
            policy.enabled,
        )


DEFAULTS: dict[str, Schedule] = {
    # Read and acknowledge: day 3 and day 7 after it was asked, then weekly; the manager is told
    # at the third reminder (after the second went unanswered).
    ChaseKind.ACKNOWLEDGEMENT: Schedule(Anchor.OPENED, (3, 7), 7, 2, 4),
    ChaseKind.DELEGATION: Schedule(Anchor.OPENED, (3, 7), 7, 2, 4),
    ChaseKind.ACTION: Schedule(Anchor.DUE, (-3, 0), 7, 2, 4),
    ChaseKind.INSPECTION: Schedule(Anchor.DUE, (-2, 0), 7, 2, 4),
    ChaseKind.REVIEW: Schedule(Anchor.DUE, (-14, 0), 7, 2, 4),
    # An unanswered alarm: on the deadline's day, then daily, one level up after the first.
    ChaseKind.ALARM: Schedule(Anchor.DUE, (0,), 1, 1, 2),
    ChaseKind.EVIDENCE: Schedule(Anchor.DUE, (-30, -7, 0), 7, 2, 4),
}
GENERIC = Schedule(Anchor.DUE, (-3, 0), 7, 2, 4)


def default_for(kind: str) -> Schedule:
    return DEFAULTS.get(kind, GENERIC)


def company_id_of(unit_path: str) -> int | None:
    head = unit_path.strip("/").split("/", 1)[0] if unit_path else ""
    return int(head) if head.isdigit() else None


def load_all() -> dict[tuple[int, str], Schedule]:
    """Every company's own policies, in one query (the scanner loads them once per run)."""
    from reminders.models import ReminderPolicy

    return {(p.company_id, p.kind): Schedule.of(p) for p in ReminderPolicy.objects.all()}


def schedule_for(kind: str, unit_path: str, policies: dict | None = None) -> Schedule:
    policies = load_all() if policies is None else policies
    return policies.get((company_id_of(unit_path), kind)) or default_for(kind)


def _zone():
    # The server's zone (settings.TIME_ZONE); reminders fall at the same wall-clock hour all year.
    return timezone.get_default_timezone()


def _at(day: datetime.date, hour: int, zone=None) -> datetime.datetime:
    # zoneinfo resolves the offset (summer or winter time) of that day by itself.
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=zone or _zone())


def next_after(schedule: Schedule, *, due_at, opened_at, after) -> datetime.datetime | None:
    """The first reminder time of the schedule strictly after ``after`` (None: no more reminders)."""
    if not schedule.enabled:
        return None
    zone = _zone()
    anchor = opened_at if schedule.anchor == Anchor.OPENED else due_at
    base = anchor.astimezone(zone).date()
    offsets = sorted(schedule.offsets) or [0]
    for offset in offsets:
        moment = _at(base + datetime.timedelta(days=offset), schedule.send_hour, zone)
        if moment > after:
            return moment
    step = schedule.repeat_every_days
    if step <= 0:
        return None
    last = base + datetime.timedelta(days=offsets[-1])
    # Jump straight to the period that contains ``after`` (catch-up), then step once if needed.
    k = max(1, (after.astimezone(zone).date() - last).days // step)
    while True:
        moment = _at(last + datetime.timedelta(days=k * step), schedule.send_hour, zone)
        if moment > after:
            return moment
        k += 1


def first_reminder(kind: str, due_at, unit_path: str):
    """``core.chase`` hook: when a newly opened item is first reminded."""
    now = timezone.now()
    return next_after(schedule_for(kind, unit_path), due_at=due_at, opened_at=now, after=now)


def escalation_due(schedule: Schedule, *, reminders_sent: int, level: int) -> int:
    """The escalation level a reminder sent now must also raise (0: none).

    ``reminders_sent`` counts those sent before this one. Level 1 goes to the person's manager
    once ``escalate_after`` reminders went unanswered; level 2 to the manager's manager
    ``escalate_again_after`` reminders later.
    """
    first = schedule.escalate_after
    if not first:
        return 0
    if level == 0 and reminders_sent >= first:
        return 1
    again = schedule.escalate_again_after
    if level == 1 and again and reminders_sent >= first + again:
        return 2
    return 0
