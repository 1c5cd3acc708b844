"""Writes to alarms: raise, acknowledge, answer, close, withdraw, and escalate when overdue.

Rules:
1. A QSE manager raises an alarm (anyone with a role, if SIRIS_ALLOW_ANYONE_TO_RAISE_ALARM) to
   named managers of the unit's branch, with a severity and a response deadline.
2. Only an addressee acknowledges or answers; to anyone else the alarm is not there (404).
3. An addressee past their deadline without an answer is escalated to their own manager: an
   AlarmEscalation row and a ledger entry; the manager becomes an addressee with a new deadline.
   This is computed from dates and idempotent (one escalation per addressee, a constraint).
4. Closing needs at least one answer; otherwise the author withdraws the alarm with a reason.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import access, chase
from core.exceptions import ConflictError, DomainError
from core.services import governed_save, record_event
from decisions.choices import AlarmStatus, Priority, Severity
from decisions.models import Alarm, AlarmAddressee, AlarmEscalation, Decision
from decisions.services.common import link_object, open_action, save_links
from organisation.choices import Role

MIN_WINDOW = datetime.timedelta(hours=1)


def can_raise_alarm(user, unit=None) -> bool:
    action = "alarm.raise_any" if settings.SIRIS_ALLOW_ANYONE_TO_RAISE_ALARM else "alarm.raise"
    return access.can(user, action, unit) if unit is not None else access.can_anywhere(user, action)


def may_be_addressed(person, unit) -> bool:
    """A manager (or administrator) on the unit, a unit above it, or a unit below it."""
    from organisation.models import Membership

    ancestors = unit.ancestor_ids()
    return Membership.objects.active().filter(
        Q(unit_id__in=ancestors) | Q(unit__path__startswith=unit.path),
        user=person, role__in=(Role.MANAGER, Role.ADMINISTRATOR), unit__is_active=True,
    ).exists()


def _url(alarm) -> str:
    return reverse("decisions:alarm_detail", kwargs={"pk": alarm.pk})


def _chase(alarm, person, due) -> None:
    chase.open(kind="alarm", target=alarm, recipient=person, due_at=due,
               title=_("Answer the alarm: %(title)s") % {"title": alarm.title}, url=_url(alarm),
               unit_path=alarm.unit.path)


@transaction.atomic
def alarm_raise(*, actor, unit, title: str, description: str, severity: str, respond_by, addressees,
                links=()) -> Alarm:
    if not can_raise_alarm(actor, unit):
        raise PermissionDenied(_("Your role on this unit does not allow raising an alarm."))
    if not title.strip():
        raise DomainError(_("Say what the situation is."), field="title")
    if not description.strip():
        raise DomainError(_("Describe the situation."), field="description")
    if severity not in Severity.values:
        raise DomainError(_("Choose a severity."), field="severity")
    now = timezone.now()
    if respond_by is None or respond_by <= now:
        raise DomainError(_("The answer deadline must be in the future."), field="respond_by")
    people = list(dict.fromkeys(addressees or ()))
    if not people:
        raise DomainError(_("Name at least one manager to warn."), field="addressees")
    for person in people:
        if person.pk == actor.pk:
            raise DomainError(_("You cannot raise an alarm to yourself."), field="addressees")
        if not person.is_active or not may_be_addressed(person, unit):
            raise DomainError(_("%(name)s is not a manager of %(unit)s or of a unit above or below it.")
                              % {"name": person, "unit": unit}, field="addressees")
    alarm = Alarm(unit=unit, author=actor, title=title.strip(), description=description, severity=severity,
                  raised_at=now, respond_by=respond_by)
    governed_save(alarm, actor=actor, reason="alarm raised")
    saved = [alarm]
    for person in people:
        row = AlarmAddressee(alarm=alarm, person=person, received_at=now, respond_by=respond_by)
        governed_save(row, actor=actor, reason="alarm raised")
        saved.append(row)
        _chase(alarm, person, respond_by)
    saved += save_links(actor=actor, owner_field="alarm", owner=alarm, refs=links, reason="alarm raised")
    record_event(actor=actor, event_type="ALARM_RAISED", target=alarm,
                 payload={"title": alarm.title, "severity": severity, "respond_by": respond_by,
                          "addressees": [p.pk for p in people],
                          "links": [f"{li.target_type}:{li.target_id}" for li in alarm.links.all()]},
                 saved=saved)
    return alarm


def _addressee_row(actor, alarm) -> AlarmAddressee:
    """The actor's own addressee row, locked; anyone else gets 404, as if the alarm were not there."""
    row = AlarmAddressee.objects.select_for_update().filter(alarm_id=alarm.pk, person_id=actor.pk).first()
    if row is None:
        raise Http404("No such alarm.")
    return row


def _lock(alarm) -> Alarm:
    return Alarm.objects.select_for_update().select_related("unit").get(pk=alarm.pk)


def _require_open(alarm) -> None:
    if not alarm.is_open:
        raise ConflictError(_("This alarm is %(status)s.") % {"status": alarm.get_status_display().lower()})


@transaction.atomic
def alarm_acknowledge(*, actor, alarm: Alarm) -> AlarmAddressee:
    """The addressee confirms they have read the alarm; the time is recorded."""
    alarm = _lock(alarm)
    row = _addressee_row(actor, alarm)
    _require_open(alarm)
    if row.acknowledged_at is not None:
        raise ConflictError(_("You acknowledged this alarm already."))
    row.acknowledged_at = timezone.now()
    governed_save(row, actor=actor, reason="alarm acknowledged")
    record_event(actor=actor, event_type="ALARM_ACKNOWLEDGED", target=alarm,
                 payload={"addressee": actor.pk, "at": row.acknowledged_at}, saved=[row])
    return row


@transaction.atomic
def alarm_answer(*, actor, alarm: Alarm, answer: str, decision: Decision | None = None, actions=()) -> AlarmAddressee:
    """The addressee answers: a text, and optionally a decision and actions opened from it."""
    alarm = _lock(alarm)
    row = _addressee_row(actor, alarm)
    _require_open(alarm)
    if row.answered_at is not None:
        raise ConflictError(_("You answered this alarm already."))
    if not answer.strip():
        raise DomainError(_("Write your answer."), field="answer")
    if decision is not None and not access.visible_to(Decision.objects.filter(pk=decision.pk), actor).exists():
        raise DomainError(_("There is no such decision that you can see."), field="decision")
    now = timezone.now()
    row.answered_at = now
    row.acknowledged_at = row.acknowledged_at or now
    row.answer = answer.strip()
    row.answer_decision = decision
    governed_save(row, actor=actor, reason="alarm answered")
    saved = [row]
    if decision is not None and not alarm.links.filter(target_type="decisions.decision",
                                                       target_id=str(decision.pk)).exists():
        saved.append(link_object(actor=actor, owner_field="alarm", owner=alarm, target=decision,
                                 reason="answer decision"))
    opened = []
    for item in actions or ():
        if not str(item.get("title", "")).strip() or item.get("owner") is None or item.get("due_on") is None:
            raise DomainError(_("Each action needs a title, an owner and a due date."), field="actions")
        action = open_action(actor=actor, title=item["title"].strip(), description=item.get("description", ""),
                             origin=alarm, unit=alarm.unit, owner=item["owner"], due_on=item["due_on"],
                             priority=item.get("priority") or Priority.HIGH)
        saved.append(link_object(actor=actor, owner_field="alarm", owner=alarm, target=action,
                                 reason="action opened from the answer"))
        opened.append(action.pk)
    if alarm.status == AlarmStatus.OPEN:
        alarm.status = AlarmStatus.ANSWERED
        governed_save(alarm, actor=actor, reason="alarm answered")
        saved.append(alarm)
    chase.close(target=alarm, recipient=actor)
    record_event(actor=actor, event_type="ALARM_ANSWERED", target=alarm,
                 payload={"addressee": actor.pk, "answer": row.answer, "decision": decision.pk if decision else None,
                          "actions_opened": opened, "late": now > row.respond_by},
                 saved=saved)
    return row


def _require_author(actor, alarm) -> None:
    if alarm.author_id != actor.pk:
        raise PermissionDenied(_("Only the person who raised the alarm may do this."))


@transaction.atomic
def alarm_close(*, actor, alarm: Alarm, note: str = "") -> Alarm:
    """The author closes an answered alarm."""
    alarm = _lock(alarm)
    _require_author(actor, alarm)
    _require_open(alarm)
    if not alarm.addressees.filter(answered_at__isnull=False).exists():
        raise DomainError(_("An alarm is closed once it has an answer; without one, withdraw it with a reason."))
    alarm.status = AlarmStatus.CLOSED
    alarm.closed_at = timezone.now()
    alarm.closing_note = note.strip()
    governed_save(alarm, actor=actor, reason=note.strip() or "alarm closed")
    chase.close(target=alarm)
    record_event(actor=actor, event_type="ALARM_CLOSED", target=alarm, payload={"reason": note.strip()},
                 saved=[alarm])
    return alarm


@transaction.atomic
def alarm_withdraw(*, actor, alarm: Alarm, reason: str) -> Alarm:
    """The author withdraws the alarm, with a reason."""
    alarm = _lock(alarm)
    _require_author(actor, alarm)
    _require_open(alarm)
    if not reason.strip():
        raise DomainError(_("Say why the alarm is withdrawn."), field="reason")
    alarm.status = AlarmStatus.WITHDRAWN
    alarm.closed_at = timezone.now()
    alarm.withdrawn_reason = reason.strip()[:500]
    governed_save(alarm, actor=actor, reason=reason.strip())
    chase.close(target=alarm)
    record_event(actor=actor, event_type="ALARM_WITHDRAWN", target=alarm, payload={"reason": reason.strip()},
                 saved=[alarm])
    return alarm


def alarm_escalate_overdue(*, actor=None, now=None) -> int:
    """Escalate every addressee past their deadline without an answer. Returns how many.

    Each escalation is its own transaction, so one failure does not hold back the others, and a
    second run (or two beat processes) finds nothing more to do.
    """
    now = now or timezone.now()
    due = AlarmAddressee.objects.filter(
        answered_at__isnull=True, respond_by__lt=now, escalation__isnull=True,
        alarm__status__in=(AlarmStatus.OPEN, AlarmStatus.ANSWERED),
    ).order_by("respond_by").values_list("pk", flat=True)
    count = 0
    for pk in list(due[:1000]):
        count += _escalate_one(actor=actor, addressee_pk=pk, now=now)
    return count


@transaction.atomic
def _escalate_one(*, actor, addressee_pk: int, now) -> int:
    row = AlarmAddressee.objects.select_for_update(of=("self",)).select_related("alarm__unit", "person__manager").get(
        pk=addressee_pk)
    alarm = row.alarm
    if row.answered_at is not None or not alarm.is_open or AlarmEscalation.objects.filter(from_addressee=row).exists():
        return 0
    manager = row.person.manager if row.person.manager and row.person.manager.is_active else None
    window = max(alarm.respond_by - alarm.raised_at, MIN_WINDOW)
    target_row = None
    saved = []
    if manager is not None:
        target_row = AlarmAddressee.objects.filter(alarm=alarm, person=manager).first()
        if target_row is None:
            target_row = AlarmAddressee(alarm=alarm, person=manager, received_at=now, respond_by=now + window,
                                        escalated_from=row)
            governed_save(target_row, actor=actor, reason="alarm escalated")
            saved.append(target_row)
            _chase(alarm, manager, target_row.respond_by)
    escalation = AlarmEscalation(alarm=alarm, from_addressee=row, to_person=manager, to_addressee=target_row,
                                 escalated_at=now)
    governed_save(escalation, actor=actor, reason="deadline passed without an answer")
    saved.insert(0, escalation)
    record_event(actor=actor, event_type="ALARM_ESCALATED", target=alarm,
                 payload={"from": row.person_id, "to": manager.pk if manager else None,
                          "deadline": row.respond_by, "new_deadline": target_row.respond_by if target_row else None,
                          "reason": (_("No answer by the deadline; escalated to %(name)s.") % {"name": manager})
                          if manager else _("No answer by the deadline, and the addressee has no manager.")},
                 saved=saved)
    return 1
