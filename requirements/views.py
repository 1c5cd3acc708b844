"""Requirement screens for QSE managers: library, versions, applicability, evaluations, import."""

import base64
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import access
from core.csv_export import csv_response
from core.exceptions import DomainError
from core.forms import add_domain_error
from organisation.models import Unit
from requirements import importing, selectors, services
from requirements.forms import (
    ApplicabilityForm,
    EvaluationForm,
    ImportForm,
    RequirementEditForm,
    RequirementFilterForm,
    RequirementForm,
    SourceForm,
    VersionForm,
)
from requirements.models import Requirement, RequirementVersion, Source
from requirements.text import render as render_text


def _require_somewhere(user, action):
    if not access.can_anywhere(user, action):
        raise PermissionDenied


def crumbs_for(requirement, *tail):
    units = Unit.objects.filter(pk__in=requirement.unit.ancestor_ids()).order_by("path")
    crumbs = [(_("Requirements"), reverse("requirements:requirement_list"))]
    crumbs += [(u.name, reverse("requirements:requirement_list") + f"?unit={u.pk}") for u in units]
    crumbs.append((requirement.reference, reverse("requirements:requirement_detail", args=[requirement.pk])))
    return crumbs + list(tail)


def get_requirement(request, pk, action="view"):
    return access.get_for_user(Requirement.objects.select_related("unit", "source", "owner"), request.user, pk, action)


@login_required
def requirement_list(request):
    form = RequirementFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    sort = filters.get("sort") or "reference"
    qs = selectors.requirement_list(
        request.user,
        q=filters.get("q", ""),
        unit=filters.get("unit"),
        source_kind=filters.get("source_kind", ""),
        sort=sort,
    )
    if request.GET.get("format") == "csv":
        return csv_response(
            "requirements.csv",
            [
                _("Reference"),
                _("Title"),
                _("Source"),
                _("Unit"),
                _("Owner"),
                _("Current version"),
                _("Next review"),
            ],
            (
                (
                    r.reference,
                    r.title,
                    r.source.reference if r.source else "",
                    r.unit.name,
                    r.owner,
                    r.current_number or "",
                    r.next_review_on or "",
                )
                for r in qs.iterator(chunk_size=2000)
            ),
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "requirements/requirement_list.html",
        {
            "page_obj": page,
            "filter_form": form,
            "sort": sort,
            "today": timezone.localdate(),
            "can_create": access.can_anywhere(request.user, "requirement.edit"),
            "crumbs": [(_("Requirements"), "")],
        },
    )


@login_required
def requirement_create(request):
    _require_somewhere(request.user, "requirement.edit")
    form = RequirementForm(
        request.POST or None,
        user=request.user,
        initial={"owner": request.user, "effective_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            requirement = services.requirement_create(actor=request.user, **form.cleaned_data)
            messages.success(request, _("Requirement created with version 1 as a draft. Approve it to communicate it."))
            return redirect("requirements:requirement_detail", pk=requirement.pk)
        except DomainError as exc:
            add_domain_error(form, exc)
    return render(
        request,
        "requirements/form.html",
        {
            "form": form,
            "title": _("New requirement"),
            "crumbs": [(_("Requirements"), reverse("requirements:requirement_list")), (_("New"), "")],
        },
    )


@login_required
def requirement_detail(request, pk):
    requirement = get_requirement(request, pk)
    versions = list(selectors.versions_of(requirement))
    current = next((v for v in versions if v.is_frozen), None)
    draft = next((v for v in versions if not v.is_frozen), None)
    user, unit = request.user, requirement.unit
    return render(
        request,
        "requirements/requirement_detail.html",
        {
            "requirement": requirement,
            "versions": versions,
            "current": current,
            "current_html": render_text(current.text, current.text_format) if current else "",
            "draft": draft,
            "draft_html": render_text(draft.text, draft.text_format) if draft else "",
            "applicability": selectors.applicability_tree(requirement),
            "evaluations": selectors.latest_evaluations(requirement),
            "communications": list(selectors.communications_of(requirement)),
            "ack_status": selectors.requirement_acknowledgement_status(requirement),
            "timeline": selectors.requirement_timeline(requirement),
            "can_edit": access.can(user, "requirement.edit", unit),
            "can_approve": access.can(user, "requirement.approve", unit),
            "can_communicate": access.can(user, "requirement.communicate", unit),
            "can_evaluate": access.can(user, "requirement.evaluate", unit),
            "crumbs": crumbs_for(requirement)[:-1] + [(requirement.reference, "")],
        },
    )


@login_required
def requirement_edit(request, pk):
    requirement = get_requirement(request, pk, "requirement.edit")
    fields = ("reference", "title", "source", "owner", "review_every_months", "next_review_on")
    form = RequirementEditForm(
        request.POST or None, user=request.user, initial={f: getattr(requirement, f) for f in fields}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        try:
            services.requirement_update(actor=request.user, requirement=requirement, reason=reason, **data)
            messages.success(request, _("Saved."))
            return redirect("requirements:requirement_detail", pk=requirement.pk)
        except DomainError as exc:
            add_domain_error(form, exc)
    return render(
        request,
        "requirements/form.html",
        {
            "form": form,
            "title": _("Edit %(ref)s") % {"ref": requirement.reference},
            "crumbs": crumbs_for(requirement, (_("Edit"), "")),
        },
    )


@login_required
def version_create(request, pk):
    requirement = get_requirement(request, pk, "requirement.edit")
    current = selectors.current_version(requirement)
    initial = {
        "effective_on": timezone.localdate(),
        "text_format": current.text_format if current else "markdown",
        "text": current.text if current else "",
    }
    form = VersionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.version_create(actor=request.user, requirement=requirement, **form.cleaned_data)
            messages.success(request, _("Version %(n)s drafted.") % {"n": version.number})
            return redirect("requirements:requirement_detail", pk=requirement.pk)
        except DomainError as exc:
            add_domain_error(form, exc)
    return render(
        request,
        "requirements/form.html",
        {
            "form": form,
            "title": _("New version of %(ref)s") % {"ref": requirement.reference},
            "crumbs": crumbs_for(requirement, (_("New version"), "")),
        },
    )


def _get_version(request, pk, action):
    version = access.get_for_user(
        RequirementVersion.objects.select_related("requirement__unit"),
        request.user,
        pk,
        action,
        "requirement__unit",
    )
    return version, version.requirement


@login_required
def version_edit(request, pk):
    version, requirement = _get_version(request, pk, "requirement.edit")
    if version.is_frozen:
        messages.error(
            request,
            _("Version %(n)s is approved and frozen; draft a new version to change it.") % {"n": version.number},
        )
        return redirect("requirements:requirement_detail", pk=requirement.pk)
    form = VersionForm(
        request.POST or None,
        initial={
            "text": version.text,
            "text_format": version.text_format,
            "effective_on": version.effective_on,
            "change_note": version.change_note,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.version_update(actor=request.user, version=version, **form.cleaned_data)
            messages.success(request, _("Draft saved."))
            return redirect("requirements:requirement_detail", pk=requirement.pk)
        except DomainError as exc:
            add_domain_error(form, exc)
    return render(
        request,
        "requirements/form.html",
        {
            "form": form,
            "title": _("Version %(n)s (draft)") % {"n": version.number},
            "crumbs": crumbs_for(requirement, (_("Version %(n)s") % {"n": version.number}, "")),
        },
    )


@login_required
@require_POST
def version_approve(request, pk):
    version, requirement = _get_version(request, pk, "requirement.approve")
    try:
        services.version_approve(actor=request.user, version=version)
        messages.success(
            request,
            _("Version %(n)s is approved and frozen. You can communicate it now.") % {"n": version.number},
        )
    except DomainError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("requirements:requirement_detail", pk=requirement.pk)


@login_required
def applicability_edit(request, pk):
    requirement = get_requirement(request, pk, "requirement.edit")
    form = ApplicabilityForm(
        request.POST or None,
        requirement=requirement,
        initial={"unit": request.GET.get("unit"), "applicable": "1"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.applicability_set(actor=request.user, requirement=requirement, **form.cleaned_data)
            messages.success(request, _("Applicability saved."))
            return redirect(reverse("requirements:requirement_detail", args=[requirement.pk]) + "#applicability")
        except DomainError as exc:
            add_domain_error(form, exc)
    return render(
        request,
        "requirements/form.html",
        {
            "form": form,
            "title": _("Applicability of %(ref)s") % {"ref": requirement.reference},
            "crumbs": crumbs_for(requirement, (_("Applicability"), "")),
        },
    )


@login_required
def evaluation_create(request, pk):
    requirement = get_requirement(request, pk, "requirement.evaluate")
    form = EvaluationForm(
        request.POST or None,
        requirement=requirement,
        initial={
            "unit": request.GET.get("unit") or requirement.unit_id,
            "evaluated_on": timezone.localdate(),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_record(actor=request.user, requirement=requirement, **form.cleaned_data)
            messages.success(request, _("Evaluation recorded."))
            return redirect(reverse("requirements:requirement_detail", args=[requirement.pk]) + "#evaluations")
        except DomainError as exc:
            add_domain_error(form, exc)
    return render(
        request,
        "requirements/form.html",
        {
            "form": form,
            "title": _("Evaluate compliance with %(ref)s") % {"ref": requirement.reference},
            "crumbs": crumbs_for(requirement, (_("Evaluation"), "")),
        },
    )


@login_required
def source_list(request):
    sources = selectors.sources_visible_to(request.user).order_by("reference")
    page = Paginator(sources, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "requirements/source_list.html",
        {
            "page_obj": page,
            "can_create": access.can_anywhere(request.user, "requirement.edit"),
            "crumbs": [(_("Requirements"), reverse("requirements:requirement_list")), (_("Sources"), "")],
        },
    )


@login_required
def source_create(request):
    _require_somewhere(request.user, "requirement.edit")
    form = SourceForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.source_create(actor=request.user, **form.cleaned_data)
            messages.success(request, _("Source created."))
            return redirect("requirements:source_list")
        except DomainError as exc:
            add_domain_error(form, exc)
    return render(
        request,
        "requirements/form.html",
        {
            "form": form,
            "title": _("New source"),
            "crumbs": [(_("Sources"), reverse("requirements:source_list")), (_("New"), "")],
        },
    )


@login_required
def source_edit(request, pk):
    source = access.get_for_user(Source.objects.all(), request.user, pk, "requirement.edit")
    form = SourceForm(
        request.POST or None,
        user=request.user,
        initial={f: getattr(source, f) for f in ("unit", "kind", "reference", "title", "url")},
    )
    form.fields["unit"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("unit")
        try:
            services.source_update(actor=request.user, source=source, **data)
            messages.success(request, _("Saved."))
            return redirect("requirements:source_list")
        except DomainError as exc:
            add_domain_error(form, exc)
    return render(
        request,
        "requirements/form.html",
        {
            "form": form,
            "title": source.reference,
            "crumbs": [(_("Sources"), reverse("requirements:source_list")), (source.reference, "")],
        },
    )


IMPORT_SESSION_KEY = "requirements_import"


@login_required
def requirement_import(request):
    """Upload → dry run listing every bad row → import (all or nothing) of the checked file."""
    _require_somewhere(request.user, "requirement.edit")
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    parsed = None
    stash = request.session.get(IMPORT_SESSION_KEY)
    if request.method == "POST" and request.POST.get("step") == "import" and stash:
        unit = access.get_for_user(Unit.objects.all(), request.user, stash["unit"], "requirement.edit", "")
        try:
            parsed = importing.parse(base64.b64decode(stash["data"]), stash["name"], unit=unit)
            created = importing.requirements_import(
                actor=request.user, unit=unit, parsed=parsed, approve=stash["approve"]
            )
            del request.session[IMPORT_SESSION_KEY]
            messages.success(
                request,
                _("%(n)s requirements imported into %(unit)s.") % {"n": len(created), "unit": unit.name},
            )
            return redirect(reverse("requirements:requirement_list") + f"?unit={unit.pk}")
        except DomainError as exc:
            messages.error(request, " ".join(exc.messages))
    elif request.method == "POST" and form.is_valid():
        upload, unit = form.cleaned_data["file"], form.cleaned_data["unit"]
        try:
            if form.cleaned_data["approve"]:
                access.require(request.user, "requirement.approve", unit)
            if upload.size > importing.MAX_BYTES:
                raise DomainError(
                    _("The file is larger than %(mb)s MB.") % {"mb": importing.MAX_BYTES // (1024 * 1024)},
                    field="file",
                )
            data = upload.read()
            parsed = importing.parse(data, upload.name, unit=unit)
            if parsed.ok:
                request.session[IMPORT_SESSION_KEY] = {
                    "unit": unit.pk,
                    "name": upload.name,
                    "data": base64.b64encode(data).decode(),
                    "approve": form.cleaned_data["approve"],
                    "at": timezone.now().isoformat(),
                }
            else:
                request.session.pop(IMPORT_SESSION_KEY, None)
        except DomainError as exc:
            add_domain_error(form, exc)
    return render(
        request,
        "requirements/import.html",
        {
            "form": form,
            "parsed": parsed,
            "columns": importing.COLUMNS,
            "max_rows": importing.MAX_ROWS,
            "preview": parsed.rows[:20] if parsed else [],
            "crumbs": [(_("Requirements"), reverse("requirements:requirement_list")), (_("Import"), "")],
        },
    )


def due_default():
    return timezone.localdate() + datetime.timedelta(days=14)
