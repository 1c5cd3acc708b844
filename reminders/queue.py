"""Enqueue a Celery task after commit, without ever breaking the caller when Redis is away.

    from reminders.queue import enqueue
    enqueue(tasks.send, *ids)

The work itself is always in the database first (outbox rows, a dossier request row...), and the
periodic tasks pick up whatever was not enqueued, so a broker error only delays it: it is logged,
never raised into a screen.
"""

from __future__ import annotations

import logging

import redis
from django.db import transaction
from kombu.exceptions import KombuError

log = logging.getLogger(__name__)

BROKER_ERRORS = (KombuError, redis.RedisError, OSError)


def publish(task, *args) -> bool:
    """Publish now; False (and a log line) when the broker cannot be reached."""
    try:
        # One quick connection attempt of our own: apply_async alone retries for seconds first.
        with task.app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
            task.apply_async(args=args, retry=False, connection=conn)
    except BROKER_ERRORS as exc:
        log.warning("broker unreachable, %s left for the next periodic run: %s", task.name, exc)
        return False
    return True


def enqueue(task, *args) -> None:
    """Publish ``task(*args)`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: publish(task, *args))
