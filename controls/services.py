"""Every write to controls and inspections.

Schedule rule (``inspection_record``): the next due date moves from the *due date the inspection
fulfils*, not from the day it was performed, so a monthly check due on the 5th stays due on the
5th even when one is done late. The inspection fulfils the control's next due date when performed
on or before it (early or on time). Performed after it, it fulfils the latest scheduled date on or
before the day it was performed (late if before that day); the scheduled dates before that one
passed without an inspection and are recorded as missed. The next due date is then the first
scheduled date after the day it was performed.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from controls import hooks, schedule
from controls.choices import NEEDS_ACTION, Answer, ControlKind, FrequencyUnit, InspectionResult
from controls.models import ChecklistItem, Control, Inspection, InspectionAnswer, MissedInspection
from core import access, chase
from core.exceptions import ConflictError, DomainError
from core.services import apply_changes, governed_save, record_event

CONTROL_FIELDS = ("title", "description", "kind", "owner", "unit", "frequency_count", "frequency_unit")


def _check_frequency(count, unit) -> None:
    if count is None or int(count) < 1:
        raise DomainError(_("The frequency must be at least 1 (every 1 day, week, month or year)."),
                          field="frequency_count")
    if unit not in FrequencyUnit.values:
        raise DomainError(_("Choose days, weeks, months or years."), field="frequency_unit")


def _check_owner(owner, unit) -> None:
    if owner is None or not owner.is_active:
        raise DomainError(_("Choose an active person as the owner."), field="owner")
    if not access.can(owner, "view", unit) or access.is_auditor_only(owner):
        raise DomainError(_("The owner must hold a role on this unit or a unit above it."), field="owner")


def _chase_next(control: Control) -> None:
    """The owner is chased for the next inspection due; the previous chase is closed."""
    chase.close(target=control, kind="inspection")
    if not control.is_active:
        return
    chase.open(
        kind="inspection", target=control, recipient=control.owner, due_at=control.next_due_on,
        title=_("Inspection due: %(title)s") % {"title": control.title},
        url=reverse("controls:inspection_create", args=[control.pk]), unit_path=control.unit.path,
    )


@transaction.atomic
def control_create(*, actor, unit, owner, title: str, kind: str, next_due_on: datetime.date,
                   frequency_count: int = 1, frequency_unit: str = FrequencyUnit.MONTH, description: str = "",
                   in_service_since: datetime.date | None = None, checklist=()) -> Control:
    """Create a control on a unit with its schedule (and, optionally, its checklist)."""
    today = timezone.localdate()
    in_service_since = in_service_since or today
    if not title or not title.strip():
        raise DomainError(_("Give the control a title."), field="title")
    if kind not in ControlKind.values:
        raise DomainError(_("Choose preventive, detective or protective."), field="kind")
    _check_frequency(frequency_count, frequency_unit)
    _check_owner(owner, unit)
    if in_service_since > today:
        raise DomainError(_("A control cannot be in service from a future date."), field="in_service_since")
    if next_due_on is None or next_due_on < in_service_since:
        raise DomainError(_("The first inspection cannot be due before the control is in service."),
                          field="next_due_on")
    control = Control(unit=unit, owner=owner, title=title.strip(), description=description, kind=kind,
                      frequency_count=int(frequency_count), frequency_unit=frequency_unit,
                      in_service_since=in_service_since, next_due_on=next_due_on)
    governed_save(control, actor=actor, reason="control created")
    items = _create_items(control, checklist, actor, start=1)
    record_event(
        actor=actor, event_type="CONTROL_CREATED", target=control,
        payload={"title": control.title, "unit": unit.pk, "owner": owner.pk, "kind": kind,
                 "frequency": [control.frequency_count, frequency_unit], "next_due_on": next_due_on,
                 "in_service_since": in_service_since,
                 "checklist": [[i.text, i.required] for i in items]},
        saved=[control, *items],
    )
    _chase_next(control)
    return control


def _clean_items(checklist) -> list[dict]:
    cleaned = []
    for raw in checklist:
        text = (raw.get("text") or "").strip()
        if not text:
            continue
        if len(text) > 300:
            raise DomainError(_("A checklist item is at most 300 characters."), field="checklist")
        cleaned.append({"id": raw.get("id"), "text": text, "required": bool(raw.get("required", True))})
    return cleaned


def _create_items(control, checklist, actor, start: int) -> list[ChecklistItem]:
    items = []
    for offset, data in enumerate(_clean_items(checklist)):
        item = ChecklistItem(control=control, position=start + offset, text=data["text"], required=data["required"])
        governed_save(item, actor=actor, reason="checklist item added")
        items.append(item)
    return items


@transaction.atomic
def control_update(*, actor, control: Control, reason: str = "", **data) -> Control:
    """Change a control's description, owner, unit or frequency. The next due date is changed
    with ``control_reschedule`` (it may record missed dates); the frequency applies from it."""
    unknown = set(data) - set(CONTROL_FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))})
    control = Control.objects.select_for_update().get(pk=control.pk)
    if not control.is_active:
        raise ConflictError(_("This control is retired."))
    if "title" in data and not (data["title"] or "").strip():
        raise DomainError(_("Give the control a title."), field="title")
    if "kind" in data and data["kind"] not in ControlKind.values:
        raise DomainError(_("Choose preventive, detective or protective."), field="kind")
    _check_frequency(data.get("frequency_count", control.frequency_count),
                     data.get("frequency_unit", control.frequency_unit))
    _check_owner(data.get("owner", control.owner), data.get("unit", control.unit))
    owner_before = control.owner_id
    changes = apply_changes(control, data)
    if not changes:
        return control
    governed_save(control, actor=actor, reason=reason or "control changed")
    record_event(actor=actor, event_type="CONTROL_UPDATED", target=control,
                 payload={"changes": changes, "reason": reason}, saved=[control])
    if control.owner_id != owner_before or "unit" in changes or "title" in changes:
        _chase_next(control)
    return control


@transaction.atomic
def control_set_checklist(*, actor, control: Control, items, reason: str = "") -> list[ChecklistItem]:
    """Replace the checklist with ``items`` (ordered dicts: id of a kept item or none, text, required).

    Kept items are updated in place, new ones added, missing ones retired (kept for the answers of
    past inspections, which also keep the text they were asked)."""
    control = Control.objects.select_for_update().get(pk=control.pk)
    if not control.is_active:
        raise ConflictError(_("This control is retired."))
    wanted = _clean_items(items)
    current = {item.pk: item for item in control.checklist_items.filter(is_active=True)}
    saved, changes = [], {"added": [], "changed": [], "removed": []}
    kept_ids = set()
    for position, data in enumerate(wanted, start=1):
        item = current.get(_as_int(data["id"]))
        if item is None:
            item = ChecklistItem(control=control, position=position, text=data["text"], required=data["required"])
            governed_save(item, actor=actor, reason=reason or "checklist item added")
            changes["added"].append(data["text"])
            saved.append(item)
        else:
            kept_ids.add(item.pk)
            diff = apply_changes(item, {"position": position, "text": data["text"], "required": data["required"]})
            if diff:
                governed_save(item, actor=actor, reason=reason or "checklist item changed")
                changes["changed"].append({"id": item.pk, **diff})
                saved.append(item)
    for pk, item in current.items():
        if pk not in kept_ids:
            item.is_active = False
            governed_save(item, actor=actor, reason=reason or "checklist item removed")
            changes["removed"].append(item.text)
            saved.append(item)
    if saved:
        record_event(actor=actor, event_type="CONTROL_CHECKLIST_SET", target=control,
                     payload={**changes, "reason": reason}, saved=saved)
    return list(control.checklist_items.filter(is_active=True).order_by("position"))


def _as_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _record_missed(control: Control, dates, actor, *, reason: str, detected_by=None) -> list[MissedInspection]:
    rows = []
    for day in dates:
        row = MissedInspection(control=control, unit=control.unit, due_on=day, detected_by=detected_by, reason=reason)
        governed_save(row, actor=actor, reason=reason)
        rows.append(row)
    return rows


def _passed_dates(control: Control, before: datetime.date) -> list[datetime.date]:
    """Scheduled dates from the next due date up to (not including) ``before``."""
    if control.next_due_on >= before:
        return []
    return schedule.occurrences(control.next_due_on, control.frequency_count, control.frequency_unit,
                                until=before - datetime.timedelta(days=1))


@transaction.atomic
def control_reschedule(*, actor, control: Control, next_due_on: datetime.date, reason: str) -> Control:
    """Move the next due date. Dates that already passed without an inspection are recorded as missed."""
    if not (reason or "").strip():
        raise DomainError(_("Say why the next inspection is rescheduled."), field="reason")
    control = Control.objects.select_for_update().get(pk=control.pk)
    if not control.is_active:
        raise ConflictError(_("This control is retired."))
    today = timezone.localdate()
    if next_due_on is None or next_due_on < today:
        raise DomainError(_("The next inspection cannot be due in the past."), field="next_due_on")
    if next_due_on == control.next_due_on:
        return control
    missed = _record_missed(control, _passed_dates(control, min(today, next_due_on)), actor,
                            reason=f"rescheduled: {reason}")
    old = control.next_due_on
    control.next_due_on = next_due_on
    governed_save(control, actor=actor, reason=reason)
    record_event(actor=actor, event_type="CONTROL_RESCHEDULED", target=control,
                 payload={"changes": {"next_due_on": [old, next_due_on]}, "reason": reason,
                          "missed": [m.due_on for m in missed]},
                 saved=[control, *missed])
    _chase_next(control)
    return control


@transaction.atomic
def control_retire(*, actor, control: Control, reason: str) -> Control:
    """Stop a control. Its dates that passed without an inspection are recorded as missed."""
    if not (reason or "").strip():
        raise DomainError(_("Say why the control is retired."), field="reason")
    control = Control.objects.select_for_update().get(pk=control.pk)
    if not control.is_active:
        raise ConflictError(_("This control is already retired."))
    missed = _record_missed(control, _passed_dates(control, timezone.localdate()), actor,
                            reason=f"retired: {reason}")
    control.is_active, control.retired_reason = False, reason.strip()
    governed_save(control, actor=actor, reason=reason)
    record_event(actor=actor, event_type="CONTROL_RETIRED", target=control,
                 payload={"reason": reason, "missed": [m.due_on for m in missed]}, saved=[control, *missed])
    chase.close(target=control, kind="inspection")
    return control


@transaction.atomic
def control_set_links(*, actor, control: Control, risks=None, requirements=None, reason: str = "") -> Control:
    """Set the risks and requirements the control covers (each in the control's scope)."""
    control = Control.objects.select_for_update().get(pk=control.pk)
    payload = {"reason": reason}
    for name, values in (("risks", risks), ("requirements", requirements)):
        if values is None:
            continue
        values = list(values)
        manager = getattr(control, name)
        before = sorted(manager.values_list("pk", flat=True))
        after = sorted({v.pk for v in values})
        for value in values:
            unit = getattr(value, "unit", None)
            if unit is not None and not (control.unit.path.startswith(unit.path) or unit.path.startswith(control.unit.path)):
                raise DomainError(_("%(record)s belongs to another part of the organisation.") % {"record": value},
                                  field=name)
        if before != after:
            manager.set(values)
            payload[name] = {"before": before, "after": after}
    if len(payload) > 1:
        record_event(actor=actor, event_type="CONTROL_LINKS_SET", target=control, payload=payload)
    return control


def _clean_answers(items, answers: dict) -> list[dict]:
    """Answers per checklist item: every required item answered, values from the choices."""
    answers = {str(k): v for k, v in (answers or {}).items()}
    known = {str(item.pk) for item in items}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise DomainError(_("These checklist items are not on this control: %(ids)s") % {"ids": ", ".join(unknown)},
                          field="answers")
    rows = []
    for item in items:
        given = answers.get(str(item.pk)) or {}
        if isinstance(given, str):
            given = {"answer": given}
        value = (given.get("answer") or "").strip()
        note = (given.get("note") or "").strip()[:500]
        if value and value not in Answer.values:
            raise DomainError(_("“%(value)s” is not an answer: use ok, not_ok or na.") % {"value": value},
                              field=f"item_{item.pk}")
        if item.required and not value:
            raise DomainError(_("Answer this required item: %(item)s") % {"item": item.text}, field=f"item_{item.pk}")
        rows.append({"item": item, "answer": value, "note": note})
    return rows


def _check_performed_at(control: Control, performed_at) -> datetime.datetime:
    if not isinstance(performed_at, datetime.datetime):
        raise DomainError(_("Give the date and time the inspection was performed."), field="performed_at")
    if timezone.is_naive(performed_at):
        performed_at = timezone.make_aware(performed_at)
    if performed_at > timezone.now():
        raise DomainError(_("An inspection cannot be dated in the future."), field="performed_at")
    if timezone.localdate(performed_at) < control.in_service_since:
        raise DomainError(
            _("The control has only been in service since %(day)s: an inspection cannot be dated before it.")
            % {"day": control.in_service_since.isoformat()}, field="performed_at")
    return performed_at


def _save_answers(inspection, rows, actor, reason) -> list[InspectionAnswer]:
    saved = []
    for row in rows:
        item = row["item"]
        answer = InspectionAnswer(inspection=inspection, item=item, position=item.position, item_text=item.text,
                                  required=item.required, answer=row["answer"], note=row["note"])
        governed_save(answer, actor=actor, reason=reason)
        saved.append(answer)
    return saved


def _open_actions(inspection, actor) -> list:
    return [func(inspection, actor) for func in list(hooks.inspection_needs_action)]


@transaction.atomic
def inspection_record(*, actor, control: Control, performed_at, result: str, answers=None,
                      findings: str = "") -> Inspection:
    """Record an inspection performed by ``actor`` and move the control's next due date.

    1. The date may not be in the future, before the control was in service, or before the
       control's latest inspection (record them in order; a wrong date is corrected).
    2. Every required checklist item is answered.
    3. The due date it fulfils, the dates it shows missed and the next due date follow the
       schedule rule in this module's docstring.
    4. A fail or partial result calls the ``controls.hooks.inspection_needs_action`` hooks (the
       actions app opens an action); if one raises, nothing is recorded.
    """
    control = Control.objects.select_for_update().select_related("unit").get(pk=control.pk)
    if not control.is_active:
        raise ConflictError(_("This control is retired: it has no inspections due."))
    if result not in InspectionResult.values:
        raise DomainError(_("Choose pass, partial or fail."), field="result")
    performed_at = _check_performed_at(control, performed_at)
    latest = control.inspections.effective().order_by("-performed_at").values_list("performed_at", flat=True).first()
    if latest is not None and performed_at < latest:
        raise DomainError(
            _("The latest inspection of this control was performed later (%(when)s); record inspections in "
              "order, or correct that one.") % {"when": timezone.localtime(latest).strftime("%Y-%m-%d %H:%M")},
            field="performed_at")
    items = list(control.checklist_items.filter(is_active=True).order_by("position"))
    rows = _clean_answers(items, answers)

    day = timezone.localdate(performed_at)
    count, unit = control.frequency_count, control.frequency_unit
    if day <= control.next_due_on:
        due_on, missed_dates = control.next_due_on, []
    else:
        passed = schedule.occurrences(control.next_due_on, count, unit, until=day)
        due_on, missed_dates = passed[-1], passed[:-1]
    next_due_on = schedule.first_after(due_on, count, unit, after=max(day, due_on))

    inspection = Inspection(control=control, unit=control.unit, performed_by=actor, performed_at=performed_at,
                            result=result, findings=(findings or "").strip(), due_on=due_on, next_due_on=next_due_on)
    governed_save(inspection, actor=actor, reason="inspection recorded")
    saved_answers = _save_answers(inspection, rows, actor, "inspection recorded")
    missed = _record_missed(control, missed_dates, actor, reason="no inspection before the next date fell due",
                            detected_by=inspection)
    previous_due = control.next_due_on
    control.next_due_on = next_due_on
    governed_save(control, actor=actor, reason="inspection recorded")
    record_event(
        actor=actor, event_type="INSPECTION_RECORDED", target=inspection,
        payload={"control": control.pk, "result": result, "performed_at": performed_at, "due_on": due_on,
                 "on_time": day <= due_on, "missed": missed_dates, "findings": inspection.findings,
                 "answers": [[a.item_id, a.answer, a.note] for a in saved_answers],
                 "next_due_on": [previous_due, next_due_on]},
        saved=[inspection, *saved_answers, *missed, control],
    )
    _chase_next(control)
    inspection.opened_actions = _open_actions(inspection, actor) if result in NEEDS_ACTION else []
    return inspection


@transaction.atomic
def inspection_correct(*, actor, inspection: Inspection, reason: str, performed_at, result: str,
                       answers=None, findings: str = "") -> Inspection:
    """Correct a recorded inspection with a new record that points at it (the first stays).

    The correction fulfils the same due date and leaves the schedule alone. It answers the items the
    corrected inspection answered. If it turns a pass into a fail or partial, the action hooks run."""
    if not (reason or "").strip():
        raise DomainError(_("Say what the correction fixes."), field="reason")
    original = Inspection.objects.select_for_update().select_related("control", "unit").get(pk=inspection.pk)
    if Inspection.objects.filter(corrects=original).exists():
        raise ConflictError(_("This inspection has already been corrected: correct the latest record."))
    if result not in InspectionResult.values:
        raise DomainError(_("Choose pass, partial or fail."), field="result")
    control = original.control
    performed_at = _check_performed_at(control, performed_at)
    items = [a.item for a in original.answers.select_related("item").order_by("position")]
    rows = _clean_answers(items, answers)
    correction = Inspection(control=control, unit=original.unit, performed_by=actor, performed_at=performed_at,
                            result=result, findings=(findings or "").strip(), due_on=original.due_on,
                            next_due_on=None, corrects=original, correction_reason=reason.strip())
    governed_save(correction, actor=actor, reason=f"correction: {reason}")
    saved_answers = _save_answers(correction, rows, actor, f"correction: {reason}")
    record_event(
        actor=actor, event_type="INSPECTION_CORRECTED", target=correction,
        payload={"control": control.pk, "corrects": original.pk, "reason": reason, "result": [original.result, result],
                 "performed_at": [original.performed_at, performed_at], "findings": correction.findings,
                 "answers": [[a.item_id, a.answer, a.note] for a in saved_answers]},
        saved=[correction, *saved_answers],
    )
    needs = result in NEEDS_ACTION and original.result not in NEEDS_ACTION
    correction.opened_actions = _open_actions(correction, actor) if needs else []
    return correction
