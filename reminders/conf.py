"""The reminders' own tuning, read from the environment (strict readers: a typo stops start-up)."""

from siris.env import env_int

# How long a sender holds the rows it claimed; unmarked rows are claimed again after it.
LEASE_SECONDS = env_int("SIRIS_REMINDERS_LEASE_SECONDS", 120, minimum=2, maximum=3600)
# Rows claimed at once; one batch must be sent well within the lease.
BATCH_SIZE = env_int("SIRIS_REMINDERS_BATCH_SIZE", 50, minimum=1, maximum=1000)
# A sender task stops after this long and queues its successor (stays far below the task time limit).
SEND_BUDGET_SECONDS = env_int("SIRIS_REMINDERS_SEND_BUDGET_SECONDS", 240, minimum=1, maximum=3000)
MAX_ATTEMPTS = env_int("SIRIS_REMINDERS_MAX_ATTEMPTS", 8, minimum=1, maximum=50)
# Local hour (server time zone) from which the daily digests go out.
DIGEST_HOUR = env_int("SIRIS_REMINDERS_DIGEST_HOUR", 7, minimum=0, maximum=23)
