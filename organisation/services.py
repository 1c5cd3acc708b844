"""Every write to the organisation: units, people and role memberships."""

from __future__ import annotations

import datetime

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import access
from core.exceptions import DomainError
from core.services import apply_changes, governed_save, record_event
from organisation import hooks
from organisation.choices import Role, UnitKind
from organisation.models import Membership, Unit, User

_ALLOWED_PARENT = {UnitKind.SITE: {UnitKind.COMPANY}, UnitKind.WORK_UNIT: {UnitKind.SITE, UnitKind.WORK_UNIT}}


def _check_parent(kind: str, parent: Unit | None) -> None:
    if kind == UnitKind.COMPANY:
        if parent is not None:
            raise DomainError(_("A company is the top of its tree and has no parent unit."), field="parent")
        return
    if parent is None:
        raise DomainError(_("A site or work unit needs a parent unit."), field="parent")
    if parent.kind not in _ALLOWED_PARENT[kind]:
        raise DomainError(
            _("A %(kind)s cannot be placed under a %(parent)s.")
            % {"kind": UnitKind(kind).label.lower(), "parent": UnitKind(parent.kind).label.lower()},
            field="parent",
        )


@transaction.atomic
def unit_create(*, actor, kind: str, name: str, code: str, parent: Unit | None = None, headcount=None) -> Unit:
    """Create a unit. A company is a root; a site sits under a company; a work unit under a site."""
    _check_parent(kind, parent)
    if Unit.objects.filter(code=code).exists():
        raise DomainError(_("Another unit already uses the code %(code)s.") % {"code": code}, field="code")
    unit = Unit(kind=kind, name=name, code=code, parent=parent, headcount=headcount, path="")
    # The path needs the id: save once to get it, then again with the path (one history row each is
    # avoided by skipping history on the first save).
    unit.skip_history_when_saving = True
    unit.save()
    del unit.skip_history_when_saving
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    governed_save(unit, actor=actor, reason="unit created")
    record_event(
        actor=actor,
        event_type="UNIT_CREATED",
        target=unit,
        payload={"kind": kind, "name": name, "code": code, "parent": parent.pk if parent else None},
        saved=[unit],
    )
    return unit


@transaction.atomic
def unit_update(*, actor, unit: Unit, reason: str = "", **data) -> Unit:
    """Rename or move a unit. A unit cannot move under itself or one of its own descendants."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    new_parent = data.pop("parent", unit.parent)
    if new_parent != unit.parent:
        if new_parent is not None and (new_parent.pk == unit.pk or new_parent.path.startswith(unit.path)):
            raise DomainError(_("A unit cannot be moved under itself or one of its own units."), field="parent")
        _check_parent(unit.kind, new_parent)
    if "code" in data and data["code"] != unit.code and Unit.objects.filter(code=data["code"]).exists():
        raise DomainError(_("Another unit already uses the code %(code)s.") % {"code": data["code"]}, field="code")
    changes = apply_changes(unit, data)
    saved = []
    if new_parent != unit.parent:
        changes["parent"] = [unit.parent_id, new_parent.pk if new_parent else None]
        old_path = unit.path
        unit.parent = new_parent
        unit.path = f"{new_parent.path}{unit.pk}/"
        # Descendants keep their place in the subtree; each move is a history row of its own.
        for child in Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk).order_by("path"):
            child.path = unit.path + child.path[len(old_path):]
            governed_save(child, actor=actor, reason=f"moved with {unit.code}")
            saved.append(child)
    if not changes:
        return unit
    governed_save(unit, actor=actor, reason=reason or "unit updated")
    saved.insert(0, unit)
    record_event(
        actor=actor, event_type="UNIT_UPDATED", target=unit, payload={"changes": changes, "reason": reason},
        saved=saved,
    )
    return unit


@transaction.atomic
def unit_deactivate(*, actor, unit: Unit, reason: str) -> Unit:
    if not reason.strip():
        raise DomainError(_("Say why the unit is deactivated."), field="reason")
    if unit.children.filter(is_active=True).exists():
        raise DomainError(_("Deactivate or move the units below it first."))
    unit.is_active = False
    governed_save(unit, actor=actor, reason=reason)
    record_event(actor=actor, event_type="UNIT_DEACTIVATED", target=unit, payload={"reason": reason}, saved=[unit])
    return unit


PERSON_FIELDS = ("first_name", "last_name", "email", "language", "time_zone", "manager", "job_title", "wants_digest")


@transaction.atomic
def person_create(*, actor, username: str, email: str, first_name: str = "", last_name: str = "",
                  password: str | None = None, **profile) -> User:
    """Create a person. Without a password they set one through the reset e-mail."""
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("This user name is taken."), field="username")
    if email and User.objects.filter(email__iexact=email).exists():
        raise DomainError(_("Another person already has this e-mail address."), field="email")
    person = User(username=username, email=email, first_name=first_name, last_name=last_name, **profile)
    if password:
        try:
            validate_password(password, person)
        except ValidationError as exc:
            raise DomainError(" ".join(exc.messages), field="password")
        person.set_password(password)
    else:
        person.set_unusable_password()
    governed_save(person, actor=actor, reason="person created")
    record_event(
        actor=actor, event_type="PERSON_CREATED", target=person,
        payload={"username": username, "email": email, "name": person.get_full_name()}, saved=[person],
    )
    return person


@transaction.atomic
def person_update(*, actor, person: User, reason: str = "", **data) -> User:
    unknown = set(data) - set(PERSON_FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))})
    manager = data.get("manager")
    if manager is not None:
        # Escalations walk up the manager chain: refuse a loop.
        walker, seen = manager, set()
        while walker is not None and walker.pk not in seen:
            if walker.pk == person.pk:
                raise DomainError(_("This would make the person their own manager's manager."), field="manager")
            seen.add(walker.pk)
            walker = walker.manager
    email = data.get("email")
    if email and User.objects.filter(email__iexact=email).exclude(pk=person.pk).exists():
        raise DomainError(_("Another person already has this e-mail address."), field="email")
    changes = apply_changes(person, data)
    if not changes:
        return person
    governed_save(person, actor=actor, reason=reason or "profile updated")
    record_event(actor=actor, event_type="PERSON_UPDATED", target=person, payload={"changes": changes}, saved=[person])
    return person


@transaction.atomic
def person_deactivate(*, actor, person: User, reason: str) -> User:
    """People are deactivated, never deleted; their open memberships end today."""
    if not reason.strip():
        raise DomainError(_("Say why the person is deactivated."), field="reason")
    if person.pk == getattr(actor, "pk", None):
        raise DomainError(_("You cannot deactivate yourself."))
    person.is_active = False
    governed_save(person, actor=actor, reason=reason)
    saved = [person]
    today = timezone.localdate()
    for membership in person.memberships.active(today):
        membership.ends_on = max(today, membership.starts_on)
        governed_save(membership, actor=actor, reason=f"person deactivated: {reason}")
        saved.append(membership)
    record_event(actor=actor, event_type="PERSON_DEACTIVATED", target=person, payload={"reason": reason}, saved=saved)
    return person


def _check_dates(starts_on: datetime.date, ends_on: datetime.date | None, role: str) -> None:
    if ends_on is not None and ends_on < starts_on:
        raise DomainError(_("The end date is before the start date."), field="ends_on")
    if role == Role.AUDITOR and ends_on is None:
        raise DomainError(_("Auditor access must have an end date."), field="ends_on")


@transaction.atomic
def membership_grant(*, actor, user: User, unit: Unit, role: str, starts_on=None, ends_on=None, note: str = "") -> Membership:
    """Give a person a role on a unit. An auditor grant must end; its scope is the unit and below."""
    starts_on = starts_on or timezone.localdate()
    _check_dates(starts_on, ends_on, role)
    if not user.is_active:
        raise DomainError(_("This person is deactivated."), field="user")
    overlapping = Membership.objects.filter(user=user, unit=unit, role=role).filter(
        **({"starts_on__lte": ends_on} if ends_on else {})
    ).exclude(ends_on__lt=starts_on)
    if overlapping.exists():
        raise DomainError(_("This person already holds this role on this unit for these dates."), field="role")
    membership = Membership(user=user, unit=unit, role=role, starts_on=starts_on, ends_on=ends_on, note=note)
    governed_save(membership, actor=actor, reason=note or "role granted")
    record_event(
        actor=actor,
        event_type="AUDITOR_ACCESS_GRANTED" if role == Role.AUDITOR else "ROLE_GRANTED",
        target=membership,
        payload={"user": user.pk, "unit": unit.pk, "role": role, "starts_on": starts_on, "ends_on": ends_on, "note": note},
        saved=[membership],
    )
    access.forget(user)
    for hook in hooks.membership_granted:
        hook(membership, actor)
    return membership


@transaction.atomic
def membership_end(*, actor, membership: Membership, ends_on=None, reason: str = "") -> Membership:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    ends_on = ends_on or timezone.localdate()
    if ends_on < membership.starts_on:
        raise DomainError(_("The end date is before the start date."), field="ends_on")
    changes = apply_changes(membership, {"ends_on": ends_on})
    if not changes:
        return membership
    governed_save(membership, actor=actor, reason=reason or "role ended")
    record_event(
        actor=actor, event_type="ROLE_ENDED", target=membership,
        payload={"changes": changes, "reason": reason}, saved=[membership],
    )
    access.forget(membership.user)
    return membership


@transaction.atomic
def person_set_preferences(*, actor, person: User, language: str | None = None, time_zone: str | None = None,
                           wants_digest: bool | None = None) -> User:
    data = {k: v for k, v in {"language": language, "time_zone": time_zone, "wants_digest": wants_digest}.items()
            if v is not None}
    return person_update(actor=actor, person=person, reason="preferences changed", **data)
