"""Delegation screens and the responsibility map as of a date."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import access, ledger
from core.csv_export import csv_response
from core.exceptions import ConflictError, DomainError
from core.forms import add_domain_error
from delegations import selectors, services
from delegations.choices import DelegationStatus
from delegations.forms import AcceptForm, DelegationFilterForm, DelegationForm, MapForm, ReasonForm


@login_required
def delegation_list(request):
    form = DelegationFilterForm(request.GET or None, user=request.user)
    filters = {k: v for k, v in form.cleaned_data.items() if v not in ("", None)} if form.is_valid() else {}
    rows = selectors.delegation_list(request.user, **filters)
    if request.GET.get("format") == "csv":
        return csv_response(
            "delegations.csv",
            [_("Id"), _("Delegator"), _("Delegate"), _("Units"), _("Domains"), _("Budget (EUR)"), _("Starts on"),
             _("Ends on"), _("Status"), _("Accepted"), _("Acceptance SHA-256")],
            ((d.pk, d.delegator, d.delegate, ", ".join(u.name for u in d.units.all()), ", ".join(d.domain_labels()),
              d.budget if d.budget is not None else "", d.starts_on, d.ends_on or "", d.get_status_display(),
              d.accepted_at or "", d.acceptance_hash) for d in rows),
        )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query["format"] = "csv"
    return render(request, "delegations/delegation_list.html", {
        "page_obj": page, "filter_form": form, "csv_url": f"?{query.urlencode()}", "today": timezone.localdate(),
        "can_propose": access.can_anywhere(request.user, "delegation.propose"),
    })


@login_required
def delegation_create(request):
    user = request.user
    if not access.can_anywhere(user, "delegation.propose"):
        raise PermissionDenied
    form = DelegationForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            delegation = services.delegation_propose(
                actor=user, delegator=user, delegate=data["delegate"], units=list(data["units"]),
                domains=data["domains"], competence=data["competence"], authority=data["authority"],
                means=data["means"], budget=data["budget"], starts_on=data["starts_on"], ends_on=data["ends_on"],
                parent=data["parent"],
            )
            messages.success(request, _("The delegation is proposed; %(name)s is asked to accept it.")
                             % {"name": delegation.delegate})
            return redirect("delegations:delegation_detail", pk=delegation.pk)
        except DomainError as exc:
            add_domain_error(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
    return render(request, "delegations/delegation_form.html", {"form": form, "title": _("Delegate authority")})


@login_required
def delegation_detail(request, pk, accept_form=None, status=200):
    delegation = selectors.get_delegation_for_user(request.user, pk)
    is_delegate = delegation.delegate_id == request.user.pk
    return render(request, "delegations/delegation_detail.html", {
        "delegation": delegation,
        "units": delegation.units.order_by("path"),
        "chain": selectors.delegation_chain(delegation),
        "subs": delegation.sub_delegations.select_related("delegate").order_by("starts_on"),
        "can_answer": is_delegate and delegation.status == DelegationStatus.PROPOSED,
        "can_revoke": delegation.status in (DelegationStatus.PROPOSED, DelegationStatus.ACCEPTED)
        and services.can_revoke(request.user, delegation),
        "accept_form": accept_form or AcceptForm(),
        "reason_form": ReasonForm(),
        "in_force": delegation.in_force_on(timezone.localdate()),
        "timeline": ledger.timeline(delegation),
        "crumbs": [(_("Delegations"), reverse("delegations:delegation_list")), (str(delegation), None)],
    }, status=status)


@login_required
@require_POST
def delegation_accept(request, pk):
    delegation = selectors.get_delegation_for_user(request.user, pk)
    form = AcceptForm(request.POST)
    if form.is_valid():
        try:
            services.delegation_accept(actor=request.user, delegation=delegation,
                                       password=form.cleaned_data["password"])
            messages.success(request, _("You accepted the delegation; your signature is recorded."))
            return redirect("delegations:delegation_detail", pk=pk)
        except ConflictError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("delegations:delegation_detail", pk=pk)
        except DomainError as exc:
            add_domain_error(form, exc)
    return delegation_detail(request, pk, accept_form=form, status=400)


@login_required
@require_POST
def delegation_refuse(request, pk):
    delegation = selectors.get_delegation_for_user(request.user, pk)
    try:
        services.delegation_refuse(actor=request.user, delegation=delegation, reason=request.POST.get("reason", ""))
        messages.success(request, _("You refused the delegation."))
    except DomainError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("delegations:delegation_detail", pk=pk)


@login_required
@require_POST
def delegation_revoke(request, pk):
    delegation = selectors.get_delegation_for_user(request.user, pk)
    try:
        services.delegation_revoke(actor=request.user, delegation=delegation, reason=request.POST.get("reason", ""))
        messages.success(request, _("The delegation is revoked."))
    except DomainError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("delegations:delegation_detail", pk=pk)


@login_required
def responsibility_map(request):
    """Who was responsible for a unit on a date: roles, delegations in force, owners of records."""
    form = MapForm(request.GET or None, user=request.user,
                   initial={"on": timezone.localdate()})
    result = None
    if form.is_valid():
        unit = form.cleaned_data["unit"]
        access.require(request.user, "view", unit)
        result = selectors.responsibility_map(unit, form.cleaned_data["on"])
    # The map of a date leads to the inquiry dossier of the same unit and date (evidence app).
    can_inquiry = result is not None and access.can(request.user, "dossier.request", result["unit"])
    return render(request, "delegations/responsibility_map.html",
                  {"form": form, "map": result, "can_inquiry": can_inquiry},
                  status=400 if request.GET and not form.is_valid() else 200)
