"""Siris's own apps, in dependency order. settings and urls read this one list."""

SIRIS_APPS = [
    "core",
    "organisation",
    "requirements",
    "risks",
    "controls",
    "actions",
    "decisions",
    "delegations",
    "evidence",
    "reminders",
]
