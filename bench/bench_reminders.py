"""P5: the reminder scan over 100,000 chased items against a bare SQL select of the due rows, and
sending 10,000 reminders to a local SMTP sink.

    python -m bench.run --only reminders --scale 1     (or: python bench/bench_reminders.py --scale 1)

Runs in the throw-away database of ``bench.run`` and commits like production does (deferred
foreign-key checks, ledger appends and marks all pay their real price). The scan and the sender run
in this process (the same code the Celery tasks run); the sink is aiosmtpd on 127.0.0.1 in a process
of its own, as a mail server would be (in a thread here it would compete with the sender for the
interpreter lock). 10% of the items are due.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siris.settings")

# The sink: counts the messages it accepts; prints its port, then the count for each line read.
SINK = r"""
import asyncio, logging, sys, threading
from aiosmtpd.controller import Controller
logging.getLogger("mail.log").setLevel(logging.WARNING)
count = 0
lock = threading.Lock()
class Handler:
    async def handle_DATA(self, server, session, envelope):
        global count
        with lock:
            count += 1
        return "250 Message accepted for delivery"
controller = Controller(Handler(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
for line in sys.stdin:
    with lock:
        print(count, flush=True)
controller.stop()
"""


class SinkProcess:
    def __init__(self):
        from tests.conftest import free_port

        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-c", SINK, str(self.port)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self.process.stdout.readline().strip() == "ready"

    @property
    def total(self) -> int:
        self.process.stdin.write("count\n")
        self.process.stdin.flush()
        return int(self.process.stdout.readline())

    def stop(self) -> None:
        self.process.stdin.close()
        self.process.wait(10)


def _timed(func, repeat=1):
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def run(scale: float = 1.0) -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from core.models import ChasedItem
    from organisation.models import User
    from reminders import scanner, sender
    from reminders.models import Notification

    items = max(int(100_000 * scale), 100)
    due = items // 10
    figures = {}
    people = [
        User.objects.create_user(
            f"bench-rem-{i}", f"bench-rem-{i}@bench.example", None, first_name="Bench", last_name=str(i)
        )
        for i in range(50)
    ]
    now = timezone.now()
    rows = [
        ChasedItem(
            kind="action",
            target_type="bench.thing",
            target_id=str(i),
            recipient=people[i % 50],
            unit_path="/1/",
            title=f"Bench item {i}",
            url=f"/bench/{i}/",
            due_at=now + datetime.timedelta(days=5),
            next_reminder_at=now - datetime.timedelta(minutes=1) if i < due else now + datetime.timedelta(days=1 + i % 30),
        )
        for i in range(items)
    ]
    ChasedItem.objects.bulk_create(rows, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE core_chaseditem")

    def bare():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, kind, recipient_id, unit_path, due_at, opened_at, reminders_sent, "
                "escalation_level FROM core_chaseditem WHERE closed_at IS NULL "
                "AND next_reminder_at <= %s",
                [now],
            )
            return len(cursor.fetchall())

    def reset():
        # Operational rows only: the outbox is emptied and the due items made due again.
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM reminders_notification")
            cursor.execute(
                "UPDATE core_chaseditem SET next_reminder_at = %s, reminders_sent = 0, escalation_level = 0 "
                "WHERE target_type = 'bench.thing' AND target_id::int < %s",
                [now - datetime.timedelta(minutes=1), due],
            )
            # Scans run a minute apart in production, and autovacuum clears the dead rows between.
            cursor.execute("VACUUM ANALYZE core_chaseditem")
            cursor.execute("VACUUM ANALYZE reminders_notification")

    bare_time, found = _timed(bare, repeat=5)
    scans = []
    for _ in range(3):
        reset()
        scans.append(_timed(lambda: scanner.scan(now=now)))
    scan_time, result = statistics.median(t for t, _ in scans), scans[-1][1]
    idle_time, _ = _timed(lambda: scanner.scan(now=now), repeat=5)
    figures.update(
        {
            "items": items,
            "due": found,
            "bare_select_s": bare_time,
            "scan_s": scan_time,
            "scan_ratio": scan_time / bare_time,
            "idle_scan_s": idle_time,
            "reminders_written": result.reminders,
        }
    )

    sink = SinkProcess()
    saved = (settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", sink.port, False
    try:
        send_time, sent = _timed(lambda: sender.send_due(batch=100, budget_seconds=3600))
        delivered = sink.total
    finally:
        settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = saved
        sink.stop()
    figures.update(
        {
            "sent": sent.sent,
            "delivered": delivered,
            "send_s": send_time,
            "send_per_s": sent.sent / send_time if send_time else 0,
            "pending_left": Notification.objects.filter(status="pending").count(),
            "unrecorded": Notification.objects.filter(status="sent", ledger_seq__isnull=True).count(),
        }
    )
    print(f"P5 scan: {figures['items']:,} chased items, {figures['due']:,} due")
    print(f"  bare SQL select of the due rows: {figures['bare_select_s'] * 1000:.1f} ms (median of 5)")
    print(
        f"  scan (outbox rows + next dates): {figures['scan_s'] * 1000:.1f} ms (median of 3) "
        f"= {figures['scan_ratio']:.1f}x the bare select (target <= 10x)"
    )
    print(f"  scan with nothing due:          {figures['idle_scan_s'] * 1000:.1f} ms")
    print(
        f"P5 send: {figures['sent']:,} reminders sent, {figures['delivered']:,} delivered to the sink in "
        f"{figures['send_s']:.1f} s ({figures['send_per_s']:.0f}/s; target: 10,000 under 120 s = 84/s); "
        f"{figures['pending_left']} left pending, {figures['unrecorded']} sent without their ledger entry"
    )
    return figures


if __name__ == "__main__":
    # Always in bench.run's throw-away database: this benchmark commits, and ledger entries stay.
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    scale = parser.parse_args().scale
    from bench.run import main

    sys.argv = [sys.argv[0], "--scale", str(scale), "--only", "reminders"]
    sys.exit(main())
