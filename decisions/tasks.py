"""Periodic work of the decisions app, run by Celery beat.

Its entry in ``siris/beat.py`` (``BEAT_BY_APP``):
    "decisions": {"decisions-escalate-alarms": {"task": "decisions.alarm_escalate_overdue",
                                                "schedule": 300.0, "options": {"expires": 280}}},
The escalation is computed from dates and idempotent, so a late, repeated or doubled run is harmless.
"""

from celery import shared_task


@shared_task(name="decisions.alarm_escalate_overdue")
def alarm_escalate_overdue() -> int:
    from decisions.services import alarm_escalate_overdue as escalate

    return escalate(actor=None)
