"""Pieces shared by the decision and alarm services: links and the optional neighbour apps."""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext as _

from core.exceptions import DomainError
from core.ledger import label_for
from core.services import governed_save
from decisions import links as link_registry
from decisions.models import RecordLink


def save_links(*, actor, owner_field: str, owner, refs, reason: str) -> list[RecordLink]:
    """Create the links of a decision or alarm from ``(type, id)`` pairs or ``"type:id"`` strings."""
    made, seen = [], set()
    for ref in refs or ():
        target_type, target_id = link_registry.parse(ref) if isinstance(ref, str) else ref
        target = link_registry.resolve(actor, target_type, target_id)
        key = (target_type, str(target.pk))
        if key in seen or (owner_field == "decision" and target_type == "decisions.decision"
                           and str(target.pk) == str(owner.pk)):
            continue
        seen.add(key)
        link = RecordLink(**{owner_field: owner}, target_type=target_type, target_id=str(target.pk),
                          label=str(target)[:300])
        governed_save(link, actor=actor, reason=reason)
        made.append(link)
    return made


def link_object(*, actor, owner_field: str, owner, target, reason: str) -> RecordLink:
    """Link a record made by Siris itself (an action opened) without the visibility check."""
    link = RecordLink(**{owner_field: owner}, target_type=label_for(target), target_id=str(target.pk),
                      label=str(target)[:300])
    governed_save(link, actor=actor, reason=reason)
    return link


def actions_installed() -> bool:
    return apps.is_installed("actions")


def risks_installed() -> bool:
    return apps.is_installed("risks")


def open_action(*, actor, title: str, description: str, origin, unit, owner, due_on, priority: str):
    """Open an action through the actions app (corrective: it answers a situation)."""
    if not actions_installed():
        raise DomainError(_("Actions cannot be opened: the actions app is not installed."), field="actions")
    from actions import services as action_services

    return action_services.action_open(
        actor=actor, title=title, description=description, origin=origin, unit=unit, owner=owner,
        contributors=(), due_on=due_on, priority=priority, kind="corrective",
    )
