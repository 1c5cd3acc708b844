"""Demo: the foundry's own rule for inspections, and one manager who reads a daily digest."""

from core import demo
from organisation.services import person_set_preferences
from reminders.choices import Anchor, ChaseKind
from reminders.models import ReminderPolicy
from reminders.services import reminder_policy_set


@demo.register(90, "reminders")
def load(ctx):
    root, company = ctx["root"], ctx["units"]["fonderie"]
    if not ReminderPolicy.objects.filter(company=company, kind=ChaseKind.INSPECTION).exists():
        reminder_policy_set(
            actor=root,
            company=company,
            kind=ChaseKind.INSPECTION,
            anchor=Anchor.DUE,
            offsets=[-3, -1, 0],
            repeat_every_days=2,
            escalate_after=3,
            escalate_again_after=3,
            send_hour=7,
            reason="Contrôles réglementaires : relances rapprochées",
        )
    chef = ctx["people"].get("chef.maint")
    if chef is not None and not chef.wants_digest:
        person_set_preferences(actor=root, person=chef, wants_digest=True)
