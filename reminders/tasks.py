"""Celery tasks of the reminders queue. Idempotent, taking no arguments or ids only.

Beat runs ``scan`` and ``send`` every minute and ``digest`` every quarter of an hour
(``CELERY_BEAT_SCHEDULE``); a scan that wrote rows queues a send at once. Everything is in the
database first, so a task lost with Redis is simply done by the next periodic run.
"""

from celery import shared_task

from reminders import scanner, sender
from reminders.queue import enqueue


@shared_task(name="reminders.scan", ignore_result=True)
def scan() -> dict:
    result = scanner.scan()
    if result.reminders or result.escalations:
        enqueue(send)
    return {"items": result.items, "reminders": result.reminders, "escalations": result.escalations}


@shared_task(name="reminders.send", ignore_result=True)
def send() -> dict:
    result = sender.send_due()
    if result.more:
        enqueue(send)
    return {"sent": result.sent, "failed": result.failed, "cancelled": result.cancelled}


@shared_task(name="reminders.digest", ignore_result=True)
def digest() -> dict:
    return {"digests": sender.send_digests()}
