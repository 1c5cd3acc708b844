"""Communications and acknowledgements: the proof that a version was sent, to whom, and who confirmed it.

1. ``requirement_communicate`` sends one approved version to an audience: one request per person,
   created in one transaction with bulk inserts that still write history rows, one ledger entry
   with the count and a hash of the recipient list; older open communications of the requirement
   are superseded; the invitation e-mails go out from a Celery task after commit.
2. ``communication_sync_audience`` gives a request to whoever joined the audience since.
3. ``acknowledgement_confirm`` / ``_decline`` / ``_exempt`` record the person's answer.
"""

from __future__ import annotations

import hashlib
import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core import access, chase
from core.exceptions import ConflictError, DomainError
from core.ledger import label_for
from core.models import ChasedItem
from core.services import governed_save, record_event
from organisation.models import User
from requirements import selectors
from requirements.choices import AckChannel, AckStatus, AudienceKind, CommunicationStatus
from requirements.links import acknowledgement_link  # noqa: F401 (re-exported by services)
from requirements.models import Acknowledgement, AudienceEntry, Communication, RequirementVersion
from requirements.text import text_sha256

logger = logging.getLogger(__name__)
CHASE_KIND = "acknowledgement"


class SupersededError(ConflictError):
    """The request belongs to a communication that a newer version replaced; ``newer`` is the new request."""

    def __init__(self, message, *, newer=None):
        super().__init__(message)
        self.newer = newer


def _ids_hash(ids) -> str:
    return hashlib.sha256(",".join(str(i) for i in sorted(ids)).encode()).hexdigest()


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def enqueue_invitations(communication_id: int, ack_ids: list[int] | None = None) -> bool:
    """Hand the invitation e-mails to Celery. A broker outage must not break the request: the
    failure is logged and ``invitations_sent_at`` stays empty, so the periodic task retries."""
    from requirements.tasks import communication_send_invitations

    try:
        communication_send_invitations.apply_async(args=[communication_id, ack_ids], retry=False)
    except Exception:  # noqa: BLE001 (any broker failure; logged, retried by the periodic task)
        logger.exception(
            "could not enqueue the invitations of communication %s; the periodic task will retry",
            communication_id,
        )
        return False
    return True


def _create_requests(*, actor, communication, audience: dict[int, int | None], reason: str) -> list:
    """Bulk-create the requests (with history rows) and open their chased items."""
    acks = [
        Acknowledgement(
            communication=communication, version=communication.version, person_id=person_id, unit_id=unit_id
        )
        for person_id, unit_id in sorted(audience.items())
    ]
    acks = bulk_create_with_history(
        acks, Acknowledgement, batch_size=1000, default_user=actor, default_change_reason=reason
    )
    requirement = communication.requirement
    chase.open_many(
        kind=CHASE_KIND,
        targets_and_recipients=[(ack, User(pk=ack.person_id)) for ack in acks],
        due_at=communication.due_on,
        title=f"{requirement.reference} v{communication.version.number} · {requirement.title}",
        url_for=lambda ack: reverse("requirements:ack_detail", args=[ack.pk]),
        unit_path=requirement.unit.path,
    )
    return acks


def _close_chases(ack_ids) -> None:
    # ChasedItem is operational state, not a governed record (core/chase.py), so one UPDATE closes
    # the reminders of thousands of requests.
    ChasedItem.objects.filter(
        kind=CHASE_KIND,
        target_type=label_for(Acknowledgement),
        target_id__in=[str(i) for i in ack_ids],
        closed_at__isnull=True,
    ).update(closed_at=timezone.now(), next_reminder_at=None)


@transaction.atomic
def requirement_communicate(
    *, actor, version: RequirementVersion, due_on, people=(), units=(), roles=(), message: str = ""
) -> Communication:
    """Send one approved version to people, roles within units and whole units (with the units below).

    Refused: a draft or empty version, an older version than the current one, an empty audience,
    audience units outside the requirement's unit or where it does not apply, a due date in the past.
    """
    version = (
        RequirementVersion.objects.select_related("requirement__unit")
        .select_for_update(of=("self",))
        .get(pk=version.pk)
    )
    requirement = version.requirement
    access.require(actor, "requirement.communicate", requirement.unit)
    if not version.is_frozen:
        raise DomainError(
            _("Version %(n)s is not approved yet; a QSE manager approves it before it is sent.")
            % {"n": version.number},
            field="version",
        )
    if not version.text.strip() or text_sha256(version.text) != version.text_sha256:
        raise DomainError(_("Version %(n)s has no valid text to send.") % {"n": version.number}, field="version")
    current = selectors.current_version(requirement)
    if current is not None and current.pk != version.pk:
        raise DomainError(
            _("Version %(n)s is the current one; send it instead.") % {"n": current.number}, field="version"
        )
    if due_on is None or due_on < timezone.localdate():
        raise DomainError(_("The due date is in the past."), field="due_on")
    units, roles, people = list(units), list(roles), list(people)
    for unit in [*units, *(u for u, _r in roles)]:
        if not unit.path.startswith(requirement.unit.path):
            raise DomainError(
                _("%(unit)s is outside the requirement's unit %(scope)s.")
                % {"unit": unit.name, "scope": requirement.unit.name},
                field="units",
            )
        if not selectors.is_applicable(requirement, unit):
            raise DomainError(_("The requirement does not apply in %(unit)s.") % {"unit": unit.name}, field="units")
    visible_people = set(
        selectors.people_in_scope(requirement.unit).filter(pk__in=[p.pk for p in people]).values_list("pk", flat=True)
    )
    for person in people:
        if person.pk not in visible_people:
            raise DomainError(
                _("%(name)s holds no role in %(scope)s.") % {"name": person, "scope": requirement.unit.name},
                field="people",
            )
    entries = (
        [AudienceEntry(kind=AudienceKind.PERSON, person=p) for p in dict.fromkeys(people)]
        + [AudienceEntry(kind=AudienceKind.UNIT, unit=u) for u in dict.fromkeys(units)]
        + [AudienceEntry(kind=AudienceKind.ROLE, unit=u, role=r) for u, r in dict.fromkeys(roles)]
    )
    audience = selectors.audience_resolve(entries)
    if not audience:
        raise DomainError(
            _("Nobody is in this audience: choose people, roles or units with active members."), field="units"
        )

    now = timezone.now()
    communication = Communication(
        requirement=requirement,
        version=version,
        message=(message or "").strip(),
        due_on=due_on,
        sent_by=actor,
        sent_at=now,
        recipients_count=len(audience),
        recipients_sha256=_ids_hash(audience),
    )
    governed_save(communication, actor=actor, reason=f"v{version.number} communicated")
    for entry in entries:
        entry.communication = communication
    bulk_create_with_history(entries, AudienceEntry, default_user=actor, default_change_reason="audience")
    acks = _create_requests(
        actor=actor, communication=communication, audience=audience, reason=f"request of v{version.number}"
    )

    superseded = []
    older = Communication.objects.select_for_update().filter(
        requirement=requirement, status=CommunicationStatus.OPEN, version__number__lt=version.number
    )
    for old in older:
        old.status, old.superseded_by = CommunicationStatus.SUPERSEDED, communication
        governed_save(old, actor=actor, reason=f"superseded by v{version.number}")
        superseded.append(old)
        _close_chases(old.acknowledgements.filter(status=AckStatus.PENDING).values_list("pk", flat=True))
        record_event(
            actor=actor,
            event_type="COMMUNICATION_SUPERSEDED",
            target=old,
            payload={"by": communication.pk, "version": version.number},
            saved=[old],
            unit_path=requirement.unit.path,
        )

    record_event(
        actor=actor,
        event_type="REQUIREMENT_COMMUNICATED",
        target=communication,
        payload={
            "requirement": requirement.pk,
            "version": version.number,
            "version_id": version.pk,
            "text_sha256": version.text_sha256,
            "due_on": due_on,
            "message": communication.message,
            "audience": [{"kind": e.kind, "person": e.person_id, "unit": e.unit_id, "role": e.role} for e in entries],
            "recipients": len(audience),
            "recipients_sha256": communication.recipients_sha256,
            "requests_sha256": _ids_hash(a.pk for a in acks),
            "superseded": [c.pk for c in superseded],
        },
        saved=[communication],
        unit_path=requirement.unit.path,
    )
    transaction.on_commit(lambda: enqueue_invitations(communication.pk))
    return communication


@transaction.atomic
def communication_sync_audience(*, actor, communication: Communication) -> list[Acknowledgement]:
    """Give a request to everyone who joined the audience of an open communication since it was sent."""
    communication = (
        Communication.objects.select_for_update()
        .select_related("requirement__unit", "version")
        .get(pk=communication.pk)
    )
    if communication.status != CommunicationStatus.OPEN:
        return []
    audience = selectors.audience_resolve(list(communication.audience.all()))
    existing = set(communication.acknowledgements.values_list("person_id", flat=True))
    newcomers = {pid: uid for pid, uid in audience.items() if pid not in existing}
    if not newcomers:
        return []
    acks = _create_requests(actor=actor, communication=communication, audience=newcomers, reason="joined the audience")
    communication.recipients_count = len(existing) + len(newcomers)
    governed_save(communication, actor=actor, reason="audience grew")
    record_event(
        actor=actor,
        event_type="COMMUNICATION_AUDIENCE_GREW",
        target=communication,
        payload={
            "added": len(newcomers),
            "people_sha256": _ids_hash(newcomers),
            "people": sorted(newcomers)[:50],
            "recipients": communication.recipients_count,
        },
        saved=[communication],
        unit_path=communication.requirement.unit.path,
    )
    ack_ids = [a.pk for a in acks]
    transaction.on_commit(lambda: enqueue_invitations(communication.pk, ack_ids))
    return acks


def on_membership_granted(membership, actor=None) -> int:
    """Called by ``organisation.services.membership_grant``: a newcomer to a unit or role of an open
    communication's audience gets a request. Returns the number of requests created."""
    paths = []
    parts = [p for p in membership.unit.path.strip("/").split("/") if p]
    for depth in range(1, len(parts) + 1):
        paths.append("/" + "/".join(parts[:depth]) + "/")
    entries = AudienceEntry.objects.filter(communication__status=CommunicationStatus.OPEN, unit__path__in=paths)
    ids = set(entries.filter(kind=AudienceKind.UNIT).values_list("communication_id", flat=True))
    ids |= set(entries.filter(kind=AudienceKind.ROLE, role=membership.role).values_list("communication_id", flat=True))
    created = 0
    for communication in Communication.objects.filter(pk__in=ids).order_by("pk"):
        created += len(communication_sync_audience(actor=actor, communication=communication))
    return created


@transaction.atomic
def communication_close(*, actor, communication: Communication, reason: str = "") -> Communication:
    """Stop a communication: pending requests stay pending as history but are no longer chased."""
    communication = (
        Communication.objects.select_for_update().select_related("requirement__unit").get(pk=communication.pk)
    )
    access.require(actor, "requirement.communicate", communication.requirement.unit)
    if communication.status != CommunicationStatus.OPEN:
        raise ConflictError(_("This communication is no longer open."))
    communication.status = CommunicationStatus.CLOSED
    governed_save(communication, actor=actor, reason=reason or "closed")
    _close_chases(communication.acknowledgements.filter(status=AckStatus.PENDING).values_list("pk", flat=True))
    record_event(
        actor=actor,
        event_type="COMMUNICATION_CLOSED",
        target=communication,
        payload={"reason": reason},
        saved=[communication],
        unit_path=communication.requirement.unit.path,
    )
    return communication


def _lock_answerable(ack, *, via_link: bool) -> Acknowledgement:
    ack = (
        Acknowledgement.objects.select_for_update(of=("self",))
        .select_related("communication__requirement__unit", "version", "unit")
        .get(pk=ack.pk)
    )
    if via_link and ack.link_used_at is not None:
        raise ConflictError(
            _("This link was already used on %(when)s. Log in to see your requests.")
            % {"when": _when(ack.link_used_at)}
        )
    if ack.status != AckStatus.PENDING:
        labels = {
            AckStatus.ACKNOWLEDGED: _("You already acknowledged this on %(when)s."),
            AckStatus.DECLINED: _("You already declined this on %(when)s."),
            AckStatus.EXEMPTED: _("You were exempted from this on %(when)s."),
        }
        raise ConflictError(labels[ack.status] % {"when": _when(ack.answered_at)})
    communication = ack.communication
    if communication.status == CommunicationStatus.SUPERSEDED:
        newer = selectors.newer_request(ack)
        raise SupersededError(
            _("A newer version of this requirement was communicated: read and acknowledge version %(n)s instead.")
            % {"n": newer.version.number if newer else communication.superseded_by.version.number},
            newer=newer,
        )
    if communication.status == CommunicationStatus.CLOSED:
        raise ConflictError(_("This communication is closed; nothing to answer any more."))
    return ack


def _answer(ack, *, actor, status, reason, channel, ip_address, user_agent, via_link, event_type):
    now = timezone.now()
    ack.status, ack.answered_at, ack.reason = status, now, reason
    ack.channel = channel if channel in AckChannel.values else AckChannel.LOGGED_IN
    ack.ip_address, ack.user_agent = ip_address or None, (user_agent or "")[:400]
    ack.text_sha256 = ack.version.text_sha256
    if via_link:
        ack.link_used_at = now
    governed_save(ack, actor=actor, reason=reason or status)
    chase.close(target=ack, recipient=ack.person)
    requirement = ack.communication.requirement
    record_event(
        actor=actor,
        event_type=event_type,
        target=ack,
        payload={
            "communication": ack.communication_id,
            "requirement": requirement.pk,
            "person": ack.person_id,
            "version": ack.version.number,
            "text_sha256": ack.text_sha256,
            "channel": ack.channel,
            "ip_address": ack.ip_address,
            "user_agent": ack.user_agent,
            "reason": reason,
        },
        saved=[ack],
        unit_path=ack.unit.path if ack.unit_id else requirement.unit.path,
    )
    return ack


@transaction.atomic
def acknowledgement_confirm(
    *, actor, ack: Acknowledgement, channel: str = AckChannel.LOGGED_IN, ip_address=None, user_agent: str = ""
) -> Acknowledgement:
    """The person confirms they read and understood exactly this version (its text hash is kept)."""
    if actor is None or actor.pk != ack.person_id:
        raise PermissionDenied("Only the person asked can acknowledge.")
    ack = _lock_answerable(ack, via_link=channel == AckChannel.EMAIL_LINK)
    if text_sha256(ack.version.text) != ack.version.text_sha256:
        raise DomainError(_("The text does not match its fingerprint; tell your QSE manager."))
    return _answer(
        ack,
        actor=actor,
        status=AckStatus.ACKNOWLEDGED,
        reason="",
        channel=channel,
        ip_address=ip_address,
        user_agent=user_agent,
        via_link=channel == AckChannel.EMAIL_LINK,
        event_type="ACKNOWLEDGEMENT_CONFIRMED",
    )


@transaction.atomic
def acknowledgement_decline(
    *,
    actor,
    ack: Acknowledgement,
    reason: str,
    channel: str = AckChannel.LOGGED_IN,
    ip_address=None,
    user_agent: str = "",
) -> Acknowledgement:
    """The person says they cannot acknowledge, and why (the QSE manager follows it up)."""
    if actor is None or actor.pk != ack.person_id:
        raise PermissionDenied("Only the person asked can decline.")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why you cannot acknowledge it."), field="reason")
    ack = _lock_answerable(ack, via_link=channel == AckChannel.EMAIL_LINK)
    return _answer(
        ack,
        actor=actor,
        status=AckStatus.DECLINED,
        reason=reason[:2000],
        channel=channel,
        ip_address=ip_address,
        user_agent=user_agent,
        via_link=channel == AckChannel.EMAIL_LINK,
        event_type="ACKNOWLEDGEMENT_DECLINED",
    )


@transaction.atomic
def acknowledgement_exempt(*, actor, ack: Acknowledgement, reason: str) -> Acknowledgement:
    """A QSE manager exempts a person from a pending (or declined) request, with a reason."""
    ack = (
        Acknowledgement.objects.select_for_update(of=("self",))
        .select_related("communication__requirement__unit", "unit", "version")
        .get(pk=ack.pk)
    )
    requirement = ack.communication.requirement
    access.require(actor, "acknowledgement.exempt", requirement.unit)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why this person is exempted."), field="reason")
    if ack.status not in (AckStatus.PENDING, AckStatus.DECLINED):
        raise ConflictError(_("This request was already answered on %(when)s.") % {"when": _when(ack.answered_at)})
    ack.status, ack.answered_at, ack.reason, ack.exempted_by = (
        AckStatus.EXEMPTED,
        timezone.now(),
        reason,
        actor,
    )
    governed_save(ack, actor=actor, reason=reason)
    chase.close(target=ack)
    record_event(
        actor=actor,
        event_type="ACKNOWLEDGEMENT_EXEMPTED",
        target=ack,
        payload={
            "communication": ack.communication_id,
            "requirement": requirement.pk,
            "person": ack.person_id,
            "version": ack.version.number,
            "reason": reason,
        },
        saved=[ack],
        unit_path=ack.unit.path if ack.unit_id else requirement.unit.path,
    )
    return ack
