"""Screens for controls, inspections and the planned-versus-performed report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from controls import hooks, report, selectors, services
from controls.choices import NEEDS_ACTION, InspectionResult
from controls.forms import (
    ChecklistFormSet,
    ControlEditForm,
    ControlFilterForm,
    ControlForm,
    CorrectionForm,
    InspectionForm,
    LinksForm,
    ReasonForm,
    ReportForm,
    RescheduleForm,
)
from controls.models import Inspection
from core import access
from core.csv_export import csv_response
from core.exceptions import DomainError
from core.forms import add_domain_error


def _crumbs(control=None, *tail):
    crumbs = [(_("Controls"), reverse("controls:control_list"))]
    if control is not None:
        crumbs.append((control.unit.name, reverse("controls:control_list") + f"?unit={control.unit.pk}"))
        crumbs.append((control.title, control.get_absolute_url()))
    crumbs.extend(tail)
    return crumbs


@login_required
def control_list(request):
    form = ControlFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    sort = filters.get("sort") or "due"
    controls = selectors.control_list(
        request.user, q=filters.get("q", ""), unit=filters.get("unit"), kind=filters.get("kind", ""),
        owner=request.user if filters.get("mine") else None, state=filters.get("state", ""), sort=sort)
    if request.GET.get("format") == "csv":
        return csv_response(
            "controls.csv",
            [_("Title"), _("Unit"), _("Kind"), _("Owner"), _("Frequency"), _("Next due on"), _("Status"),
             _("Last inspection"), _("Last result")],
            ((c.title, c.unit.name, c.get_kind_display(), c.owner, c.frequency_label, c.next_due_on,
              c.get_due_state_display(),
              timezone.localtime(c.last_performed_at).strftime("%Y-%m-%d %H:%M %Z") if c.last_performed_at else "",
              InspectionResult(c.last_result).label if c.last_result else "") for c in controls.iterator()),
        )
    page = Paginator(controls, 50).get_page(request.GET.get("page"))
    return render(request, "controls/control_list.html", {
        "page_obj": page, "filter_form": form, "sort": sort,
        "can_create": access.can_anywhere(request.user, "control.manage"),
        "crumbs": [(_("Controls"), "")],
    })


@login_required
def control_create(request):
    if not access.can_anywhere(request.user, "control.manage"):
        raise PermissionDenied
    form = ControlForm(request.POST or None, user=request.user, initial={"unit": request.GET.get("unit")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            access.require(request.user, "control.manage", data["unit"])
            control = services.control_create(actor=request.user, **data)
            messages.success(request, _("Control created. Add its checklist, if it has one."))
            return redirect("controls:control_checklist", pk=control.pk)
        except DomainError as exc:
            add_domain_error(form, exc)
    return render(request, "controls/form.html", {
        "form": form, "title": _("New control"), "submit": _("Create the control"),
        "crumbs": _crumbs(None, (_("New control"), ""))})


@login_required
def control_detail(request, pk):
    control = selectors.control_for_user(request.user, pk)
    today = timezone.localdate()
    return render(request, "controls/control_detail.html", {
        "control": control,
        "state": control.due_state(today),
        "checklist": selectors.checklist_of(control),
        "inspections": selectors.inspections_of(control, limit=20),
        "missed": list(control.missed.order_by("-due_on")[:20]),
        "overdue_dates": selectors.overdue_dates(control, today),
        "links": _links_of(control),
        "timeline": selectors.control_timeline(control),
        "can_inspect": control.is_active and selectors.can_inspect(request.user, control),
        "can_manage": control.is_active and access.can(request.user, "control.manage", control.unit),
        "retire_form": ReasonForm(),
        "crumbs": _crumbs(control)[:-1] + [(control.title, "")],
    })


def _links_of(control):
    """(name, [(record, url)]) of the risks and requirements covered, linked to their pages."""
    def url(name, pk):
        try:
            return reverse(name, args=[pk])
        except NoReverseMatch:  # the other app's screens are not wired in this deployment
            return ""

    return [("risks", [(r, url("risks:risk_detail", r.pk)) for r in control.risks.all()[:50]]),
            ("requirements", [(r, url("requirements:requirement_detail", r.pk))
                              for r in control.requirements.all()[:50]])]


@login_required
def control_edit(request, pk):
    control = selectors.control_for_user(request.user, pk, "control.manage")
    fields = ("title", "description", "kind", "unit", "owner", "frequency_count", "frequency_unit")
    form = ControlEditForm(request.POST or None, user=request.user, initial={f: getattr(control, f) for f in fields})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        try:
            access.require(request.user, "control.manage", data["unit"])
            services.control_update(actor=request.user, control=control, reason=reason, **data)
            messages.success(request, _("Control saved."))
            return redirect(control)
        except DomainError as exc:
            add_domain_error(form, exc)
    return render(request, "controls/form.html", {
        "form": form, "title": _("Edit %(title)s") % {"title": control.title}, "submit": _("Save"),
        "cancel_url": control.get_absolute_url(), "crumbs": _crumbs(control, (_("Edit"), ""))})


@login_required
def control_checklist(request, pk):
    control = selectors.control_for_user(request.user, pk, "control.manage")
    initial = [{"id": i.pk, "text": i.text, "required": i.required} for i in selectors.checklist_of(control)]
    formset = ChecklistFormSet(request.POST or None, initial=initial, prefix="items")
    if request.method == "POST" and formset.is_valid():
        items = [f.cleaned_data for f in formset.forms if f.cleaned_data.get("text")]
        try:
            services.control_set_checklist(actor=request.user, control=control, items=items,
                                           reason=request.POST.get("reason", ""))
            messages.success(request, _("Checklist saved."))
            if request.POST.get("more"):
                return redirect("controls:control_checklist", pk=control.pk)
            return redirect(control)
        except DomainError as exc:
            messages.error(request, " ".join(exc.messages))
    return render(request, "controls/checklist_form.html", {
        "control": control, "formset": formset, "crumbs": _crumbs(control, (_("Checklist"), ""))})


@login_required
def control_links(request, pk):
    control = selectors.control_for_user(request.user, pk, "control.manage")
    initial = {"risks": list(control.risks.all()), "requirements": list(control.requirements.all())}
    form = LinksForm(request.POST or None, user=request.user, control=control, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.control_set_links(actor=request.user, control=control, **form.cleaned_data)
            messages.success(request, _("Risks and requirements covered saved."))
            return redirect(control)
        except DomainError as exc:
            add_domain_error(form, exc)
    return render(request, "controls/form.html", {
        "form": form, "title": _("Risks and requirements covered"), "submit": _("Save"),
        "cancel_url": control.get_absolute_url(), "crumbs": _crumbs(control, (_("Links"), ""))})


@login_required
def control_reschedule(request, pk):
    control = selectors.control_for_user(request.user, pk, "control.manage")
    form = RescheduleForm(request.POST or None, initial={"next_due_on": control.next_due_on})
    if request.method == "POST" and form.is_valid():
        try:
            services.control_reschedule(actor=request.user, control=control, **form.cleaned_data)
            messages.success(request, _("Next inspection rescheduled."))
            return redirect(control)
        except DomainError as exc:
            add_domain_error(form, exc)
    overdue = selectors.overdue_dates(control)
    return render(request, "controls/form.html", {
        "form": form, "title": _("Reschedule the next inspection"), "submit": _("Reschedule"),
        "cancel_url": control.get_absolute_url(),
        "notice": _("%(n)s date(s) already passed without an inspection: they will be recorded as missed.")
        % {"n": len(overdue)} if overdue else "",
        "crumbs": _crumbs(control, (_("Reschedule"), ""))})


@login_required
@require_POST
def control_retire(request, pk):
    control = selectors.control_for_user(request.user, pk, "control.manage")
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.control_retire(actor=request.user, control=control, reason=form.cleaned_data["reason"])
            messages.success(request, _("The control is retired."))
        except DomainError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Say why the control is retired."))
    return redirect(control)


def _require_inspector(user, control):
    if not selectors.can_inspect(user, control):
        raise PermissionDenied(_("Your role on this unit does not allow recording inspections."))


def _now_minute():
    return timezone.localtime().replace(second=0, microsecond=0)


def _recorded_message(request, inspection):
    text = _("Inspection recorded. Next inspection due on %(day)s.") % {
        "day": formats.date_format(inspection.control.next_due_on, "DATE_FORMAT")}
    messages.success(request, text)
    for action in getattr(inspection, "opened_actions", []) or []:
        messages.info(request, _("An action was opened: %(action)s") % {"action": action})


@login_required
def inspection_create(request, pk):
    control = selectors.control_for_user(request.user, pk)
    if not control.is_active:
        messages.error(request, _("This control is retired: it has no inspections due."))
        return redirect(control)
    _require_inspector(request.user, control)
    items = selectors.checklist_of(control)
    form = InspectionForm(request.POST or None, items=items, initial={"performed_at": _now_minute()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inspection = services.inspection_record(
                actor=request.user, control=control, performed_at=data["performed_at"], result=data["result"],
                answers=form.answers(), findings=data["findings"])
            _recorded_message(request, inspection)
            return redirect(inspection)
        except DomainError as exc:
            add_domain_error(form, exc)
    return render(request, "controls/inspection_form.html", {
        "control": control, "form": form, "opens_actions": hooks.opens_actions(),
        "needs_action": request.method == "POST" and form.data.get("result") in NEEDS_ACTION,
        "title": _("Record an inspection"), "submit": _("Record the inspection"),
        "crumbs": _crumbs(control, (_("Record an inspection"), ""))})


@login_required
def inspection_detail(request, pk):
    inspection = selectors.inspection_for_user(request.user, pk)
    control = inspection.control
    correction = Inspection.objects.filter(corrects=inspection).first()
    return render(request, "controls/inspection_detail.html", {
        "inspection": inspection, "control": control,
        "answers": list(inspection.answers.order_by("position")),
        "missed_before": list(inspection.missed_before.order_by("due_on")),
        "correction": correction,
        "effective": selectors.effective_of(inspection) if correction else inspection,
        "actions": _actions_of(inspection),
        "timeline": _inspection_timeline(inspection),
        "can_correct": correction is None and selectors.can_inspect(request.user, control),
        "crumbs": _crumbs(control, (str(formats.date_format(timezone.localtime(inspection.performed_at),
                                                             "DATE_FORMAT")), "")),
    })


def _inspection_timeline(inspection):
    from core import ledger

    return ledger.timeline(inspection, *([inspection.corrects] if inspection.corrects_id else []))


def _actions_of(inspection):
    """Actions opened from this inspection, when the actions app is installed."""
    from django.apps import apps

    if not apps.is_installed("actions"):
        return []
    try:
        from actions.selectors import actions_for_origin
    except ImportError:
        return []
    return list(actions_for_origin(inspection))


@login_required
def inspection_correct(request, pk):
    original = selectors.inspection_for_user(request.user, pk)
    control = original.control
    _require_inspector(request.user, control)
    items = [a.item for a in original.answers.select_related("item").order_by("position")]
    initial = {"performed_at": timezone.localtime(original.performed_at).replace(second=0, microsecond=0),
               "result": original.result, "findings": original.findings}
    for answer in original.answers.all():
        initial[f"item_{answer.item_id}"] = answer.answer
        initial[f"note_{answer.item_id}"] = answer.note
    form = CorrectionForm(request.POST or None, items=items, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            correction = services.inspection_correct(
                actor=request.user, inspection=original, reason=data["reason"], performed_at=data["performed_at"],
                result=data["result"], answers=form.answers(), findings=data["findings"])
            messages.success(request, _("Correction recorded. The first record is kept and points to it."))
            for action in correction.opened_actions:
                messages.info(request, _("An action was opened: %(action)s") % {"action": action})
            return redirect(correction)
        except DomainError as exc:
            add_domain_error(form, exc)
    return render(request, "controls/inspection_form.html", {
        "control": control, "form": form, "original": original, "opens_actions": hooks.opens_actions(),
        "needs_action": request.method == "POST" and form.data.get("result") in NEEDS_ACTION,
        "title": _("Correct an inspection"), "submit": _("Record the correction"),
        "crumbs": _crumbs(control, (_("Correct an inspection"), ""))})


@login_required
def inspection_list(request):
    form = ReportForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    result = request.GET.get("result", "")
    inspections = selectors.inspection_list(
        request.user, unit=filters.get("unit"), start=filters.get("start"), end=filters.get("end"),
        result=result if result in InspectionResult.values else "")
    if (request.GET.get("control") or "").isdigit():
        inspections = inspections.filter(control_id=int(request.GET["control"]))
    if request.GET.get("format") == "csv":
        return csv_response(
            "inspections.csv",
            [_("Performed at"), _("Control"), _("Unit"), _("Performed by"), _("Result"), _("Due on"),
             _("On time"), _("Findings")],
            ((timezone.localtime(i.performed_at).strftime("%Y-%m-%d %H:%M %Z"), i.control.title, i.unit.name,
              i.performed_by, i.get_result_display(), i.due_on, _("yes") if i.on_time else _("no"), i.findings)
             for i in inspections.iterator()))
    page = Paginator(inspections, 50).get_page(request.GET.get("page"))
    return render(request, "controls/inspection_list.html", {
        "page_obj": page, "filter_form": form, "result": result, "results": InspectionResult.choices,
        "crumbs": [(_("Controls"), reverse("controls:control_list")), (_("Inspections"), "")]})


@login_required
def report_view(request):
    """Planned versus performed, for the units the person can see."""
    form = ReportForm(request.GET or None, user=request.user)
    start, end = report.default_period()
    unit = None
    if form.is_valid():
        unit = form.cleaned_data["unit"]
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
        if end < start:
            start, end = report.default_period()
    data = report.planned_vs_performed(request.user, unit=unit, start=start, end=end)
    if request.GET.get("format") == "csv":
        header = [_("Unit"), _("Due"), _("Done on time"), _("Done late"), _("Missed"), _("To come"), _("Failed"),
                  _("Partial")]
        return csv_response(f"planned-vs-performed-{start}-{end}.csv", header, report.csv_rows(data))
    return render(request, "controls/report.html", {
        "form": form, "report": data, "is_qse": access.can_anywhere(request.user, "control.manage"),
        "crumbs": [(_("Controls"), reverse("controls:control_list")), (_("Planned versus performed"), "")],
    })
