"""The sender: claims outbox rows, e-mails them, marks them sent and records each in the ledger.

1. Claim a batch of due rows with ``SELECT ... FOR UPDATE SKIP LOCKED`` and give them a lease
   (``lease_until``) and a claim token, in one short statement: two senders never hold the same row.
2. Send each through Django's e-mail backend over one SMTP connection for the whole batch, and
   right after the server accepted it mark it sent, only if our claim still holds, in one
   autocommitted statement. Sending before marking means a worker killed between the two re-sends
   that one message after the lease; marking each before sending the next means it never re-sends
   more than that one, and it never loses one.
3. Record: transactions of up to 100 rows append the ledger entry of each row marked sent (target =
   the chased record) and store its number in ``ledger_seq``; a thread does it while the next batch
   goes out. A row sent but not yet recorded (its sender was killed between 2 and 3) is recorded by
   the next sender run, exactly once: rows are locked while recorded and only rows without
   ``ledger_seq`` are taken.
4. A refused message gets the reason and a retry time (exponential back-off); after
   ``MAX_ATTEMPTS`` it is failed for good. A row whose item was closed meanwhile is not sent.
Rows a killed worker had claimed are claimed again once their lease is over.

The marks do not wait for the disk (``synchronous_commit off``, for these statements only): a
database crash may forget the last marks of a fraction of a second, and those few reminders are
then sent again with a new entry: repeated, never lost, and the ledger stays consistent.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass

from django.apps import apps
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from core import ledger
from organisation.models import User
from reminders import conf, emails
from reminders.choices import ChaseKind, NotificationKind, NotificationStatus
from reminders.models import Digest, Notification
from reminders.scanner import pg_array

log = logging.getLogger(__name__)

SEND_ERRORS = (smtplib.SMTPException, OSError, UnicodeError)
TABLE = Notification._meta.db_table

CLAIM_SQL = f"""
UPDATE {TABLE} SET lease_until = %(lease)s, claim_token = %(token)s, attempts = attempts + 1
WHERE id IN (
    SELECT id FROM {TABLE}
    WHERE status = %(pending)s AND send_after <= %(now)s AND (lease_until IS NULL OR lease_until < %(now)s)
      AND digest = %(digest)s AND (%(recipient)s::bigint IS NULL OR recipient_id = %(recipient)s::bigint)
    ORDER BY send_after, id
    LIMIT %(batch)s
    FOR UPDATE SKIP LOCKED
)
RETURNING id
"""  # noqa: S608 (the table name comes from the model; every value is a parameter)

# Each mark changes exactly one row, ours, still pending: a late sender whose lease was taken over
# changes nothing.
MARK_SENT_SQL = f"""
UPDATE {TABLE} SET status = %(sent)s, sent_at = %(at)s, lease_until = NULL, last_error = ''
WHERE id = %(id)s AND claim_token = %(token)s AND status = %(pending)s
"""  # noqa: S608

MARK_CANCELLED_SQL = f"""
UPDATE {TABLE} SET status = %(cancelled)s, lease_until = NULL
WHERE id = %(id)s AND claim_token = %(token)s AND status = %(pending)s
"""  # noqa: S608

MARK_FAILED_SQL = f"""
UPDATE {TABLE} SET status = %(status)s, send_after = %(retry)s, lease_until = NULL, last_error = %(reason)s
WHERE id = %(id)s AND claim_token = %(token)s AND status = %(pending)s
"""  # noqa: S608

SET_RECORDED_SQL = f"""
UPDATE {TABLE} AS n SET ledger_seq = v.seq
FROM unnest(%(ids)s::bigint[], %(seqs)s::bigint[]) AS v(id, seq)
WHERE n.id = v.id AND n.ledger_seq IS NULL
"""  # noqa: S608


@dataclass
class SendResult:
    sent: int = 0
    failed: int = 0
    cancelled: int = 0
    more: bool = False


def _claimable(now):
    return Notification.objects.filter(status=NotificationStatus.PENDING, send_after__lte=now).filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    )


@contextmanager
def _no_disk_wait():
    """``synchronous_commit off`` for the statements inside (restored after, the connection is reused)."""
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def _execute(sql: str, params: dict) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def claim(batch: int, *, digest: bool = False, recipient_id=None) -> tuple[uuid.UUID, list[Notification]]:
    """Lease up to ``batch`` due rows to this sender; returns the claim token and the rows."""
    token = uuid.uuid4()
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            CLAIM_SQL,
            {
                "lease": now + datetime.timedelta(seconds=conf.LEASE_SECONDS),
                "token": token,
                "pending": NotificationStatus.PENDING.value,
                "now": now,
                "digest": digest,
                "recipient": recipient_id,
                "batch": batch,
            },
        )
        ids = [row[0] for row in cursor.fetchall()]
    if not ids:
        return token, []
    claimed = list(
        Notification.objects.filter(id__in=ids).select_related("item", "recipient", "about").order_by("send_after", "id")
    )
    _attach_targets(claimed)
    return token, claimed


def _attach_targets(rows) -> None:
    """Load the records behind acknowledgement items in one query per type (for the personal link)."""
    wanted: dict[str, set[str]] = {}
    for row in rows:
        if row.item.kind == ChaseKind.ACKNOWLEDGEMENT and row.item.target_type == emails.ACKNOWLEDGEMENT_MODEL:
            wanted.setdefault(row.item.target_type, set()).add(row.item.target_id)
    found: dict[tuple[str, str], object] = {}
    for label, ids in wanted.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        for obj in model.objects.filter(pk__in=[int(i) for i in ids if i.isdigit()]):
            found[(label, str(obj.pk))] = obj
    for row in rows:
        row.item._target = found.get((row.item.target_type, row.item.target_id))


def _still_ours(notification) -> bool:
    # Leave a margin: a row whose lease is nearly over may be claimed by another sender any moment.
    return timezone.now() < notification.lease_until - datetime.timedelta(seconds=1)


def _ledger_payload(notification) -> tuple[str, dict]:
    item, recipient = notification.item, notification.recipient
    name = str(recipient)
    if notification.kind == NotificationKind.ESCALATION:
        about = str(notification.about) if notification.about else ""
        reason = f"Escalation level {notification.sequence} to {name}: {about} has not acted"
        event = "ESCALATION_SENT"
    else:
        reason = f"Reminder {notification.sequence} to {name}"
        event = "REMINDER_SENT"
    payload = {
        "notification": notification.pk,
        "item": item.pk,
        "kind": item.kind,
        "sequence": notification.sequence,
        "recipient": recipient.pk,
        "recipient_name": name,
        "email": recipient.email,
        "channel": "digest" if notification.digest else "email",
        "due_at": item.due_at,
        "sent_at": notification.sent_at,
        "reason": reason,
    }
    if notification.about_id:
        payload["about"] = notification.about_id
        payload["about_name"] = str(notification.about)
    return event, payload


def _mark_sent(notification, token) -> bool:
    """Mark one row sent if our claim still holds (one statement, committed at once)."""
    at = timezone.now()
    done = _execute(
        MARK_SENT_SQL,
        {
            "sent": NotificationStatus.SENT.value,
            "at": at,
            "id": notification.pk,
            "token": token,
            "pending": NotificationStatus.PENDING.value,
        },
    )
    if done:
        notification.status, notification.sent_at = NotificationStatus.SENT, at
    return bool(done)


def record_sent(limit: int = 100) -> int:
    """Append the ledger entry of every sent row that has none yet; returns how many were recorded.

    One transaction: the rows are locked (``SKIP LOCKED``: another sender recording them at the
    same moment takes the others), each gets its entry, and ``ledger_seq`` says it is done.
    """
    recorded = 0
    while True:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
            rows = list(
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(status=NotificationStatus.SENT, ledger_seq__isnull=True)
                .select_related("item", "recipient", "about")
                .order_by("sent_at", "id")[:limit]
            )
            if not rows:
                return recorded
            ids, seqs = [], []
            for row in rows:
                event, payload = _ledger_payload(row)
                entry = ledger.append(
                    actor=None,
                    event_type=event,
                    unit_path=row.item.unit_path,
                    target=(row.item.target_type, row.item.target_id),
                    payload=payload,
                )
                ids.append(row.pk)
                seqs.append(entry.seq)
            _execute(SET_RECORDED_SQL, {"ids": pg_array(ids), "seqs": pg_array(seqs)})
        recorded += len(rows)
        if len(rows) < limit:
            return recorded


def _mark_failed(notification, token, reason: str) -> None:
    attempts = notification.attempts
    final = attempts >= conf.MAX_ATTEMPTS
    _execute(
        MARK_FAILED_SQL,
        {
            "status": (NotificationStatus.FAILED if final else NotificationStatus.PENDING).value,
            "retry": timezone.now() + datetime.timedelta(minutes=min(2 ** (attempts - 1), 360)),
            "reason": reason[:500],
            "id": notification.pk,
            "token": token,
            "pending": NotificationStatus.PENDING.value,
        },
    )
    log.warning("reminder %s not sent (attempt %s): %s", notification.pk, attempts, reason)


def _mark_cancelled(notification, token) -> None:
    _execute(
        MARK_CANCELLED_SQL,
        {
            "cancelled": NotificationStatus.CANCELLED.value,
            "id": notification.pk,
            "token": token,
            "pending": NotificationStatus.PENDING.value,
        },
    )


def _deliver(rows, token, result: SendResult) -> None:
    mailer = get_connection()
    try:
        mailer.open()
    except SEND_ERRORS as exc:
        for row in rows:
            _mark_failed(row, token, f"cannot reach the mail server: {exc}")
            result.failed += 1
        return
    try:
        with _no_disk_wait():
            for row in rows:
                if not _still_ours(row):
                    return  # the rest go back to the pool when the lease ends
                if row.item.closed_at is not None:
                    _mark_cancelled(row, token)
                    result.cancelled += 1
                    continue
                if not row.recipient.email or not row.recipient.is_active:
                    _mark_failed(row, token, "the person has no e-mail address or is deactivated")
                    result.failed += 1
                    continue
                try:
                    emails.notification_email(row, mailer).send()
                except SEND_ERRORS as exc:
                    _mark_failed(row, token, f"{type(exc).__name__}: {exc}")
                    result.failed += 1
                    continue
                if _mark_sent(row, token):
                    result.sent += 1
    finally:
        try:
            mailer.close()
        except SEND_ERRORS:
            log.info("the mail server closed the connection first")


class _Recorder:
    """Writes the ledger entries of sent rows in a thread of its own while the batches go out.

    Recording is decoupled from sending (any sender records any sent row, exactly once), so it
    can overlap the SMTP exchanges instead of adding to them. The thread has its own database
    connection; it is closed when the thread ends.
    """

    def __init__(self):
        self.wake = threading.Event()
        self.stopping = False
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="reminders-recorder", daemon=True)
        self.thread.start()

    def _run(self):
        try:
            while True:
                self.wake.wait()
                self.wake.clear()
                record_sent()
                if self.stopping:
                    record_sent()
                    return
        except BaseException as exc:  # noqa: BLE001 (handed to the sending thread, which raises it)
            self.error = exc
        finally:
            connection.close()

    def poke(self):
        self.wake.set()

    def finish(self):
        self.stopping = True
        self.wake.set()
        self.thread.join()
        if self.error is not None:
            raise self.error


def send_due(batch: int | None = None, budget_seconds: float | None = None) -> SendResult:
    """Send what is due until nothing is left or the time budget is spent (``more`` says so)."""
    batch = batch or conf.BATCH_SIZE
    deadline = time.monotonic() + (budget_seconds or conf.SEND_BUDGET_SECONDS)
    result = SendResult()
    record_sent()  # what a stopped sender had sent but not recorded
    # Inside a caller's transaction (tests, a management shell) another connection could not see
    # the rows: record them in line.
    recorder = None if connection.in_atomic_block else _Recorder()
    try:
        while True:
            token, rows = claim(batch)
            if not rows:
                return result
            try:
                _deliver(rows, token, result)
            finally:
                if recorder is not None:
                    recorder.poke()
                else:
                    record_sent()
            if time.monotonic() > deadline:
                result.more = True
                return result
    finally:
        if recorder is not None:
            recorder.finish()


def send_digests(now=None) -> int:
    """Send the day's digest to each person who chose one and has reminders waiting."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.hour < conf.DIGEST_HOUR:
        return 0
    day = local.date()
    waiting = (
        _claimable(now)
        .filter(digest=True)
        .exclude(recipient__in=Digest.objects.filter(day=day).values("recipient"))
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    sent = 0
    for recipient_id in list(waiting):
        token, rows = claim(500, digest=True, recipient_id=recipient_id)
        live = [r for r in rows if r.item.closed_at is None]
        for row in rows:
            if row.item.closed_at is not None:
                _mark_cancelled(row, token)
        if not live:
            continue
        recipient = User.objects.get(pk=recipient_id)
        try:
            emails.digest_email(recipient, live).send()
        except SEND_ERRORS as exc:
            for row in live:
                _mark_failed(row, token, f"{type(exc).__name__}: {exc}")
            continue
        with transaction.atomic():
            Digest.objects.get_or_create(recipient_id=recipient_id, day=day, defaults={"count": len(live)})
            for row in live:
                _mark_sent(row, token)
        sent += 1
    record_sent()
    return sent
