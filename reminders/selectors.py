"""Reads of the reminders app, shared by screens, the API and dossiers."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Model
from django.urls import reverse

from core.ledger import label_for
from core.models import LedgerEntry
from reminders import policy
from reminders.choices import ChaseKind
from reminders.models import Notification, ReminderPolicy

EVENTS = ("REMINDER_SENT", "ESCALATION_SENT")


def unread_for(user) -> tuple[int, str]:
    """``core.inbox`` provider: the unread count for the bell in the navigation (one query)."""
    count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    return count, reverse("reminders:inbox")


def inbox(user, *, unread_only: bool = False):
    rows = Notification.objects.filter(recipient=user).select_related("item", "about")
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by("-created_at", "-id")


@dataclass
class PolicyRow:
    kind: str
    label: str
    schedule: policy.Schedule
    stored: ReminderPolicy | None

    @property
    def is_default(self) -> bool:
        return self.stored is None


def policies_of(company) -> list[PolicyRow]:
    """Every kind with the rule in force for the company: its own policy or the default."""
    stored = {p.kind: p for p in ReminderPolicy.objects.filter(company=company)}
    return [
        PolicyRow(
            kind,
            label,
            policy.Schedule.of(stored[kind]) if kind in stored else policy.default_for(kind),
            stored.get(kind),
        )
        for kind, label in ChaseKind.choices
    ]


def reminders_for(target: Model | tuple[str, str], as_of=None):
    """The reminders and escalations sent about a record, oldest first, from the ledger.

    Each entry's payload has ``recipient_name``, ``sequence``, ``channel`` and, for escalations,
    ``about_name`` (who had not acted): "reminded on 3 and 7 March, manager told on 10 March".
    """
    target_type, target_id = target if isinstance(target, tuple) else (label_for(target), str(target.pk))
    rows = LedgerEntry.objects.filter(target_type=target_type, target_id=str(target_id), event_type__in=EVENTS)
    if as_of is not None:
        rows = rows.filter(recorded_at__lte=as_of)
    return rows.order_by("seq")


def reminders_for_many(target_type: str, target_ids) -> dict[str, list[LedgerEntry]]:
    """The same for many records of one type at once (one query), keyed by target id."""
    found: dict[str, list[LedgerEntry]] = {}
    rows = LedgerEntry.objects.filter(
        target_type=target_type, target_id__in=[str(i) for i in target_ids], event_type__in=EVENTS
    ).order_by("seq")
    for entry in rows:
        found.setdefault(entry.target_id, []).append(entry)
    return found


def reminders_summary(target, as_of=None) -> dict:
    """Dates of the reminders and of the escalations, for a dossier line."""
    reminders, escalations = [], []
    for entry in reminders_for(target, as_of):
        (escalations if entry.event_type == "ESCALATION_SENT" else reminders).append(
            {
                "at": entry.recorded_at,
                "to": entry.payload.get("recipient_name", ""),
                "about": entry.payload.get("about_name", ""),
                "seq": entry.seq,
                "hash": entry.hash,
            }
        )
    return {"reminders": reminders, "escalations": escalations}
