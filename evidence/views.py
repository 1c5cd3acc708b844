"""Evidence and dossier screens, the public verify page and the access log for administrators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from core import access, ledger
from core.csv_export import csv_response
from core.downloads import logged_file_response
from core.exceptions import DomainError
from core.forms import add_domain_error
from core.templatetags.siris import querystring_without  # noqa: F401 (used by the templates)
from evidence import selectors, services, targets, uploads
from evidence.choices import DossierKind, DossierStatus
from evidence.forms import (
    AccessLogFilterForm,
    DossierFilterForm,
    DossierRequestForm,
    EvidenceFilterForm,
    EvidenceForm,
    SupersedeForm,
    VerifyForm,
)
from evidence.models import DossierRequest, Evidence
from organisation.models import Unit, User


def _refused_form(form_class, message: str):
    """A form showing why a body was refused unread (what was typed cannot be kept: it was not read)."""
    form = form_class()
    form.errors  # noqa: B018 (an unbound form builds its empty error list here)
    form.cleaned_data = {}
    form.add_error("file", message)
    return form


def _target_url(evidence_or_request) -> str:
    return f"{evidence_or_request.target_type}:{evidence_or_request.target_id}"


# --- evidence ------------------------------------------------------------------------------------

@login_required
def evidence_list(request):
    form = EvidenceFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.evidence_list(request.user, q=filters.get("q", ""), kind=filters.get("kind", ""),
                                 current=filters.get("current", ""), target=request.GET.get("target", ""),
                                 sort=filters.get("sort") or "-created_at")
    if request.GET.get("format") == "csv":
        return csv_response(
            "evidence.csv",
            [_("Title"), _("Version"), _("Record"), _("File name"), _("Type"), _("Size"), _("SHA-256"),
             _("Proves from"), _("Proves until"), _("Expires on"), _("Uploaded by"), _("Uploaded at"), _("Current")],
            ((e.title, e.version, e.target_label, e.original_name, e.get_kind_display(), e.size, e.sha256,
              e.effective_on, e.effective_until or "", e.expires_on or "", e.uploaded_by, e.created_at.isoformat(),
              e.is_current) for e in qs),
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "evidence/evidence_list.html", {"page_obj": page, "filter_form": form})


def _upload_form_view(request, *, form_class, template_context, handle):
    """Shared by attach and supersede: refuse an over-size body before reading it, then run ``handle``."""
    if request.method == "POST" and uploads.request_too_big(request):
        form = _refused_form(form_class, uploads.too_big_message())
        return render(request, "evidence/evidence_form.html", {"form": form, **template_context}, status=400)
    cap = uploads.install_cap(request) if request.method == "POST" else None
    return _upload_form_checked(request, form_class=form_class, template_context=template_context, handle=handle,
                                cap=cap)


@csrf_protect
def _upload_form_checked(request, *, form_class, template_context, handle, cap):
    bound = request.method == "POST"
    form = form_class(request.POST if bound else None, request.FILES if bound else None)
    if request.method == "POST":
        if cap is not None and cap.too_big:
            form.is_valid()
            form.errors.pop("file", None)
            form.add_error("file", uploads.too_big_message())
        elif form.is_valid():
            try:
                evidence = handle(form.cleaned_data)
                messages.success(request, _("The file is stored; its SHA-256 is %(hash)s.") % {"hash": evidence.sha256})
                return redirect("evidence:evidence_detail", pk=evidence.pk)
            except DomainError as exc:
                add_domain_error(form, exc)
        status = 400
    else:
        status = 200
    return render(request, "evidence/evidence_form.html", {"form": form, **template_context}, status=status)


@csrf_exempt  # the cap must be installed before the body is parsed; CSRF is checked right after
@login_required
def evidence_upload(request):
    target_type, target_id = targets.parse(request.GET.get("target", ""))
    target, _unit = targets.resolve(request.user, target_type, target_id, "evidence.upload")

    def handle(data):
        return services.evidence_attach(
            actor=request.user, target=target, upload=data["file"], title=data["title"],
            effective_on=data["effective_on"], effective_until=data["effective_until"],
            expires_on=data["expires_on"], note=data["note"])

    context = {"title": _("Attach evidence"), "target": target, "target_label": targets.label_of(target)}
    return _upload_form_view(request, form_class=EvidenceForm, template_context=context, handle=handle)


@csrf_exempt  # as evidence_upload
@login_required
def evidence_supersede(request, pk):
    previous = access.get_for_user(Evidence.objects.select_related("unit"), request.user, pk, "evidence.upload")

    def handle(data):
        return services.evidence_supersede(
            actor=request.user, previous=previous, upload=data["file"], title=data["title"],
            effective_on=data["effective_on"], effective_until=data["effective_until"],
            expires_on=data["expires_on"], note=data["note"], reason=data["reason"])

    context = {"title": _("New version of %(title)s") % {"title": previous.title}, "previous": previous,
               "target_label": previous.target_label}
    return _upload_form_view(request, form_class=SupersedeForm, template_context=context, handle=handle)


@login_required
def evidence_detail(request, pk):
    evidence = access.get_for_user(Evidence.objects.select_related("unit", "uploaded_by"), request.user, pk,
                                   "evidence.view")
    versions = list(Evidence.objects.filter(target_type=evidence.target_type, target_id=evidence.target_id)
                    .select_related("uploaded_by", "superseded_by").order_by("title", "-version"))
    chain = [v for v in versions if v.title == evidence.title] or [evidence]
    newer = next((v for v in versions if v.supersedes_id == evidence.pk), None)
    return render(request, "evidence/evidence_detail.html", {
        "evidence": evidence, "versions": chain, "newer": newer,
        "can_upload": access.can(request.user, "evidence.upload", evidence.unit),
        "timeline": ledger.timeline(evidence, *chain),
        "record_url": _record_url(evidence.target_type, evidence.target_id),
    })


def _record_url(target_type: str, target_id: str) -> str:
    """The record's own page when its app names it ``<app>:<model>_detail``."""
    app_label, _sep, model = target_type.partition(".")
    try:
        return reverse(f"{app_label}:{model}_detail", args=[target_id])
    except Exception:  # noqa: BLE001 (NoReverseMatch, or no namespace for that app yet)
        return ""


@login_required
def evidence_download(request, pk):
    evidence = access.get_for_user(Evidence.objects.select_related("unit"), request.user, pk, "evidence.download")
    return logged_file_response(request, evidence.open_file(), filename=evidence.original_name,
                                content_type=evidence.content_type, target=evidence)


# --- dossiers ------------------------------------------------------------------------------------

@login_required
def dossier_list(request):
    if not access.can_anywhere(request.user, "dossier.view"):
        raise PermissionDenied
    form = DossierFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.dossier_list(request.user, kind=filters.get("kind", ""), status=filters.get("status", ""))
    if request.GET.get("format") == "csv":
        return csv_response(
            "dossiers.csv",
            [_("Dossier id"), _("Kind"), _("Scope"), _("Requested by"), _("Requested at"), _("Status"),
             _("Issued at"), _("Pages"), _("SHA-256")],
            ((d.reference, d.get_kind_display(), d.scope_label, d.requested_by, d.created_at.isoformat(),
              d.get_status_display(), d.finished_at.isoformat() if d.finished_at else "", d.page_count or "",
              d.sha256) for d in qs),
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "evidence/dossier_list.html", {
        "page_obj": page, "filter_form": form,
        "can_request": access.can_anywhere(request.user, "dossier.request"),
    })


@login_required
def dossier_create(request):
    if not access.can_anywhere(request.user, "dossier.request"):
        raise PermissionDenied
    initial = {"kind": request.GET.get("kind"), "unit": request.GET.get("unit"), "as_of": request.GET.get("as_of")}
    form = DossierRequestForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            req = services.dossier_request(actor=request.user, kind=data["kind"], unit=data["unit"],
                                           period_start=data["period_start"], period_end=data["period_end"],
                                           as_of=data["as_of"])
            messages.success(request, _("Dossier %(ref)s is being prepared.") % {"ref": req.reference})
            return redirect("evidence:dossier_detail", pk=req.pk)
        except DomainError as exc:
            add_domain_error(form, exc)
    return render(request, "evidence/dossier_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_POST
def dossier_record(request):
    """The "Proof dossier" button of any record page: POST target=app_label.model:id."""
    target_type, target_id = targets.parse(request.POST.get("target", ""))
    target, _unit = targets.resolve(request.user, target_type, target_id, "dossier.request")
    req = services.dossier_request(actor=request.user, kind=DossierKind.RECORD, target=target)
    messages.success(request, _("Dossier %(ref)s is being prepared.") % {"ref": req.reference})
    return redirect("evidence:dossier_detail", pk=req.pk)


def _dossier_for(request, pk, action="dossier.view"):
    return access.get_for_user(DossierRequest.objects.select_related("unit", "requested_by", "progress"),
                               request.user, pk, action)


@login_required
def dossier_detail(request, pk):
    req = _dossier_for(request, pk)
    return render(request, "evidence/dossier_detail.html", {
        "req": req, "timeline": ledger.timeline(req),
        "verify_url": reverse("evidence:verify"),
        "record_url": _record_url(req.target_type, req.target_id) if req.target_type else "",
        "can_retry": req.status == DossierStatus.FAILED and access.can(request.user, "dossier.request", req.unit),
    })


@login_required
def dossier_progress(request, pk):
    """The progress fragment the dossier page polls (htmx) while the worker renders."""
    req = _dossier_for(request, pk)
    return render(request, "evidence/_dossier_progress.html", {"req": req})


@login_required
def dossier_download(request, pk):
    req = _dossier_for(request, pk, "dossier.download")
    if req.status != DossierStatus.DONE:
        messages.error(request, _("This dossier is not ready yet."))
        return redirect("evidence:dossier_detail", pk=req.pk)
    return logged_file_response(request, req.open_file(), filename=req.filename, content_type="application/pdf",
                                target=req)


@login_required
@require_POST
def dossier_retry(request, pk):
    req = _dossier_for(request, pk)
    try:
        services.dossier_retry(actor=request.user, req=req)
        messages.success(request, _("The dossier is queued again."))
    except DomainError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("evidence:dossier_detail", pk=req.pk)


@login_required
def duerp_versions(request, unit_pk):
    """Every issued version of a site's or the company's DUERP, kept and downloadable."""
    unit = access.get_for_user(Unit.objects.all(), request.user, unit_pk, "dossier.view", "")
    return render(request, "evidence/duerp_versions.html", {
        "unit": unit, "versions": selectors.duerp_versions(unit),
        "can_request": access.can(request.user, "dossier.request", unit),
    })


# --- verification (public) ------------------------------------------------------------------------

@csrf_exempt  # as evidence_upload: the cap goes in before the body is read
def verify(request):
    """Anyone holding a file may check it. The answer says only whether Siris issued it, when, and
    of what kind and scope; nothing more is revealed without logging in."""
    if request.method == "POST" and uploads.request_too_big(request):
        form = _refused_form(VerifyForm, _("This file is larger than any dossier Siris accepts for checking here."))
        return render(request, "evidence/verify.html", {"form": form}, status=400)
    if request.method == "POST":
        uploads.install_cap(request)
    return _verify_checked(request)


@csrf_protect
def _verify_checked(request):
    bound = request.method == "POST"
    form = VerifyForm(request.POST if bound else None, request.FILES if bound else None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        if upload is not None:
            upload.seek(0)
            digest = selectors.file_sha256(upload)
        else:
            digest = selectors.normalise_hash(form.cleaned_data["sha256"])
            if not digest:
                form.add_error("sha256", _("A SHA-256 fingerprint is 64 characters from 0-9 and a-f."))
        if not form.errors:
            result = selectors.verify_hash(digest)
    return render(request, "evidence/verify.html", {"form": form, "result": result},
                  status=400 if form.errors else 200)


# --- access log (administrators) ------------------------------------------------------------------

@login_required
def access_log(request):
    if not access.can_anywhere(request.user, "accesslog.view"):
        raise PermissionDenied
    form = AccessLogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    person = None
    if filters.get("person"):
        person = User.objects.filter(username=filters["person"].strip()).first()
    qs = selectors.access_log(request.user, person=person, kind=filters.get("kind", ""),
                              since=filters.get("since"), until=filters.get("until"))
    if filters.get("person") and person is None:
        qs = qs.none()
    if request.GET.get("format") == "csv":
        return csv_response(
            "access-log.csv",
            [_("At"), _("Person"), _("What"), _("Page or file"), _("Status"), _("Record"), _("IP address")],
            ((a.at.isoformat(), a.user.get_username(), a.get_kind_display(), a.path, a.status_code,
              f"{a.target_type}:{a.target_id}" if a.target_type else "", a.ip_address or "") for a in qs),
        )
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    return render(request, "evidence/access_log.html", {"page_obj": page, "filter_form": form})
