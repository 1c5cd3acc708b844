"""Every write to actions: open, start, complete, verify, postpone, cancel, reassign, edit, comment,
and the due-date policy.

Rules (PRODUCT.md capability 5, issue 5):
1. An action has an owner who holds a non-auditor role on its unit (or a unit above), and a due
   date that is not in the past; without a date, the policy by priority gives one.
2. Open → in progress → done (a completion note is required) → verified by someone other than the
   owner: effective closes it, not effective reopens it (in progress) with the reason.
3. Cancelling needs a reason; postponing needs a reason and a later date; both are logged with
   the old and new values.
4. Every change locks the row, checks the caller's ``version`` (when given) and bumps it: two
   people acting at once, one wins and the other gets a ConflictError (HTTP 409).
5. Each step is an ``ActionUpdate`` row of the action's log, a history row and a ledger entry, in
   one transaction; the owner's reminder (``core.chase``) opens, moves and closes with it.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actions import origins
from actions.choices import DEFAULT_DUE_DAYS, ActionKind, ActionStatus, Priority, UpdateKind
from actions.models import Action, ActionUpdate, DuePolicy
from core import access, chase
from core.exceptions import ConflictError, DomainError
from core.services import apply_changes, governed_save, record_event

CHASE_KIND = "action"
ACTIVE = [ActionStatus.OPEN, ActionStatus.IN_PROGRESS]
TITLE_MAX = 200


# ---------------------------------------------------------------------------- helpers


def due_days(priority: str) -> int:
    """Days an action of this priority gets: the administrators' policy, else the default."""
    row = DuePolicy.objects.filter(priority=priority).values_list("days", flat=True).first()
    return row if row is not None else DEFAULT_DUE_DAYS[Priority(priority)]


def due_date_for(priority: str, start: datetime.date | None = None) -> datetime.date:
    return (start or timezone.localdate()) + datetime.timedelta(days=due_days(priority))


def _check_person(person, unit, field: str) -> None:
    if person is None or not person.is_active:
        raise DomainError(_("Choose an active person."), field=field)
    if not access.can(person, "action.own", unit):
        raise DomainError(
            _("%(name)s holds no role on %(unit)s: they could not see this action.") % {"name": person, "unit": unit},
            field=field,
        )


def _check_due(due_on, field: str = "due_on") -> None:
    if not isinstance(due_on, datetime.date):
        raise DomainError(_("Give a due date."), field=field)
    if due_on < timezone.localdate():
        raise DomainError(_("The due date is in the past."), field=field)


def _clean_text(value, field: str, message: str, max_length: int | None = None) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError(message, field=field)
    if max_length and len(text) > max_length:
        raise DomainError(_("Keep it under %(n)s characters.") % {"n": max_length}, field=field)
    return text


def _lock(action: Action, version: int | None) -> Action:
    """The action's row, locked for this transaction; refuse a caller who saw an older version."""
    try:
        locked = Action.objects.select_for_update().select_related("unit", "owner").get(pk=action.pk)
    except Action.DoesNotExist:
        raise ConflictError(_("This action no longer exists.")) from None
    if version is not None and int(version) != locked.version:
        raise ConflictError(
            _(
                "Someone else changed this action while you were looking at it. Reload the page to see "
                "what changed, then try again."
            )
        )
    return locked


def _require_status(action: Action, allowed, message: str) -> None:
    if action.status not in allowed:
        # The record is in a state the caller did not expect: a conflict, not bad input.
        raise ConflictError(message)


def is_worker(user, action: Action) -> bool:
    """The owner and the contributors do the work; so may the unit's managers."""
    if user is None:
        return True  # Siris itself (a task)
    if user.pk == action.owner_id:
        return True
    if action.contributors.filter(pk=user.pk).exists():
        return True
    return access.can(user, "action.manage", action.unit)


def _require(actor, allowed: bool) -> None:
    if actor is not None and not allowed:
        raise PermissionDenied(_("Your role on this unit does not allow this."))


def _url(action: Action) -> str:
    return action.get_absolute_url()


def _log(
    action: Action,
    *,
    actor,
    kind: str,
    text: str = "",
    old_status: str = "",
    new_status: str = "",
    old_due_on=None,
    new_due_on=None,
) -> ActionUpdate:
    update = ActionUpdate(
        action=action,
        kind=kind,
        author=actor,
        text=text,
        old_status=old_status,
        new_status=new_status,
        old_due_on=old_due_on,
        new_due_on=new_due_on,
    )
    governed_save(update, actor=actor, reason=kind)
    return update


def _save(action: Action, *, actor, reason: str) -> None:
    action.version += 1
    governed_save(action, actor=actor, reason=reason[:100])


def _chase_owner(action: Action) -> None:
    chase.open(
        kind=CHASE_KIND,
        target=action,
        recipient=action.owner,
        due_at=action.due_on,
        title=action.title,
        url=_url(action),
        unit_path=action.unit.path,
    )


# ---------------------------------------------------------------------------- open


@transaction.atomic
def action_open(
    *,
    actor,
    title: str,
    description: str = "",
    origin=None,
    unit,
    owner,
    contributors=(),
    due_on: datetime.date | None = None,
    priority: str = Priority.MEDIUM,
    kind: str = ActionKind.CORRECTIVE,
) -> Action:
    """Open an action. ``origin`` is the record it comes from (risk, inspection, compliance
    evaluation, alarm, decision) or None; without ``due_on`` the policy by priority sets the date.

    Other apps call this (decisions, alarms, and the inspection / evaluation hooks).
    """
    title = _clean_text(title, "title", _("Give the action a title."), TITLE_MAX)
    if priority not in Priority.values:
        raise DomainError(_("Choose a priority."), field="priority")
    if kind not in ActionKind.values:
        raise DomainError(_("Choose a kind of action."), field="kind")
    if unit is None or not unit.is_active:
        raise DomainError(_("Choose an active unit."), field="unit")
    origin_type, origin_id, origin_label = origins.reference_of(origin)
    if due_on is None:
        due_on = due_date_for(priority)
    _check_due(due_on)
    _check_person(owner, unit, "owner")
    contributors = [c for c in dict.fromkeys(contributors) if c.pk != owner.pk]
    for person in contributors:
        _check_person(person, unit, "contributors")
    action = Action(
        title=title,
        description=(description or "").strip(),
        kind=kind,
        priority=priority,
        unit=unit,
        owner=owner,
        due_on=due_on,
        first_due_on=due_on,
        created_by=actor,
        origin_type=origin_type,
        origin_id=origin_id,
        origin_label=origin_label,
    )
    governed_save(action, actor=actor, reason="action opened")
    if contributors:
        action.contributors.set(contributors)
    update = _log(action, actor=actor, kind=UpdateKind.OPENED, new_status=action.status, new_due_on=due_on)
    record_event(
        actor=actor,
        event_type="ACTION_OPENED",
        target=action,
        payload={
            "title": title,
            "kind": kind,
            "priority": priority,
            "unit": unit.pk,
            "owner": owner.pk,
            "contributors": [c.pk for c in contributors],
            "due_on": due_on,
            "origin": f"{origin_type}:{origin_id}" if origin_type else None,
        },
        saved=[action, update],
    )
    _chase_owner(action)
    return action


# ---------------------------------------------------------------------------- workflow


@transaction.atomic
def action_start(*, actor, action: Action, version: int | None = None) -> Action:
    """The owner (or a contributor, or a manager of the unit) starts the work."""
    action = _lock(action, version)
    _require(actor, is_worker(actor, action))
    _require_status(action, [ActionStatus.OPEN], _("This action is not open any more."))
    action.status, action.started_at = ActionStatus.IN_PROGRESS, timezone.now()
    _save(action, actor=actor, reason="action started")
    update = _log(action, actor=actor, kind=UpdateKind.STARTED, old_status=ActionStatus.OPEN, new_status=action.status)
    record_event(
        actor=actor,
        event_type="ACTION_STARTED",
        target=action,
        payload={"version": action.version},
        saved=[action, update],
    )
    return action


@transaction.atomic
def action_complete(*, actor, action: Action, note: str, version: int | None = None) -> Action:
    """Mark the work done. A completion note saying what was done is required; the reminder to
    the owner stops, and the action waits for someone else to check its effectiveness."""
    action = _lock(action, version)
    _require(actor, is_worker(actor, action))
    note = _clean_text(note, "note", _("Say what was done: a completion note is required."))
    if action.status == ActionStatus.OPEN:
        raise ConflictError(_("Start the action before marking it as done."))
    _require_status(action, [ActionStatus.IN_PROGRESS], _("This action is not in progress any more."))
    action.status = ActionStatus.DONE
    action.completed_at, action.completed_by, action.completion_note = timezone.now(), actor, note
    _save(action, actor=actor, reason="action done")
    update = _log(
        action,
        actor=actor,
        kind=UpdateKind.COMPLETED,
        text=note,
        old_status=ActionStatus.IN_PROGRESS,
        new_status=action.status,
    )
    record_event(
        actor=actor,
        event_type="ACTION_COMPLETED",
        target=action,
        payload={"note": note, "version": action.version},
        saved=[action, update],
    )
    chase.close(target=action, kind=CHASE_KIND)
    return action


@transaction.atomic
def action_verify(
    *, actor, action: Action, effective: bool, note: str, new_due_on=None, version: int | None = None
) -> Action:
    """Check the effectiveness of a done action. Never by its owner (ISO 10.2: an independent
    check). Effective closes it; not effective reopens it in progress, with the reason, and may
    give it a new due date."""
    action = _lock(action, version)
    if actor is not None and actor.pk == action.owner_id:
        raise DomainError(_("Someone other than the owner must check the effectiveness of an action."))
    _require(actor, actor is None or access.can(actor, "action.verify", action.unit))
    _require_status(action, [ActionStatus.DONE], _("This action is not waiting for verification."))
    now = timezone.now()
    if effective:
        note = (note or "").strip()
        action.status, action.verified_at, action.verified_by = ActionStatus.CLOSED, now, actor
        action.verification_note, action.closed_at = note, now
        _save(action, actor=actor, reason="verified effective")
        update = _log(
            action,
            actor=actor,
            kind=UpdateKind.VERIFIED_EFFECTIVE,
            text=note,
            old_status=ActionStatus.DONE,
            new_status=action.status,
        )
        record_event(
            actor=actor,
            event_type="ACTION_VERIFIED",
            target=action,
            payload={"effective": True, "note": note, "version": action.version},
            saved=[action, update],
        )
        chase.close(target=action)
        return action
    reason = _clean_text(note, "note", _("Say why the action was not effective."))
    old_due = action.due_on
    if new_due_on is not None:
        _check_due(new_due_on, "new_due_on")
        action.due_on = new_due_on
    elif action.due_on < timezone.localdate():
        raise DomainError(_("The due date has passed: give the reopened action a new one."), field="new_due_on")
    # The failed completion stays in the log and the history; the next one must be written anew.
    action.status = ActionStatus.IN_PROGRESS
    action.completed_at, action.completed_by, action.completion_note = None, None, ""
    action.reopened += 1
    _save(action, actor=actor, reason="verified not effective")
    update = _log(
        action,
        actor=actor,
        kind=UpdateKind.VERIFIED_NOT_EFFECTIVE,
        text=reason,
        old_status=ActionStatus.DONE,
        new_status=action.status,
        old_due_on=old_due,
        new_due_on=action.due_on if action.due_on != old_due else None,
    )
    record_event(
        actor=actor,
        event_type="ACTION_REOPENED",
        target=action,
        payload={
            "effective": False,
            "reason": reason,
            "old_due_on": old_due,
            "new_due_on": action.due_on,
            "version": action.version,
        },
        saved=[action, update],
    )
    _chase_owner(action)
    return action


@transaction.atomic
def action_postpone(*, actor, action: Action, new_due_on, reason: str, version: int | None = None) -> Action:
    """Move the due date later. A reason is required; the old and new dates are logged and the
    owner's reminders restart from the new date."""
    action = _lock(action, version)
    _require(actor, actor is None or access.can(actor, "action.manage", action.unit))
    reason = _clean_text(reason, "reason", _("Say why the action is postponed."), 500)
    _require_status(action, ACTIVE, _("Only an open or in-progress action can be postponed."))
    _check_due(new_due_on, "new_due_on")
    if new_due_on <= action.due_on:
        raise DomainError(
            _("The new due date must be after the current one (%(date)s).") % {"date": action.due_on.isoformat()},
            field="new_due_on",
        )
    old_due = action.due_on
    action.due_on = new_due_on
    action.postponements += 1
    _save(action, actor=actor, reason="action postponed")
    update = _log(
        action, actor=actor, kind=UpdateKind.POSTPONED, text=reason, old_due_on=old_due, new_due_on=new_due_on
    )
    record_event(
        actor=actor,
        event_type="ACTION_POSTPONED",
        target=action,
        payload={
            "old_due_on": old_due,
            "new_due_on": new_due_on,
            "reason": reason,
            "version": action.version,
        },
        saved=[action, update],
    )
    _chase_owner(action)
    return action


@transaction.atomic
def action_cancel(*, actor, action: Action, reason: str, version: int | None = None) -> Action:
    """Cancel an action that is not closed. A reason is required; the reminders stop."""
    action = _lock(action, version)
    _require(actor, actor is None or access.can(actor, "action.manage", action.unit))
    reason = _clean_text(reason, "reason", _("Say why the action is cancelled."), 500)
    _require_status(action, [*ACTIVE, ActionStatus.DONE], _("This action is already closed or cancelled."))
    old_status = action.status
    action.status, action.cancelled_at, action.cancel_reason = ActionStatus.CANCELLED, timezone.now(), reason
    _save(action, actor=actor, reason="action cancelled")
    update = _log(
        action,
        actor=actor,
        kind=UpdateKind.CANCELLED,
        text=reason,
        old_status=old_status,
        new_status=action.status,
    )
    record_event(
        actor=actor,
        event_type="ACTION_CANCELLED",
        target=action,
        payload={"reason": reason, "old_status": old_status, "version": action.version},
        saved=[action, update],
    )
    chase.close(target=action)
    return action


@transaction.atomic
def action_reassign(*, actor, action: Action, owner, reason: str, version: int | None = None) -> Action:
    """Give the action to another owner (a reason is required); the reminders follow."""
    action = _lock(action, version)
    _require(actor, actor is None or access.can(actor, "action.manage", action.unit))
    reason = _clean_text(reason, "reason", _("Say why the owner changes."), 500)
    _require_status(action, [*ACTIVE, ActionStatus.DONE], _("A closed or cancelled action keeps its owner."))
    if owner is not None and owner.pk == action.owner_id:
        raise DomainError(_("This person already owns the action."), field="owner")
    _check_person(owner, action.unit, "owner")
    old_owner = action.owner
    action.owner = owner
    action.contributors.remove(owner)
    _save(action, actor=actor, reason="owner changed")
    update = _log(action, actor=actor, kind=UpdateKind.REASSIGNED, text=f"{old_owner} → {owner}: {reason}")
    record_event(
        actor=actor,
        event_type="ACTION_REASSIGNED",
        target=action,
        payload={
            "old_owner": old_owner.pk,
            "new_owner": owner.pk,
            "reason": reason,
            "version": action.version,
        },
        saved=[action, update],
    )
    chase.close(target=action, recipient=old_owner, kind=CHASE_KIND)
    if action.is_active:
        _chase_owner(action)
    return action


EDITABLE = ("title", "description", "kind", "priority")


@transaction.atomic
def action_update(
    *, actor, action: Action, version: int | None = None, reason: str = "", contributors=None, **data
) -> Action:
    """Change what an open or in-progress action says (title, description, kind, priority,
    contributors). The due date and the owner change through postpone and reassign."""
    unknown = set(data) - set(EDITABLE)
    if unknown:
        raise DomainError(_("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))})
    action = _lock(action, version)
    _require(actor, actor is None or access.can(actor, "action.manage", action.unit))
    _require_status(action, ACTIVE, _("Only an open or in-progress action can be changed."))
    if "title" in data:
        data["title"] = _clean_text(data["title"], "title", _("Give the action a title."), TITLE_MAX)
    if "description" in data:
        data["description"] = (data["description"] or "").strip()
    if data.get("priority", Priority.MEDIUM) not in Priority.values:
        raise DomainError(_("Choose a priority."), field="priority")
    if data.get("kind", ActionKind.CORRECTIVE) not in ActionKind.values:
        raise DomainError(_("Choose a kind of action."), field="kind")
    changes = apply_changes(action, data)
    if contributors is not None:
        wanted = [c for c in dict.fromkeys(contributors) if c.pk != action.owner_id]
        for person in wanted:
            if not action.contributors.filter(pk=person.pk).exists():
                _check_person(person, action.unit, "contributors")
        before = sorted(action.contributors.values_list("pk", flat=True))
        after = sorted(c.pk for c in wanted)
        if before != after:
            action.contributors.set(wanted)
            changes["contributors"] = [before, after]
    if not changes:
        return action
    _save(action, actor=actor, reason=reason or "action changed")
    update = _log(action, actor=actor, kind=UpdateKind.EDITED, text=reason.strip())
    record_event(
        actor=actor,
        event_type="ACTION_UPDATED",
        target=action,
        payload={"changes": changes, "reason": reason, "version": action.version},
        saved=[action, update],
    )
    return action


@transaction.atomic
def action_comment(*, actor, action: Action, text: str) -> ActionUpdate:
    """Add a comment to the log. Comments do not change the action, so they never conflict."""
    text = _clean_text(text, "text", _("Write the comment."), 4000)
    action = Action.objects.select_related("unit").get(pk=action.pk)
    _require(actor, actor is None or is_worker(actor, action) or access.can(actor, "action.comment", action.unit))
    update = _log(action, actor=actor, kind=UpdateKind.COMMENT, text=text)
    record_event(actor=actor, event_type="ACTION_COMMENTED", target=action, payload={"text": text}, saved=[update])
    return update


# ---------------------------------------------------------------------------- policy


@transaction.atomic
def due_policy_set(*, actor, priority: str, days: int) -> DuePolicy:
    """Set how many days an action of this priority gets (administrators)."""
    if priority not in Priority.values:
        raise DomainError(_("Choose a priority."), field="priority")
    if not isinstance(days, int) or not 1 <= days <= 730:
        raise DomainError(_("Give a number of days between 1 and 730."), field="days")
    if actor is not None and not access.can_anywhere(actor, "action.policy"):
        raise PermissionDenied(_("Only administrators change the due-date policy."))
    policy = DuePolicy.objects.select_for_update().filter(priority=priority).first()
    old = policy.days if policy else DEFAULT_DUE_DAYS[Priority(priority)]
    if policy is None:
        policy = DuePolicy(priority=priority, days=days)
        if days == old:
            return policy  # the default already says so: nothing to record
    elif policy.days == days:
        return policy
    else:
        policy.days = days
    governed_save(policy, actor=actor, reason="due policy set")
    record_event(
        actor=actor,
        event_type="ACTION_DUE_POLICY_SET",
        target=policy,
        payload={"priority": priority, "old_days": old, "new_days": days},
        saved=[policy],
        unit_path="",
    )
    return policy
