"""Action screens: the list (mine, a unit's, overdue, by origin; CSV), the action page with its
stepper, origin, log and timeline, the workflow steps, and the due-date policy."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from actions import origins, selectors, services
from actions.choices import OriginType
from actions.forms import (
    ActionCreateForm,
    ActionEditForm,
    ActionFilterForm,
    CancelForm,
    CommentForm,
    CompleteForm,
    DuePolicyForm,
    PostponeForm,
    ReassignForm,
    VerifyForm,
)
from core import access
from core.csv_export import csv_response
from core.exceptions import DomainError
from core.forms import add_domain_error
from organisation.models import Unit

PAGE_SIZE = 50




def _crumbs(unit, last_label):
    """Actions / Company / Site / Work unit / this page."""
    crumbs = [(_("Actions"), reverse("actions:action_list"))]
    if unit is not None:
        for ancestor in Unit.objects.filter(pk__in=unit.ancestor_ids()).order_by("path"):
            crumbs.append((ancestor.name, f"{reverse('actions:action_list')}?unit={ancestor.pk}"))
    crumbs.append((last_label, ""))
    return crumbs


# ---------------------------------------------------------------------------- list


def _filters(request):
    form = ActionFilterForm(request.GET or None, user=request.user)
    empty = {name: "" for name in form.fields} | {"unit": None, "sort": "due"}
    if not request.GET:
        return form, empty
    if form.is_valid():
        data = dict(form.cleaned_data)
        data["sort"] = data["sort"] or "due"
        return form, data
    return form, empty


@login_required
def action_list(request):
    form, filters = _filters(request)
    actions = selectors.action_list(request.user, **filters)
    if request.GET.get("format") == "csv":
        return csv_response(
            "actions.csv",
            [
                _("Reference"),
                _("Title"),
                _("Kind"),
                _("Priority"),
                _("Status"),
                _("Unit"),
                _("Owner"),
                _("Due on"),
                _("First due date"),
                _("Postponements"),
                _("Origin"),
                _("Origin title"),
            ],
            (
                (
                    a.reference,
                    a.title,
                    a.get_kind_display(),
                    a.get_priority_display(),
                    a.get_status_display(),
                    a.unit.name,
                    a.owner,
                    a.due_on.isoformat(),
                    a.first_due_on.isoformat(),
                    a.postponements,
                    a.get_origin_type_display() if a.origin_type else "",
                    a.origin_label,
                )
                for a in actions.iterator(chunk_size=1000)
            ),
        )
    page = Paginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query["format"] = "csv"
    return render(
        request,
        "actions/action_list.html",
        {
            "page_obj": page,
            "filter_form": form,
            "csv_url": f"{request.path}?{query.urlencode()}",
            "filters": filters,
            "can_create": access.can_anywhere(request.user, "action.manage"),
            "crumbs": _crumbs(filters.get("unit"), _("List")) if filters.get("unit") else None,
        },
    )


@login_required
def my_actions(request):
    """My actions: the list with "mine" and the open ones, as a bookmarkable address."""
    return redirect(f"{reverse('actions:action_list')}?scope=mine&status=active")


# ---------------------------------------------------------------------------- one action


def _detail_context(request, action, **forms):
    steps = selectors.allowed_steps(request.user, action)
    step = selectors.next_step(request.user, action, steps)
    origin_record, origin_url = selectors.action_origin(action)
    context = {
        "action": action,
        "steps": steps,
        "next_step": step,
        "next_step_text": selectors.NEXT_STEP_TEXT.get(step, ""),
        "stepper": selectors.stepper(action),
        "origin_record": origin_record,
        "origin_url": origin_url,
        "origin_installed": origins.model_for(action.origin_type) is not None,
        "contributors": list(action.contributors.order_by("last_name", "first_name")),
        "log": selectors.action_log(action),
        "timeline": selectors.action_timeline(action),
        "crumbs": _crumbs(action.unit, action.reference),
        "complete_form": forms.get("complete_form") or CompleteForm(initial={"version": action.version}),
        "verify_form": forms.get("verify_form") or VerifyForm(initial={"version": action.version}),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "start_error": forms.get("start_error"),
    }
    return context


@login_required
def action_detail(request, pk):
    action = selectors.action_for_user(request.user, pk)
    return render(request, "actions/action_detail.html", _detail_context(request, action))


def _authorised(request, pk, step):
    action = selectors.action_for_user(request.user, pk)
    if not selectors.may(request.user, action, step):
        raise PermissionDenied(_("Your role on this unit does not allow this."))
    return action


def _refused(request, action, status, **forms):
    return render(request, "actions/action_detail.html", _detail_context(request, action, **forms), status=status)


@login_required
@require_POST
def action_start(request, pk):
    action = _authorised(request, pk, "start")
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        return _refused(request, action, 400, start_error=_("The page is out of date: reload it and try again."))
    try:
        services.action_start(actor=request.user, action=action, version=version)
    except DomainError as exc:
        return _refused(request, action, exc.status_code, start_error=" ".join(exc.messages))
    messages.success(request, _("The action is in progress."))
    return redirect("actions:action_detail", pk=action.pk)


def _step_view(request, pk, step, form_class, call, success):
    action = _authorised(request, pk, step)
    form = form_class(request.POST)
    key = f"{step}_form"
    if not form.is_valid():
        return _refused(request, action, 400, **{key: form})
    try:
        call(action, form.cleaned_data)
    except DomainError as exc:
        add_domain_error(form, exc)
        return _refused(request, action, exc.status_code, **{key: form})
    messages.success(request, success)
    return redirect("actions:action_detail", pk=action.pk)


@login_required
@require_POST
def action_complete(request, pk):
    return _step_view(
        request,
        pk,
        "complete",
        CompleteForm,
        lambda action, data: services.action_complete(
            actor=request.user, action=action, note=data["note"], version=data["version"]
        ),
        _("Marked as done. Someone other than the owner will now check that it worked."),
    )


@login_required
@require_POST
def action_verify(request, pk):
    def call(action, data):
        services.action_verify(
            actor=request.user,
            action=action,
            effective=data["effective"],
            note=data["note"],
            new_due_on=data["new_due_on"],
            version=data["version"],
        )

    return _step_view(request, pk, "verify", VerifyForm, call, _("Your verification is recorded."))


@login_required
@require_POST
def action_comment(request, pk):
    return _step_view(
        request,
        pk,
        "comment",
        CommentForm,
        lambda action, data: services.action_comment(actor=request.user, action=action, text=data["text"]),
        _("Comment added to the log."),
    )


def _form_page(request, pk, step, form_class, call, success, title, form_kwargs=None, initial=None):
    action = _authorised(request, pk, step)
    form_kwargs = form_kwargs or {}
    base_initial = {"version": action.version, **(initial(action) if initial else {})}
    form = form_class(request.POST or None, initial=base_initial, **form_kwargs)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                call(action, form.cleaned_data)
                messages.success(request, success)
                return redirect("actions:action_detail", pk=action.pk)
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status_code
        else:
            status = 400
    return render(
        request,
        "actions/action_form.html",
        {"form": form, "title": title, "action": action, "step": step, "crumbs": _crumbs(action.unit, title)},
        status=status,
    )


@login_required
def action_postpone(request, pk):
    def call(action, data):
        services.action_postpone(
            actor=request.user,
            action=action,
            new_due_on=data["new_due_on"],
            reason=data["reason"],
            version=data["version"],
        )

    return _form_page(
        request, pk, "postpone", PostponeForm, call, _("The action is postponed."), _("Postpone the action")
    )


@login_required
def action_cancel(request, pk):
    def call(action, data):
        services.action_cancel(actor=request.user, action=action, reason=data["reason"], version=data["version"])

    return _form_page(request, pk, "cancel", CancelForm, call, _("The action is cancelled."), _("Cancel the action"))


@login_required
def action_reassign(request, pk):
    def call(action, data):
        services.action_reassign(
            actor=request.user,
            action=action,
            owner=data["owner"],
            reason=data["reason"],
            version=data["version"],
        )

    return _form_page(
        request,
        pk,
        "reassign",
        ReassignForm,
        call,
        _("The action has a new owner."),
        _("Change the owner"),
        form_kwargs={"user": request.user},
    )


@login_required
def action_edit(request, pk):
    def call(action, data):
        data = dict(data)
        services.action_update(
            actor=request.user,
            action=action,
            version=data.pop("version"),
            reason=data.pop("reason"),
            contributors=data.pop("contributors"),
            **data,
        )

    def initial(action):
        return {
            "title": action.title,
            "description": action.description,
            "kind": action.kind,
            "priority": action.priority,
            "contributors": list(action.contributors.all()),
        }

    return _form_page(
        request,
        pk,
        "edit",
        ActionEditForm,
        call,
        _("Saved."),
        _("Edit the action"),
        form_kwargs={"user": request.user},
        initial=initial,
    )


@login_required
def action_create(request):
    if not access.can_anywhere(request.user, "action.manage"):
        raise PermissionDenied
    initial = {"unit": request.GET.get("unit")}
    origin_param = request.GET.get("origin", "")
    if ":" in origin_param:
        initial["origin_type"], _sep, initial["origin_id"] = origin_param.partition(":")
    form = ActionCreateForm(request.POST or None, user=request.user, initial=initial)
    origin = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                origin = origins.resolve(data.pop("origin_type"), data.pop("origin_id"))
                origins.check_visible(origin, request.user)
                access.require(request.user, "action.manage", data["unit"])
                action = services.action_open(actor=request.user, origin=origin, **data)
                messages.success(request, _("Action %(ref)s opened.") % {"ref": action.reference})
                return redirect("actions:action_detail", pk=action.pk)
            except DomainError as exc:
                add_domain_error(form, exc)
    origin_label = ""
    if initial.get("origin_type") in OriginType.values:
        try:
            found = origins.resolve(initial["origin_type"], initial["origin_id"])
            origin_label = str(found) if found is not None else ""
        except DomainError:
            origin_label = ""
    return render(
        request,
        "actions/action_form.html",
        {
            "form": form,
            "title": _("New action"),
            "origin_label": origin_label,
            "crumbs": _crumbs(None, _("New")),
        },
        status=status,
    )


# ---------------------------------------------------------------------------- policy


@login_required
def due_policy(request):
    if not access.can_anywhere(request.user, "action.policy"):
        raise PermissionDenied
    rows = selectors.due_policy()
    form = DuePolicyForm(request.POST or None, initial={row["priority"]: row["days"] for row in rows})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                with transaction.atomic():
                    for priority, days in form.cleaned_data.items():
                        services.due_policy_set(actor=request.user, priority=priority, days=days)
                messages.success(request, _("The due-date policy is saved."))
                return redirect("actions:due_policy")
            except DomainError as exc:
                add_domain_error(form, exc)
    return render(request, "actions/due_policy.html", {"form": form, "rows": rows}, status=status)
