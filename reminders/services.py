"""Writes of the reminders app: policies (governed, with ledger), inbox reads, "remind now".

The outbox itself is written by ``scanner`` and ``sender`` (operational rows, see their docstrings).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core import ledger
from core.exceptions import DomainError
from core.ledger import label_for
from core.models import ChasedItem
from core.services import apply_changes, governed_save, record_event
from organisation.choices import UnitKind
from reminders import policy as schedules
from reminders.choices import Anchor, ChaseKind, NotificationKind, NotificationStatus
from reminders.models import Notification, ReminderPolicy

POLICY_FIELDS = (
    "anchor",
    "offsets",
    "repeat_every_days",
    "escalate_after",
    "escalate_again_after",
    "send_hour",
    "enabled",
)


def _check_policy(values: dict) -> None:
    offsets = values["offsets"]
    if not offsets and not values["repeat_every_days"]:
        raise DomainError(_("Give at least one reminder day, or a repetition."), field="offsets")
    if len(offsets) > 10:
        raise DomainError(_("At most 10 reminder days."), field="offsets")
    if any(abs(o) > 365 for o in offsets):
        raise DomainError(_("Reminder days must be within a year of the date."), field="offsets")
    if len(set(offsets)) != len(offsets):
        raise DomainError(_("A day is listed twice."), field="offsets")
    if values["anchor"] == Anchor.OPENED and any(o < 0 for o in offsets):
        raise DomainError(_("Counted from the day it was asked, reminder days cannot be negative."), field="offsets")
    if not 0 <= values["send_hour"] <= 23:
        raise DomainError(_("The hour is between 0 and 23."), field="send_hour")
    if values["repeat_every_days"] > 365:
        raise DomainError(_("Repeat at most every 365 days."), field="repeat_every_days")


@transaction.atomic
def reminder_policy_set(*, actor, company, kind: str, reason: str = "", **values) -> ReminderPolicy:
    """Set a company's reminder policy for one kind of item (created on first change).

    Only the company (top unit) carries policies: a work unit follows its company's rules.
    Items already open keep their next reminder date; the new rule applies from the next one.
    """
    if company.kind != UnitKind.COMPANY:
        raise DomainError(_("Reminder policies are set for a whole company."), field="company")
    if kind not in ChaseKind.values:
        raise DomainError(_("Unknown kind of item."), field="kind")
    current = ReminderPolicy.objects.select_for_update().filter(company=company, kind=kind).first()
    base = schedules.default_for(kind)
    data = {name: values.get(name, getattr(current or base, name)) for name in POLICY_FIELDS}
    data["offsets"] = sorted(int(o) for o in data["offsets"])
    _check_policy(data)
    if current is None:
        current = ReminderPolicy(company=company, kind=kind, **data)
        changes = {name: [None, list(v) if isinstance(v, tuple | list) else v] for name, v in data.items()}
        governed_save(current, actor=actor, reason=reason or "reminder policy set")
    else:
        changes = apply_changes(current, data)
        if not changes:
            return current
        governed_save(current, actor=actor, reason=reason or "reminder policy changed")
    record_event(
        actor=actor,
        event_type="REMINDER_POLICY_CHANGED",
        target=current,
        payload={"kind": kind, "changes": changes, "reason": reason},
        saved=[current],
        unit_path=company.path,
    )
    return current


def notification_mark_read(*, actor, notification: Notification) -> Notification:
    """Mark one of one's own notifications read (operational: no ledger entry)."""
    if notification.recipient_id != actor.pk:
        raise DomainError(_("This notification is not yours."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def notification_mark_all_read(*, actor) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


@dataclass(frozen=True)
class TargetRef:
    """A record named by its ledger target (``"app.model"``, id), when the model is not at hand."""

    target_type: str
    target_id: str


def _target_key(target) -> tuple[str, str]:
    if isinstance(target, TargetRef):
        return target.target_type, target.target_id
    return label_for(target), str(target.pk)


@transaction.atomic
def remind_now(*, actor, target, recipient=None, unit_path: str | None = None) -> int:
    """Queue a reminder at once to everyone still chased for ``target`` (or one person).

    For the "Remind now" buttons of other apps; the caller checks the actor may do it. The reminder
    takes the next sequence number and is recorded in the ledger when it is sent; the scheduled
    reminders carry on as planned. Returns how many were queued.
    """
    from reminders import tasks
    from reminders.queue import enqueue

    target_type, target_id = _target_key(target)
    items = ChasedItem.objects.select_for_update().filter(
        target_type=target_type, target_id=target_id, closed_at__isnull=True
    )
    if recipient is not None:
        items = items.filter(recipient=recipient)
    now, made, path = timezone.now(), 0, ""
    locked = list(items.select_related("recipient"))
    last = dict(
        Notification.objects.filter(item__in=locked, kind=NotificationKind.REMINDER)
        .values("item")
        .annotate(last=Max("sequence"))
        .values_list("item", "last")
    )
    for item in locked:
        sequence = max(item.reminders_sent, last.get(item.pk, 0)) + 1
        Notification.objects.create(
            item=item,
            recipient=item.recipient,
            kind=NotificationKind.REMINDER,
            sequence=sequence,
            status=NotificationStatus.PENDING,
            send_after=now,
            created_at=now,
        )
        ChasedItem.objects.filter(pk=item.pk).update(reminders_sent=sequence)
        made += 1
        path = item.unit_path
    if made:
        ledger.append(
            actor=actor,
            event_type="REMINDER_REQUESTED",
            target=(target_type, target_id),
            payload={"count": made, "recipient": recipient.pk if recipient else None},
            unit_path=unit_path if unit_path is not None else path,
        )
        enqueue(tasks.send)
    return made
