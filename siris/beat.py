"""Periodic tasks, by the app that owns them; settings keep only those of installed apps.

Every periodic task is table-driven and idempotent, so a run that is late or doubled does no harm;
"expires" drops runs that queued up while no worker was listening (the next run does the same work).
"""

BEAT_BY_APP = {
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
