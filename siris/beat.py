"""Periodic tasks, by the app that owns them; settings keep only those of installed apps.

Every periodic task is table-driven and idempotent, so a run that is late or doubled does no harm;
"expires" drops runs that queued up while no worker was listening (the next run does the same work).
"""

BEAT_BY_APP = {
    "evidence": {
        # Dossier requests left queued while the broker was down are handed to the dossier worker.
        "evidence-requeue-stale": {"task": "evidence.tasks.dossier_requeue_stale", "schedule": 300.0,
                                   "options": {"expires": 280}},
    },
    "decisions": {
        # Alarms past their deadline without an answer go to the addressees' managers (idempotent).
        "decisions-escalate-alarms": {"task": "decisions.alarm_escalate_overdue", "schedule": 300.0,
                                      "options": {"expires": 280}},
    },
    "requirements": {
        # Newcomers to open communications' audiences (also done at once when a role is granted).
        "requirements-sync": {"task": "requirements.sync_open_communications", "schedule": 900.0,
                              "options": {"expires": 850}},
        # Invitations whose e-mailing could not be queued (broker down) are sent again.
        "requirements-invitations": {"task": "requirements.send_pending_invitations", "schedule": 300.0,
                                     "options": {"expires": 280}},
    },
    "reminders": {
        "reminders-scan": {"task": "reminders.scan", "schedule": 60.0, "options": {"expires": 55}},
        "reminders-send": {"task": "reminders.send", "schedule": 60.0, "options": {"expires": 55}},
        "reminders-digest": {"task": "reminders.digest", "schedule": 900.0, "options": {"expires": 850}},
    },
}


def schedule_for(apps: list[str]) -> dict:
    schedule: dict = {}
    for app in apps:
        schedule.update(BEAT_BY_APP.get(app, {}))
    return schedule
