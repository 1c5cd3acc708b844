"""The sender: claims outbox rows, e-mails them, marks them sent and records each in the ledger.

1. Claim a batch of due rows with ``SELECT ... FOR UPDATE SKIP LOCKED`` and give them a lease
   (``lease_until``) and a claim token, in a short transaction: two senders never hold the same row.
2. Send each through Django's e-mail backend (one SMTP connection for the batch), then mark it sent
   only if our claim still holds, with its ledger entry in the same transaction. Sending before
   marking means a worker killed between the two re-sends that one message after the lease; it
   never loses one.
3. A refused message gets the reason and a retry time (exponential back-off); after
   ``MAX_ATTEMPTS`` it is failed for good. A row whose item was closed meanwhile is not sent.
Rows a killed worker had claimed are claimed again once their lease is over.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
import time
import uuid
from dataclasses import dataclass

from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from core import ledger
from organisation.models import User
from reminders import conf, emails
from reminders.choices import NotificationKind, NotificationStatus
from reminders.models import Digest, Notification

log = logging.getLogger(__name__)

SEND_ERRORS = (smtplib.SMTPException, OSError, UnicodeError)


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


def claim(batch: int, *, digest: bool = False, recipient_id=None) -> tuple[uuid.UUID, list[Notification]]:
    """Lease up to ``batch`` due rows to this sender; returns the claim token and the rows."""
    token = uuid.uuid4()
    with transaction.atomic():
        now = timezone.now()
        rows = _claimable(now).filter(digest=digest)
        if recipient_id is not None:
            rows = rows.filter(recipient_id=recipient_id)
        ids = list(
            rows.select_for_update(skip_locked=True).order_by("send_after", "id").values_list("id", flat=True)[:batch]
        )
        if not ids:
            return token, []
        Notification.objects.filter(id__in=ids).update(
            lease_until=now + datetime.timedelta(seconds=conf.LEASE_SECONDS),
            claim_token=token,
            attempts=F("attempts") + 1,
        )
    claimed = list(
        Notification.objects.filter(claim_token=token)
        .select_related("item", "recipient", "about")
        .order_by("send_after", "id")
    )
    return token, claimed


def _still_ours(notification) -> bool:
    # Leave a margin: a row whose lease is nearly over may be claimed by another sender any moment.
    return timezone.now() < notification.lease_until - datetime.timedelta(seconds=1)


def _ledger_payload(notification, channel: str) -> tuple[str, dict]:
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
        "channel": channel,
        "due_at": item.due_at,
        "reason": reason,
    }
    if notification.about_id:
        payload["about"] = notification.about_id
        payload["about_name"] = str(notification.about)
    return event, payload


def _mark_sent(notification, token, channel: str = "email") -> bool:
    """Mark one row sent with its ledger entry, if our claim still holds (else nothing is written).

    The commit does not wait for the disk (``synchronous_commit off``, this transaction only): a
    database crash may forget the last marks of a fraction of a second, and those few reminders
    are then sent again with a new entry: repeated, never lost, and the ledger stays consistent.
    """
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        event, payload = _ledger_payload(notification, channel)
        entry = ledger.append(
            actor=None,
            event_type=event,
            unit_path=notification.item.unit_path,
            target=(notification.item.target_type, notification.item.target_id),
            payload=payload,
        )
        done = Notification.objects.filter(
            pk=notification.pk, claim_token=token, status=NotificationStatus.PENDING
        ).update(
            status=NotificationStatus.SENT,
            sent_at=timezone.now(),
            lease_until=None,
            last_error="",
            ledger_seq=entry.seq,
        )
        if not done:
            transaction.set_rollback(True)
            return False
    return True


def _mark_failed(notification, token, reason: str) -> None:
    attempts = notification.attempts
    final = attempts >= conf.MAX_ATTEMPTS
    retry = timezone.now() + datetime.timedelta(minutes=min(2 ** (attempts - 1), 360))
    Notification.objects.filter(pk=notification.pk, claim_token=token, status=NotificationStatus.PENDING).update(
        status=NotificationStatus.FAILED if final else NotificationStatus.PENDING,
        send_after=retry,
        lease_until=None,
        last_error=reason[:500],
    )
    log.warning("reminder %s not sent (attempt %s): %s", notification.pk, attempts, reason)


def _mark_cancelled(notification, token) -> None:
    Notification.objects.filter(pk=notification.pk, claim_token=token, status=NotificationStatus.PENDING).update(
        status=NotificationStatus.CANCELLED, lease_until=None
    )


def _deliver(rows, token, result: SendResult) -> None:
    connection = get_connection()
    try:
        connection.open()
    except SEND_ERRORS as exc:
        for row in rows:
            _mark_failed(row, token, f"cannot reach the mail server: {exc}")
            result.failed += 1
        return
    try:
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
                emails.notification_email(row, connection).send()
            except SEND_ERRORS as exc:
                _mark_failed(row, token, f"{type(exc).__name__}: {exc}")
                result.failed += 1
                continue
            if _mark_sent(row, token):
                result.sent += 1
    finally:
        try:
            connection.close()
        except SEND_ERRORS:
            log.info("the mail server closed the connection first")


def send_due(batch: int | None = None, budget_seconds: float | None = None) -> SendResult:
    """Send what is due until nothing is left or the time budget is spent (``more`` says so)."""
    batch = batch or conf.BATCH_SIZE
    deadline = time.monotonic() + (budget_seconds or conf.SEND_BUDGET_SECONDS)
    result = SendResult()
    while True:
        token, rows = claim(batch)
        if not rows:
            return result
        _deliver(rows, token, result)
        if time.monotonic() > deadline:
            result.more = True
            return result


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
                _mark_sent(row, token, channel="digest")
        sent += 1
    return sent
