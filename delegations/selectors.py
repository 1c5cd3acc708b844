"""Reads of delegations, and the responsibility map as of a date.

The map is built from row history (``Model.history.as_of``): for a unit and a day D it shows what
the records said at the end of D (who owned each requirement, risk, control and action, which
delegations were in force, who held which role), so it stays right after ownership changes.
"""

from __future__ import annotations

import datetime

from django.apps import apps
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import access
from delegations.choices import DelegationStatus
from delegations.models import Delegation
from organisation.models import Membership, Unit, User

# The other apps' records that have an owner, shown when their app is installed.
OWNED_RECORDS = [
    ("requirements", "Requirement", _("Requirements")),
    ("risks", "Risk", _("Risks")),
    ("controls", "Control", _("Controls")),
    ("actions", "Action", _("Actions")),
]


def delegations_visible_to(user):
    """Delegations covering a unit the user can see, those the user gave or received, and the ones
    above the user's own in its chain (the powers theirs come from)."""
    if access.is_superuser(user):
        return Delegation.objects.all()
    through = Delegation.units.through
    scoped = access.visible_to(through.objects.filter(delegation_id=OuterRef("pk")), user)
    below = Delegation.objects.filter(delegate=user)
    chain = Exists(below.filter(parent=OuterRef("pk"))) | Exists(below.filter(parent__parent=OuterRef("pk")))
    return Delegation.objects.filter(Exists(scoped) | Q(delegator=user) | Q(delegate=user) | chain)


def get_delegation_for_user(user, pk) -> Delegation:
    try:
        return delegations_visible_to(user).select_related("delegator", "delegate", "parent", "proposed_by").get(pk=pk)
    except (Delegation.DoesNotExist, ValueError, TypeError):
        raise Http404("No such delegation.") from None


def delegation_list(user, *, status="", unit=None, person=None, domain="", sort="-starts_on"):
    rows = delegations_visible_to(user).select_related("delegator", "delegate").prefetch_related(
        Prefetch("units", queryset=Unit.objects.order_by("path")))
    if status:
        rows = rows.filter(status=status)
    if domain:
        rows = rows.filter(domains__contains=[domain])
    if unit is not None:
        rows = rows.filter(Exists(Delegation.units.through.objects.filter(
            delegation_id=OuterRef("pk"), unit__path__startswith=unit.path)))
    if person is not None:
        rows = rows.filter(Q(delegator=person) | Q(delegate=person))
    allowed = {"starts_on", "-starts_on", "ends_on", "-ends_on", "status", "-status"}
    return rows.order_by(sort if sort in allowed else "-starts_on", "-id")


def delegations_to_accept(user, limit=20):
    return list(Delegation.objects.filter(delegate=user, status=DelegationStatus.PROPOSED)
                .select_related("delegator").order_by("proposed_at")[:limit])


def accepted_delegations_of(person):
    """The delegations a person holds and may sub-delegate within."""
    today = timezone.localdate()
    return Delegation.objects.filter(delegate=person, status=DelegationStatus.ACCEPTED).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today))


def delegation_chain(delegation: Delegation) -> list[Delegation]:
    """From the head of the company down to this delegation."""
    chain = [delegation]
    while chain[0].parent_id:
        chain.insert(0, Delegation.objects.select_related("delegator", "delegate").get(pk=chain[0].parent_id))
    return chain


def delegation_dossier_data(delegation: Delegation) -> dict:
    from core import ledger
    from delegations.services import delegation_content

    return {
        "delegation": delegation,
        "content": delegation_content(delegation),
        "chain": delegation_chain(delegation),
        "sub_delegations": list(delegation.sub_delegations.select_related("delegate")),
        "ledger": list(ledger.timeline(delegation)),
    }


def end_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def _owned_model(app_label: str, model_name: str):
    if not apps.is_installed(app_label):
        return None
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return None
    names = {f.name for f in model._meta.get_fields()}
    if not {"owner", "unit"} <= names or not hasattr(model, "history"):
        return None
    return model


def responsibility_map(unit: Unit, on: datetime.date) -> dict:
    """Who was responsible for ``unit`` at the end of day ``on``, built from row history.

    Returns roles (on the unit, the units above it and the units below), delegations in force
    covering any of those units, and for each owned kind of record of the unit and below, the
    owner recorded then. A fixed number of queries per section, whatever the data size.
    """
    moment = end_of(on)
    subtree = {u.pk: u for u in Unit.objects.filter(path__startswith=unit.path)}
    above = {u.pk: u for u in Unit.objects.filter(pk__in=unit.ancestor_ids()).exclude(pk=unit.pk)}
    units = {**above, **subtree}

    memberships = [
        m for m in Membership.history.as_of(moment).filter(unit_id__in=list(units))
        if m.starts_on <= on and (m.ends_on is None or m.ends_on >= on)
    ]
    through = Delegation.units.through
    covering = set(through.objects.filter(unit_id__in=list(units)).values_list("delegation_id", flat=True))
    delegations = [
        d for d in Delegation.history.as_of(moment).filter(id__in=covering, status=DelegationStatus.ACCEPTED)
        if d.starts_on <= on and (d.ends_on is None or d.ends_on >= on)
    ]
    delegation_units: dict[int, list[str]] = {}
    if delegations:
        for delegation_id, name in through.objects.filter(
                delegation_id__in=[d.pk for d in delegations]).values_list(
                "delegation_id", "unit__name").order_by("unit__path"):
            delegation_units.setdefault(delegation_id, []).append(name)

    sections = []
    for app_label, model_name, label in OWNED_RECORDS:
        model = _owned_model(app_label, model_name)
        if model is None:
            continue
        records = list(model.history.as_of(moment).filter(unit_id__in=list(subtree)).order_by("unit_id", "id"))
        sections.append({"key": f"{app_label}.{model_name.lower()}", "label": label, "records": records})

    people_ids = {m.user_id for m in memberships} | {d.delegator_id for d in delegations} | {
        d.delegate_id for d in delegations} | {r.owner_id for s in sections for r in s["records"] if r.owner_id}
    people = User.objects.in_bulk(people_ids)
    for section in sections:
        section["rows"] = [
            {"record": r, "owner": people.get(r.owner_id), "unit": subtree.get(r.unit_id),
             "status": r.get_status_display() if hasattr(r, "get_status_display") else ""}
            for r in section["records"]
        ]
    roles = sorted(
        ({"unit": units[m.unit_id], "person": people.get(m.user_id), "role": m.get_role_display(),
          "role_code": m.role, "starts_on": m.starts_on, "ends_on": m.ends_on} for m in memberships),
        key=lambda r: (r["unit"].path, r["role_code"], str(r["person"])),
    )
    return {
        "unit": unit,
        "on": on,
        "moment": moment,
        "roles": roles,
        "delegations": [
            {"delegation": d, "delegator": people.get(d.delegator_id), "delegate": people.get(d.delegate_id),
             "units": delegation_units.get(d.pk, []), "domains": d.domain_labels()}
            for d in sorted(delegations, key=lambda d: (d.starts_on, d.pk))
        ],
        "sections": sections,
        "not_installed": [str(label) for app_label, model_name, label in OWNED_RECORDS
                          if _owned_model(app_label, model_name) is None],
    }
