"""Writes to delegations of authority: propose, accept (signed), refuse, revoke.

Rules:
1. The head of the company (a manager of the company unit) delegates directly. Anyone else
   delegates only within a delegation they hold and have accepted: its units (or units below
   them), its domains, its dates and its budget.
2. The delegate accepts with a signature (the password again; a wrong one is refused and recorded)
   or refuses with a reason. Revoking needs a reason, and revokes the sub-delegations made within.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import access, chase
from core.exceptions import ConflictError, DomainError
from core.services import governed_save, record_event
from decisions import signing
from delegations.choices import DelegationStatus, Domain
from delegations.models import Delegation
from organisation.choices import Role
from organisation.models import Membership

ACCEPT_DAYS = 7


def delegation_content(delegation: Delegation) -> dict:
    """The canonical rendering of what the delegate accepts."""
    return {
        "delegation": delegation.pk,
        "delegator": {"id": delegation.delegator_id, "name": str(delegation.delegator)},
        "delegate": {"id": delegation.delegate_id, "name": str(delegation.delegate)},
        "parent": delegation.parent_id,
        "units": sorted([{"id": u.pk, "name": u.name} for u in delegation.units.all()], key=lambda u: u["id"]),
        "domains": sorted(delegation.domains),
        "competence": delegation.competence,
        "authority": delegation.authority,
        "means": delegation.means,
        "budget": str(delegation.budget) if delegation.budget is not None else None,
        "starts_on": delegation.starts_on.isoformat(),
        "ends_on": delegation.ends_on.isoformat() if delegation.ends_on else None,
    }


def unit_path_for(delegation: Delegation) -> str:
    """The ledger entry sits on the delegation's first unit (for scoping the ledger screen)."""
    first = delegation.units.order_by("path").first()
    return first.path if first else ""


def is_head_of(person, unit) -> bool:
    """A manager of the company (root) unit above ``unit``: the holder of the original powers."""
    return Membership.objects.active().filter(user=person, role=Role.MANAGER, unit_id=unit.company_id,
                                              unit__is_active=True).exists()


def _within(child_units, parent_units) -> bool:
    return all(any(u.path.startswith(p.path) for p in parent_units) for u in child_units)


def check_within(*, parent: Delegation, units, domains, budget, starts_on, ends_on) -> None:
    """A sub-delegation must lie within the delegator's own delegation."""
    if not _within(units, list(parent.units.all())):
        raise DomainError(_("The units must lie within those of your own delegation."), field="units")
    extra = set(domains) - set(parent.domains)
    if extra:
        raise DomainError(_("Your own delegation does not cover: %(d)s.")
                          % {"d": ", ".join(str(Domain(d).label) for d in sorted(extra))}, field="domains")
    if starts_on < parent.starts_on:
        raise DomainError(_("It cannot start before your own delegation (%(d)s).") % {"d": parent.starts_on},
                          field="starts_on")
    if parent.ends_on is not None and (ends_on is None or ends_on > parent.ends_on):
        raise DomainError(_("It must end by the end of your own delegation (%(d)s).") % {"d": parent.ends_on},
                          field="ends_on")
    if parent.budget is not None and (budget is None or budget > parent.budget):
        raise DomainError(_("The budget cannot exceed that of your own delegation (%(b)s EUR).")
                          % {"b": parent.budget}, field="budget")


@transaction.atomic
def delegation_propose(*, actor, delegator, delegate, units, domains, competence: str, authority: str, means: str,
                       starts_on: datetime.date, ends_on: datetime.date | None = None, budget: Decimal | None = None,
                       parent: Delegation | None = None) -> Delegation:
    units = list(dict.fromkeys(units or ()))
    domains = sorted(set(domains or ()))
    if not units:
        raise DomainError(_("Choose the units the delegation covers."), field="units")
    for unit in units:
        if not (actor.pk == delegator.pk or access.can(actor, "organisation.manage", unit)):
            raise PermissionDenied(_("Only the delegator or an administrator of the units may propose it."))
    if delegator.pk == delegate.pk:
        raise DomainError(_("A person cannot delegate to themselves."), field="delegate")
    if not delegate.is_active:
        raise DomainError(_("This person is deactivated."), field="delegate")
    if not domains or set(domains) - set(Domain.values):
        raise DomainError(_("Choose at least one domain."), field="domains")
    for name, value in (("competence", competence), ("authority", authority), ("means", means)):
        if not (value or "").strip():
            raise DomainError(_("A delegation must say precisely what is granted."), field=name)
    if ends_on is not None and ends_on < starts_on:
        raise DomainError(_("The end date is before the start date."), field="ends_on")
    if budget is not None and budget < 0:
        raise DomainError(_("The budget cannot be negative."), field="budget")
    if parent is not None:
        parent = Delegation.objects.select_for_update().get(pk=parent.pk)
        if parent.delegate_id != delegator.pk or parent.status != DelegationStatus.ACCEPTED:
            raise DomainError(_("A sub-delegation lies within a delegation its delegator holds and has accepted."),
                              field="parent")
        check_within(parent=parent, units=units, domains=domains, budget=budget, starts_on=starts_on,
                     ends_on=ends_on)
    elif not all(is_head_of(delegator, unit) for unit in units):
        raise DomainError(_("Only the head of the company delegates directly; anyone else delegates within a "
                            "delegation they hold."), field="parent")
    for unit in units:
        if not access.can(delegate, "view", unit):
            raise DomainError(_("%(name)s holds no role on %(unit)s.") % {"name": delegate, "unit": unit},
                              field="delegate")
    delegation = Delegation(delegator=delegator, delegate=delegate, parent=parent, domains=domains,
                            competence=competence.strip(), authority=authority.strip(), means=means.strip(),
                            budget=budget, starts_on=starts_on, ends_on=ends_on, proposed_by=actor)
    governed_save(delegation, actor=actor, reason="delegation proposed")
    delegation.units.set(units)
    due = timezone.now() + datetime.timedelta(days=ACCEPT_DAYS)
    chase.open(kind="delegation", target=delegation, recipient=delegate, due_at=due,
               title=_("Accept or refuse a delegation from %(name)s") % {"name": delegator},
               url=reverse("delegations:delegation_detail", kwargs={"pk": delegation.pk}),
               unit_path=units[0].path)
    content = delegation_content(delegation)
    record_event(actor=actor, event_type="DELEGATION_PROPOSED", target=delegation,
                 payload={"content": content, "content_hash": signing.sha256_of(content)}, saved=[delegation],
                 unit_path=unit_path_for(delegation))
    return delegation


def _lock(delegation) -> Delegation:
    return Delegation.objects.select_for_update().get(pk=delegation.pk)


def delegation_accept(*, actor, delegation: Delegation, password: str) -> Delegation:
    """The delegate accepts with a signature: the password again, and the hash of what is accepted."""
    delegation = Delegation.objects.get(pk=delegation.pk)
    if delegation.delegate_id != actor.pk:
        raise PermissionDenied(_("Only the delegate accepts a delegation."))
    if delegation.status != DelegationStatus.PROPOSED:
        raise ConflictError(_("This delegation is %(s)s.") % {"s": delegation.get_status_display().lower()})
    signing.check_password(actor=actor, password=password, target=delegation, what="delegation acceptance",
                           unit_path=unit_path_for(delegation))
    return _accept(actor=actor, delegation=delegation)


@transaction.atomic
def _accept(*, actor, delegation: Delegation) -> Delegation:
    delegation = _lock(delegation)
    if delegation.status != DelegationStatus.PROPOSED:
        raise ConflictError(_("This delegation was %(s)s meanwhile.") % {"s": delegation.get_status_display().lower()})
    if delegation.parent_id and delegation.parent.status != DelegationStatus.ACCEPTED:
        raise ConflictError(_("The delegation this one lies within is no longer in force."))
    content = delegation_content(delegation)
    delegation.status = DelegationStatus.ACCEPTED
    delegation.accepted_at = timezone.now()
    delegation.acceptance_hash = signing.sha256_of(content)
    governed_save(delegation, actor=actor, reason="delegation accepted and signed")
    chase.close(target=delegation)
    record_event(actor=actor, event_type="DELEGATION_ACCEPTED", target=delegation,
                 payload={"content_hash": delegation.acceptance_hash, "signed_at": delegation.accepted_at},
                 saved=[delegation], unit_path=unit_path_for(delegation))
    return delegation


@transaction.atomic
def delegation_refuse(*, actor, delegation: Delegation, reason: str) -> Delegation:
    delegation = _lock(delegation)
    if delegation.delegate_id != actor.pk:
        raise PermissionDenied(_("Only the delegate refuses a delegation."))
    if delegation.status != DelegationStatus.PROPOSED:
        raise ConflictError(_("This delegation is %(s)s.") % {"s": delegation.get_status_display().lower()})
    if not (reason or "").strip():
        raise DomainError(_("Say why you refuse the delegation."), field="reason")
    delegation.status = DelegationStatus.REFUSED
    delegation.refused_at = timezone.now()
    delegation.refusal_reason = reason.strip()[:500]
    governed_save(delegation, actor=actor, reason=reason.strip())
    chase.close(target=delegation)
    record_event(actor=actor, event_type="DELEGATION_REFUSED", target=delegation, payload={"reason": reason.strip()},
                 saved=[delegation], unit_path=unit_path_for(delegation))
    return delegation


def can_revoke(user, delegation: Delegation) -> bool:
    return delegation.delegator_id == user.pk or all(
        access.can(user, "organisation.manage", unit) for unit in delegation.units.all())


@transaction.atomic
def delegation_revoke(*, actor, delegation: Delegation, reason: str) -> Delegation:
    """The delegator (or an administrator) revokes; sub-delegations made within it end with it."""
    delegation = _lock(delegation)
    if not can_revoke(actor, delegation):
        raise PermissionDenied(_("Only the delegator or an administrator of its units may revoke it."))
    if delegation.status not in (DelegationStatus.PROPOSED, DelegationStatus.ACCEPTED):
        raise ConflictError(_("This delegation is %(s)s.") % {"s": delegation.get_status_display().lower()})
    if not (reason or "").strip():
        raise DomainError(_("Say why the delegation is revoked."), field="reason")
    _revoke(actor=actor, delegation=delegation, reason=reason.strip())
    return delegation


def _revoke(*, actor, delegation: Delegation, reason: str) -> None:
    delegation.status = DelegationStatus.REVOKED
    delegation.revoked_at = timezone.now()
    delegation.revoke_reason = reason[:500]
    governed_save(delegation, actor=actor, reason=reason)
    chase.close(target=delegation)
    record_event(actor=actor, event_type="DELEGATION_REVOKED", target=delegation, payload={"reason": reason},
                 saved=[delegation], unit_path=unit_path_for(delegation))
    children = Delegation.objects.select_for_update().filter(
        parent=delegation, status__in=(DelegationStatus.PROPOSED, DelegationStatus.ACCEPTED))
    for child in children:
        _revoke(actor=actor, delegation=child,
                reason=_("The delegation it lies within was revoked: %(r)s") % {"r": reason})


