"""Celery tasks of requirements. They take ids only and call services or selectors."""

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.services import governed_save, record_event
from requirements.choices import AckStatus, CommunicationStatus
from requirements.links import acknowledgement_link
from requirements.models import Communication

logger = logging.getLogger(__name__)
BATCH = 200


def _message(ack, communication):
    person = ack.person
    with translation.override(person.language or settings.LANGUAGE_CODE):
        context = {
            "ack": ack,
            "person": person,
            "communication": communication,
            "requirement": communication.requirement,
            "version": communication.version,
            "link": acknowledgement_link(ack),
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string("emails/requirements/invitation_subject.txt", context).strip()
        body = render_to_string("emails/requirements/invitation.txt", context)
    return mail.EmailMessage(subject=" ".join(subject.split()), body=body, to=[person.email])


@shared_task(name="requirements.communication_send_invitations", acks_late=True)
def communication_send_invitations(communication_id: int, ack_ids: list[int] | None = None) -> int:
    """E-mail each pending person of a communication their personal link, in their language.

    Without ``ack_ids`` it is the first sending (everyone pending), and it marks the communication's
    ``invitations_sent_at`` so the periodic retry leaves it alone. Returns the number of e-mails sent.
    """
    communication = (
        Communication.objects.select_related("requirement__source", "version", "sent_by")
        .filter(pk=communication_id)
        .first()
    )
    if communication is None or communication.status != CommunicationStatus.OPEN:
        return 0
    if ack_ids is None and communication.invitations_sent_at is not None:
        return 0
    acks = (
        communication.acknowledgements.filter(status=AckStatus.PENDING)
        .exclude(person__email="")
        .select_related("person")
        .order_by("pk")
    )
    if ack_ids is not None:
        acks = acks.filter(pk__in=ack_ids)
    sent = 0
    connection = mail.get_connection()
    batch = []
    for ack in acks.iterator(chunk_size=BATCH):
        batch.append(_message(ack, communication))
        if len(batch) >= BATCH:
            sent += connection.send_messages(batch) or 0
            batch = []
    if batch:
        sent += connection.send_messages(batch) or 0
    if ack_ids is None:
        with transaction.atomic():
            locked = Communication.objects.select_for_update().get(pk=communication.pk)
            if locked.invitations_sent_at is None:
                locked.invitations_sent_at = timezone.now()
                governed_save(locked, actor=None, reason="invitations sent")
                record_event(
                    actor=None,
                    event_type="COMMUNICATION_INVITATIONS_SENT",
                    target=locked,
                    payload={"sent": sent},
                    saved=[locked],
                    unit_path=communication.requirement.unit.path,
                )
    return sent


@shared_task(name="requirements.send_pending_invitations")
def send_pending_invitations(min_age_seconds: int = 120) -> int:
    """Beat task: communications whose invitations never left (broker down at the time)."""
    cutoff = timezone.now() - datetime.timedelta(seconds=min_age_seconds)
    ids = list(
        Communication.objects.filter(
            status=CommunicationStatus.OPEN, invitations_sent_at__isnull=True, sent_at__lte=cutoff
        ).values_list("pk", flat=True)
    )
    for pk in ids:
        communication_send_invitations(pk)
    return len(ids)


@shared_task(name="requirements.sync_open_communications")
def sync_open_communications() -> int:
    """Beat task: give requests to people who joined an open communication's audience (a role that
    started today, a grant made outside ``membership_grant``). Returns the requests created."""
    from requirements.communication import communication_sync_audience

    created = 0
    for communication in Communication.objects.filter(status=CommunicationStatus.OPEN).order_by("pk"):
        created += len(communication_sync_audience(actor=None, communication=communication))
    return created
