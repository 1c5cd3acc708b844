"""Risk screens: the register with its heat map, the risk page, assessing, the matrix, the DUERP."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import access, ledger
from core.csv_export import csv_response
from core.exceptions import ConflictError, DomainError
from core.forms import add_domain_error
from core.units import current_unit
from organisation.models import Unit
from organisation.selectors import people_visible_to
from risks import selectors, services
from risks.filters import RiskFilter
from risks.forms import AssessmentForm, MatrixForm, RiskEditForm, RiskForm
from risks.models import Risk


def _unit_for(request):
    """The unit the person looks at (unit switcher or ?unit=), else the top of what they can see."""
    units = list(access.units_visible_to(request.user).order_by("path"))
    unit = current_unit(request, units)
    return unit or (units[0] if units else None)


def _crumbs(unit, last):
    crumbs = [
        (u.name, f"{reverse('risks:register')}?unit={u.pk}")
        for u in Unit.objects.filter(pk__in=unit.ancestor_ids()).order_by("path")
    ]
    return crumbs + [(last, "")]


@login_required
def register(request):
    """The register of a unit (and below), filtered and sorted from the URL, with the heat map of
    the same filters; CSV exports exactly the filtered rows. A fixed number of queries."""
    unit = _unit_for(request)
    if unit is None:
        raise PermissionDenied
    matrix = selectors.current_matrix(unit.company_id)
    base = access.visible_to(selectors.risk_register(unit), request.user)
    owners = people_visible_to(request.user).filter(is_active=True).order_by("last_name", "first_name")
    filters = RiskFilter(request.GET or None, queryset=base, owners=owners, matrix=matrix)
    risks = filters.qs
    if request.GET.get("format") == "csv":
        return _register_csv(unit, risks)
    # The heat map shows the same filters except the chosen cell (so the other cells stay visible).
    params = request.GET.copy()
    selected = params.pop("cell", [""])[0]
    params.pop("page", None)
    heat_filters = RiskFilter(params or None, queryset=base, owners=owners, matrix=matrix)
    heat = selectors.heat_map(heat_filters.qs, matrix)
    params.pop("format", None)
    link_base = "?" + (params.urlencode() + "&" if params else "")
    page = Paginator(risks, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "risks/register.html",
        {
            "unit": unit,
            "matrix": matrix,
            "filter_form": filters.form,
            "page_obj": page,
            "heat": heat,
            "link_base": link_base,
            "selected_cell": selected,
            "can_manage": access.can(request.user, "risk.manage", unit),
            "crumbs": _crumbs(unit, _("Risk register")),
            "today": timezone.localdate(),
        },
    )


def _register_csv(unit, risks):
    header = [
        _("Reference"),
        _("Unit"),
        _("Title"),
        _("Hazard"),
        _("Category"),
        _("Status"),
        _("Owner"),
        _("Inherent score"),
        _("Inherent level"),
        _("Residual score"),
        _("Residual level"),
        _("Last assessment"),
        _("Matrix version"),
        _("Next review"),
        _("Controls"),
        _("Open actions"),
        _("Accepted until"),
    ]

    def rows():
        for r in risks.iterator(chunk_size=2000):
            a = r.current_assessment
            yield [
                r.reference,
                r.unit.name,
                r.title,
                r.hazard,
                r.get_category_display(),
                r.get_status_display(),
                r.owner,
                a.inherent_score if a else "",
                a.get_inherent_level_display() if a else "",
                a.residual_score if a else "",
                a.get_residual_level_display() if a else "",
                a.assessed_on if a else "",
                a.matrix.version if a else "",
                r.next_review_on or "",
                r.controls_count,
                r.open_actions_count,
                r.accepted_until or "",
            ]

    return csv_response(f"risks-{unit.code}-{timezone.localdate()}.csv", header, rows())


@login_required
def risk_detail(request, pk):
    risk = selectors.risk_for_user(request.user, pk)
    assessments = list(selectors.assessments_of(risk))
    controls = selectors.controls_of(risk)
    actions = selectors.open_actions_of(risk)
    return render(
        request,
        "risks/risk_detail.html",
        {
            "risk": risk,
            "assessments": assessments,
            "controls": list(controls) if controls is not None else None,
            "actions": list(actions) if actions is not None else None,
            "timeline": ledger.timeline(risk),
            "can_assess": access.can(request.user, "risk.assess", risk.unit),
            "can_manage": access.can(request.user, "risk.manage", risk.unit),
            # Risk acceptance is a signed decision (decisions app), prepared from here.
            "can_accept": risk.current_assessment_id is not None
            and access.can(request.user, "decision.create", risk.unit),
            "crumbs": _crumbs(risk.unit, risk.reference),
        },
    )


@login_required
def risk_create(request):
    if not access.can_anywhere(request.user, "risk.manage"):
        raise PermissionDenied
    initial = {"unit": request.GET.get("unit"), "owner": request.user.pk}
    form = RiskForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            access.require(request.user, "risk.manage", data["unit"])
            risk = services.risk_create(actor=request.user, **data)
            messages.success(request, _("Risk recorded. Assess it now."))
            return redirect("risks:risk_assess", pk=risk.pk)
        except DomainError as exc:
            add_domain_error(form, exc)
    return render(request, "risks/form.html", {"form": form, "title": _("New risk")})


@login_required
def risk_edit(request, pk):
    risk = selectors.risk_for_user(request.user, pk, "risk.manage")
    fields = ("title", "hazard", "situation", "consequences", "category", "owner", "next_review_on", "status")
    form = RiskEditForm(
        request.POST or None, user=request.user, risk=risk, initial={f: getattr(risk, f) for f in fields}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        try:
            services.risk_update(actor=request.user, risk=risk, reason=reason, **data)
            messages.success(request, _("Risk saved."))
            return redirect("risks:risk_detail", pk=risk.pk)
        except DomainError as exc:
            add_domain_error(form, exc)
    return render(
        request,
        "risks/form.html",
        {"form": form, "title": _("Edit %(title)s") % {"title": risk.title}, "risk": risk},
    )


@login_required
def risk_assess(request, pk):
    """The Assess form: ratings offered from the company's current matrix; refused input is kept."""
    risk = selectors.risk_for_user(request.user, pk, "risk.assess")
    matrix = services.risk_matrix_ensure(actor=request.user, company=services.company_of(risk.unit))
    initial = {}
    if risk.current_assessment is not None:
        initial["existing_measures"] = risk.current_assessment.existing_measures
    form = AssessmentForm(request.POST or None, matrix=matrix, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.risk_assess(actor=request.user, risk=risk, **data)
            messages.success(request, _("Assessment recorded."))
            return redirect("risks:risk_detail", pk=risk.pk)
        except ConflictError as exc:
            # The matrix changed under the form: show the new scales, keep what was typed.
            matrix = services.risk_matrix_ensure(actor=request.user, company=services.company_of(risk.unit))
            data = request.POST.copy()
            data["matrix_version"] = matrix.version
            form = AssessmentForm(data, matrix=matrix)
            form.is_valid()
            form.add_error(None, exc.messages[0])
        except DomainError as exc:
            add_domain_error(form, exc)
    return render(
        request,
        "risks/assess.html",
        {"form": form, "risk": risk, "matrix": matrix, "crumbs": _crumbs(risk.unit, _("Assess"))},
    )


def _company_for(request):
    """The company of the unit looked at: anyone with a role in it may read its matrix."""
    unit = _unit_for(request)
    if unit is None:
        raise Http404
    return Unit.objects.get(pk=unit.company_id) if unit.pk != unit.company_id else unit


@login_required
def matrix_detail(request):
    company = _company_for(request)
    matrix = selectors.current_matrix(company)
    return render(
        request,
        "risks/matrix.html",
        {
            "company": company,
            "matrix": matrix,
            "versions": selectors.matrix_versions(company),
            "can_edit": access.can(request.user, "risk.matrix.manage", company),
            "scale": list(zip(matrix.likelihood_labels, matrix.severity_labels, strict=False))
            if matrix
            else [],
            "timeline": ledger.timeline(*selectors.matrix_versions(company)) if matrix else [],
        },
    )


@login_required
def matrix_edit(request):
    """Record a new version of the company's matrix; earlier assessments keep theirs."""
    company = _company_for(request)
    access.require(request.user, "risk.matrix.manage", company)
    matrix = selectors.current_matrix(company) or services.risk_matrix_ensure(
        actor=request.user, company=company
    )
    form = MatrixForm(request.POST or None, initial=MatrixForm.initial_for(matrix))
    if request.method == "POST" and form.is_valid():
        try:
            new = services.risk_matrix_create(actor=request.user, company=company, **form.cleaned_data)
            messages.success(request, _("Matrix version %(v)d recorded.") % {"v": new.version})
            return redirect(f"{reverse('risks:matrix')}?unit={company.pk}")
        except DomainError as exc:
            add_domain_error(form, exc)
    return render(request, "risks/form.html", {"form": form, "title": _("New version of the risk matrix")})


@login_required
def duerp(request):
    """The DUERP view of a unit: by work unit, the hazards, levels, measures and planned actions."""
    unit = _unit_for(request)
    if unit is None:
        raise PermissionDenied
    groups = selectors.duerp_data(unit)
    visible = {u.pk for u in access.units_visible_to(request.user)}
    groups = [g for g in groups if g.unit.pk in visible]
    matrix = selectors.current_matrix(unit.company_id)
    if request.GET.get("format") == "csv":
        header = [
            _("Work unit"),
            _("Hazard"),
            _("Dangerous situation"),
            _("Inherent level"),
            _("Residual level"),
            _("Measures in place"),
            _("Controls"),
            _("Actions planned"),
            _("Last assessment"),
        ]
        rows = (
            [
                g.unit.name,
                row["risk"].hazard,
                row["risk"].situation,
                row["assessment"].get_inherent_level_display() if row["assessment"] else "",
                row["assessment"].get_residual_level_display() if row["assessment"] else "",
                row["measures"],
                "; ".join(row["controls"]),
                "; ".join(f"{a.title} ({a.due_on})" for a in row["actions"]),
                row["assessment"].assessed_on if row["assessment"] else "",
            ]
            for g in groups
            for row in g.rows
        )
        return csv_response(f"duerp-{unit.code}-{timezone.localdate()}.csv", header, rows)
    return render(
        request,
        "risks/duerp.html",
        {"unit": unit, "groups": groups, "matrix": matrix, "crumbs": _crumbs(unit, _("DUERP"))},
    )


def risk_url(risk: Risk) -> str:
    return reverse("risks:risk_detail", args=[risk.pk])
