"""Reads of controls and inspections shared by screens, API, dashboard and dossiers."""

from __future__ import annotations

import datetime

from django.db.models import CharField, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.utils import timezone

from controls import schedule
from controls.choices import DueState
from controls.models import ChecklistItem, Control, Inspection, MissedInspection
from core import access
from core.ledger import label_for
from core.models import LedgerEntry

SORTS = {
    "due": ("next_due_on", "title"), "-due": ("-next_due_on", "title"),
    "title": ("title",), "-title": ("-title",),
    "unit": ("unit__path", "title"), "-unit": ("-unit__path", "title"),
    "last": ("last_performed_at", "title"), "-last": ("-last_performed_at", "title"),
}


def controls_visible_to(user, roles=None):
    return access.visible_to(Control.objects.all(), user, roles=roles)


def control_for_user(user, pk, action="view") -> Control:
    """A control the user may see (404 otherwise), with the action checked (403)."""
    return access.get_for_user(Control.objects.select_related("unit", "owner"), user, pk, action)


def can_inspect(user, control: Control) -> bool:
    """QSE managers, managers and administrators of the unit record inspections; so does the
    control's owner, whatever their role (auditors never write)."""
    if access.can(user, "inspection.record", control.unit):
        return True
    return (control.owner_id == getattr(user, "pk", None) and access.can(user, "view", control.unit)
            and not access.is_auditor_only(user))


def control_list(user, *, q="", unit=None, kind="", owner=None, state="", sort="due", today=None):
    """Controls the user can see, filtered, with their latest inspection (one query)."""
    today = today or timezone.localdate()
    latest = Inspection.objects.effective().filter(control=OuterRef("pk")).order_by("-performed_at")
    controls = controls_visible_to(user).select_related("unit", "owner").annotate(
        last_performed_at=Subquery(latest.values("performed_at")[:1]),
        last_result=Subquery(latest.values("result")[:1]),
    )
    if q:
        controls = controls.filter(Q(title__icontains=q) | Q(description__icontains=q))
    if unit is not None:
        controls = controls.filter(unit__path__startswith=unit.path)
    if kind:
        controls = controls.filter(kind=kind)
    if owner is not None:
        controls = controls.filter(owner=owner)
    soon = today + datetime.timedelta(days=schedule.DUE_SOON_DAYS)
    if state == DueState.OVERDUE:
        controls = controls.filter(is_active=True, next_due_on__lt=today)
    elif state == DueState.DUE_SOON:
        controls = controls.filter(is_active=True, next_due_on__gte=today, next_due_on__lte=soon)
    elif state == DueState.PENDING:
        controls = controls.filter(is_active=True, next_due_on__gt=soon)
    elif state == DueState.RETIRED:
        controls = controls.filter(is_active=False)
    elif state != "all":
        controls = controls.filter(is_active=True)
    return controls.order_by(*SORTS.get(sort, SORTS["due"]), "pk")


def checklist_of(control: Control):
    return list(control.checklist_items.filter(is_active=True).order_by("position"))


def inspections_of(control: Control, limit: int = 50):
    return list(control.inspections.select_related("performed_by", "corrects").prefetch_related("correction")
                .order_by("-performed_at", "-pk")[:limit])


def inspection_for_user(user, pk) -> Inspection:
    return access.get_for_user(
        Inspection.objects.select_related("control", "control__unit", "control__owner", "unit", "performed_by",
                                          "corrects"),
        user, pk, "view")


def effective_of(inspection: Inspection) -> Inspection:
    """The latest record of a correction chain (the one reports count)."""
    current = inspection
    for _ in range(100):
        nxt = Inspection.objects.filter(corrects=current).first()
        if nxt is None:
            return current
        current = nxt
    return current


def inspection_list(user, *, unit=None, control=None, result="", start=None, end=None):
    inspections = access.visible_to(Inspection.objects.effective(), user).select_related(
        "control", "unit", "performed_by")
    if unit is not None:
        inspections = inspections.filter(unit__path__startswith=unit.path)
    if control is not None:
        inspections = inspections.filter(control=control)
    if result:
        inspections = inspections.filter(result=result)
    if start:
        inspections = inspections.filter(performed_at__date__gte=start)
    if end:
        inspections = inspections.filter(performed_at__date__lte=end)
    return inspections.order_by("-performed_at", "-pk")


def control_timeline(control: Control, limit: int = 200):
    """Ledger events of the control and of its inspections, newest first (one query). Reminders
    the reminders app sends for the next inspection due target the control, so they show too."""
    inspection_ids = Inspection.objects.filter(control=control).annotate(
        key=Cast("pk", CharField())).values("key")
    return (LedgerEntry.objects.filter(
        Q(target_type=label_for(Control), target_id=str(control.pk))
        | Q(target_type=label_for(Inspection), target_id__in=inspection_ids)
    ).order_by("-seq")[:limit])


def owned_due(user, today=None, limit=20):
    """The user's own controls due within a week or overdue (dashboard)."""
    today = today or timezone.localdate()
    return list(Control.objects.active().filter(
        owner=user, next_due_on__lte=today + datetime.timedelta(days=schedule.DUE_SOON_DAYS))
        .select_related("unit").order_by("next_due_on", "pk")[:limit])


def overdue_in_units(user, roles, today=None, limit=10):
    """(count, first ones) of overdue controls on the units where the user holds one of ``roles``."""
    overdue = access.visible_to(Control.objects.overdue(today), user, roles=roles)
    return overdue.count(), list(overdue.select_related("unit", "owner").order_by("next_due_on", "pk")[:limit])


def control_dossier_data(control: Control) -> dict:
    """Everything a proof dossier prints about a control: schedule, checklist, every inspection
    with its answers (corrections included), the missed dates and the ledger timeline."""
    inspections = list(control.inspections.select_related("performed_by", "corrects")
                       .prefetch_related("answers").order_by("performed_at", "pk"))
    return {
        "control": control,
        "checklist": checklist_of(control),
        "inspections": inspections,
        "missed": list(control.missed.order_by("due_on")),
        "timeline": list(control_timeline(control)),
        "overdue_dates": overdue_dates(control),
    }


def overdue_dates(control: Control, today=None) -> list[datetime.date]:
    """Scheduled dates that passed with no inspection yet (computed from dates)."""
    today = today or timezone.localdate()
    if not control.is_active or control.next_due_on >= today:
        return []
    return schedule.occurrences(control.next_due_on, control.frequency_count, control.frequency_unit,
                                until=today - datetime.timedelta(days=1))


def controls_as_of(unit, day: datetime.date) -> dict:
    """How the controls of ``unit`` (and below) stood at the end of ``day``: each control as its
    history row said then, the inspections performed up to then, and the dates missed by then."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))
    rows = Control.history.as_of(moment).filter(unit__path__startswith=unit.path)
    controls = list(rows.order_by("title"))
    ids = [c.id for c in controls]
    inspections = list(Inspection.objects.filter(control_id__in=ids, performed_at__lte=moment)
                       .select_related("performed_by").prefetch_related("answers").order_by("performed_at", "pk"))
    missed = list(MissedInspection.objects.filter(control_id__in=ids, due_on__lte=day).order_by("due_on"))
    items = list(ChecklistItem.history.as_of(moment).filter(control_id__in=ids, is_active=True).order_by("position"))
    return {"controls": controls, "inspections": inspections, "missed": missed, "checklist_items": items,
            "overdue_on": {c.id: c.is_active and c.next_due_on < day for c in controls}}
