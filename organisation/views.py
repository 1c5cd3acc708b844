"""Organisation screens for administrators: units, people, role memberships, auditor access."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import access, ledger
from core.csv_export import csv_response
from core.exceptions import DomainError
from core.forms import add_domain_error
from organisation import selectors, services
from organisation.choices import Role
from organisation.forms import (
    MembershipForm,
    PeopleFilterForm,
    PersonCreateForm,
    PersonEditForm,
    ReasonForm,
    UnitEditForm,
    UnitForm,
)
from organisation.models import Membership, Unit


def _require_admin_somewhere(user):
    if not access.can_anywhere(user, "organisation.manage"):
        raise PermissionDenied




@login_required
def unit_list(request):
    _require_admin_somewhere(request.user)
    return render(request, "organisation/unit_list.html", {"units": selectors.unit_tree(request.user)})


@login_required
def unit_detail(request, pk):
    unit = access.get_for_user(Unit.objects.select_related("parent"), request.user, pk, "organisation.manage", "")
    return render(
        request,
        "organisation/unit_detail.html",
        {
            "unit": unit,
            "children": unit.children.all(),
            "memberships": selectors.memberships_of_unit(unit),
            "timeline": ledger.timeline(unit),
            "ancestors": Unit.objects.filter(pk__in=unit.ancestor_ids()).order_by("path"),
        },
    )


@login_required
def unit_create(request):
    _require_admin_somewhere(request.user)
    form = UnitForm(request.POST or None, user=request.user, initial={"parent": request.GET.get("parent")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["parent"] is None and not access.is_superuser(request.user):
            form.add_error("parent", _("Choose the unit this one belongs to."))
        else:
            try:
                unit = services.unit_create(actor=request.user, **data)
                messages.success(request, _("Unit %(name)s created.") % {"name": unit.name})
                return redirect("organisation:unit_detail", pk=unit.pk)
            except DomainError as exc:
                add_domain_error(form, exc)
    return render(request, "organisation/form.html", {"form": form, "title": _("New unit")})


@login_required
def unit_edit(request, pk):
    unit = access.get_for_user(Unit.objects.all(), request.user, pk, "organisation.manage", "")
    initial = {"kind": unit.kind, "name": unit.name, "code": unit.code, "parent": unit.parent,
               "headcount": unit.headcount}
    form = UnitEditForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("kind")
        reason = data.pop("reason")
        if data["parent"] is None and unit.parent is not None:
            form.add_error("parent", _("A site or work unit needs a parent unit."))
        else:
            try:
                services.unit_update(actor=request.user, unit=unit, reason=reason, **data)
                messages.success(request, _("Unit saved."))
                return redirect("organisation:unit_detail", pk=unit.pk)
            except DomainError as exc:
                add_domain_error(form, exc)
    return render(request, "organisation/form.html", {"form": form, "title": _("Edit %(name)s") % {"name": unit.name}})


@login_required
def person_list(request):
    _require_admin_somewhere(request.user)
    form = PeopleFilterForm(request.GET or None, user=request.user, initial={"active": "1"})
    filters = form.cleaned_data if form.is_valid() else {"q": "", "unit": None, "role": "", "active": "1"}
    if not request.GET:
        filters["active"] = "1"
    people = selectors.people_list(request.user, **filters)
    if request.GET.get("format") == "csv":
        return csv_response(
            "people.csv",
            [_("User name"), _("Name"), _("E-mail"), _("Job title"), _("Manager"), _("Active")],
            ((p.username, p.get_full_name(), p.email, p.job_title, p.manager or "", p.is_active) for p in people),
        )
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    return render(request, "organisation/person_list.html", {"page_obj": page, "filter_form": form})


@login_required
def person_detail(request, pk):
    person = selectors.person_for_user(request.user, pk, "organisation.manage")
    memberships = person.memberships.select_related("unit").order_by("-starts_on")
    return render(
        request,
        "organisation/person_detail.html",
        {
            "person": person,
            "memberships": memberships,
            "today": timezone.localdate(),
            "timeline": ledger.timeline(person, *memberships),
            "deactivate_form": ReasonForm(),
        },
    )


@login_required
def person_create(request):
    _require_admin_somewhere(request.user)
    form = PersonCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        unit, role = data.pop("unit"), data.pop("role")
        try:
            with transaction.atomic():
                person = services.person_create(actor=request.user, **data)
                services.membership_grant(actor=request.user, user=person, unit=unit, role=role)
            messages.success(
                request,
                _("%(name)s is created. Send them a password reset link so they can choose a password.")
                % {"name": person},
            )
            return redirect("organisation:person_detail", pk=person.pk)
        except DomainError as exc:
            add_domain_error(form, exc)
    return render(request, "organisation/form.html", {"form": form, "title": _("New person")})


@login_required
def person_edit(request, pk):
    person = selectors.person_for_user(request.user, pk, "organisation.manage")
    fields = ("username", "first_name", "last_name", "email", "job_title", "language", "time_zone", "manager")
    form = PersonEditForm(request.POST or None, user=request.user, initial={f: getattr(person, f) for f in fields})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("username")
        reason = data.pop("reason")
        try:
            services.person_update(actor=request.user, person=person, reason=reason, **data)
            messages.success(request, _("Saved."))
            return redirect("organisation:person_detail", pk=person.pk)
        except DomainError as exc:
            add_domain_error(form, exc)
    return render(request, "organisation/form.html", {"form": form, "title": _("Edit %(name)s") % {"name": person}})


@login_required
@require_POST
def person_deactivate(request, pk):
    person = selectors.person_for_user(request.user, pk, "organisation.manage")
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.person_deactivate(actor=request.user, person=person, reason=form.cleaned_data["reason"])
            messages.success(request, _("%(name)s is deactivated; their roles end today.") % {"name": person})
        except DomainError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Say why the person is deactivated."))
    return redirect("organisation:person_detail", pk=person.pk)


def _membership_form_view(request, *, auditor: bool):
    _require_admin_somewhere(request.user)
    initial = {"starts_on": timezone.localdate(), "unit": request.GET.get("unit"), "user": request.GET.get("user")}
    form = MembershipForm(request.POST or None, user=request.user, auditor=auditor, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            access.require(request.user, "organisation.manage", data["unit"])
            services.membership_grant(actor=request.user, **data)
            messages.success(request, _("Role granted."))
            if auditor:
                return redirect("organisation:auditor_list")
            return redirect("organisation:unit_detail", pk=data["unit"].pk)
        except DomainError as exc:
            add_domain_error(form, exc)
    title = _("Grant auditor access") if auditor else _("Grant a role")
    return render(request, "organisation/form.html", {"form": form, "title": title})


@login_required
def membership_create(request):
    return _membership_form_view(request, auditor=False)


@login_required
def auditor_grant(request):
    return _membership_form_view(request, auditor=True)


@login_required
@require_POST
def membership_end(request, pk):
    membership = access.get_for_user(Membership.objects.select_related("unit", "user"), request.user, pk,
                                     "organisation.manage")
    try:
        services.membership_end(actor=request.user, membership=membership, reason=request.POST.get("reason", ""))
        messages.success(request, _("The role ends today."))
    except DomainError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(request.POST.get("next") if request.POST.get("next", "").startswith("/") else "organisation:unit_list")


@login_required
def auditor_list(request):
    _require_admin_somewhere(request.user)
    return render(
        request,
        "organisation/auditor_list.html",
        {"grants": selectors.auditor_grants(request.user), "today": timezone.localdate(), "role": Role.AUDITOR},
    )
