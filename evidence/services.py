"""Every write of the evidence app: evidence files and their versions, dossier requests and issue.

Rules:
- evidence is attached by someone with a write role on the record's unit; the file passes every
  upload rule first (``evidence.uploads``); it is never deleted or replaced in place: a new version
  supersedes it; an expiry date opens a chase so the uploader is reminded before it lapses;
- a dossier request is made by someone allowed to request dossiers on the unit; it is rendered by a
  worker (``evidence.tasks``), and its issue writes the file's SHA-256 to the ledger
  (``DOSSIER_ISSUED``), which is what the verify page checks.
"""

from __future__ import annotations

import datetime
import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import access, chase
from core.exceptions import ConflictError, DomainError
from core.services import apply_changes, governed_save, on_commit, record_event
from evidence import storage, targets
from evidence.choices import DossierKind, DossierStatus
from evidence.models import DossierProgress, DossierRequest, Evidence
from evidence.uploads import check_upload
from organisation.choices import UnitKind

logger = logging.getLogger(__name__)


def _check_dates(effective_on, effective_until, expires_on) -> None:
    if effective_on is None:
        raise DomainError(_("Say from which date the file proves something."), field="effective_on")
    if effective_until is not None and effective_until < effective_on:
        raise DomainError(_("The end of the period is before its start."), field="effective_until")
    if expires_on is not None and expires_on < effective_on:
        raise DomainError(_("The expiry date is before the date the file proves from."), field="expires_on")


def _store(evidence: Evidence, upload) -> None:
    upload.seek(0)
    evidence.stored_name = storage.store("evidence", upload)


def _chase_expiry(evidence: Evidence) -> None:
    if evidence.expires_on is None:
        return
    chase.open(
        kind="evidence_expiry", target=evidence, recipient=evidence.uploaded_by, due_at=evidence.expires_on,
        title=_("Evidence expires: %(title)s") % {"title": evidence.title},
        url=reverse("evidence:evidence_detail", args=[evidence.pk]), unit_path=evidence.unit.path,
    )


def _create(*, actor, target, unit, upload, title, effective_on, effective_until, expires_on, note,
            previous: Evidence | None) -> Evidence:
    checked = check_upload(upload)
    evidence = Evidence(
        unit=unit, target_type=targets.label_for(target), target_id=str(target.pk),
        target_label=targets.label_of(target), title=title.strip() or checked.name, note=note,
        original_name=checked.name, size=checked.size, sha256=checked.sha256, kind=checked.kind,
        content_type=checked.content_type, uploaded_by=actor, effective_on=effective_on,
        effective_until=effective_until, expires_on=expires_on,
        version=previous.version + 1 if previous else 1, supersedes=previous,
    )
    _store(evidence, upload)
    try:
        with transaction.atomic():
            governed_save(evidence, actor=actor, reason="new version" if previous else "evidence attached")
    except Exception:
        # The row could not be saved: do not leave an orphan file in storage.
        storage.delete(evidence.stored_name)
        raise
    return evidence


@transaction.atomic
def evidence_attach(*, actor, target, upload, title: str = "", effective_on: datetime.date | None = None,
                    effective_until=None, expires_on=None, note: str = "") -> Evidence:
    """Attach a file to a governed record. The actor needs a write role on the record's unit."""
    unit = targets.unit_of(target)
    access.require(actor, "evidence.upload", unit)
    effective_on = effective_on or timezone.localdate()
    _check_dates(effective_on, effective_until, expires_on)
    evidence = _create(actor=actor, target=target, unit=unit, upload=upload, title=title, effective_on=effective_on,
                       effective_until=effective_until, expires_on=expires_on, note=note, previous=None)
    record_event(
        actor=actor, event_type="EVIDENCE_ATTACHED", target=evidence,
        payload={"record": f"{evidence.target_type}:{evidence.target_id}", "title": evidence.title,
                 "file": evidence.original_name, "sha256": evidence.sha256, "size": evidence.size,
                 "kind": evidence.kind, "effective_on": effective_on, "effective_until": effective_until,
                 "expires_on": expires_on},
        saved=[evidence],
    )
    _chase_expiry(evidence)
    return evidence


@transaction.atomic
def evidence_supersede(*, actor, previous: Evidence, upload, title: str = "", effective_on=None,
                       effective_until=None, expires_on=None, note: str = "", reason: str = "") -> Evidence:
    """Upload a new version of an evidence file; the old one stays, marked as replaced."""
    previous = Evidence.objects.select_for_update().get(pk=previous.pk)
    access.require(actor, "evidence.upload", previous.unit)
    if Evidence.objects.filter(supersedes=previous).exists():
        raise ConflictError(_("This version has already been replaced by a newer one."))
    if not reason.strip():
        raise DomainError(_("Say why the file is replaced."), field="reason")
    target_model = targets.governed_model(previous.target_type)
    target = target_model._default_manager.get(pk=previous.target_id)
    effective_on = effective_on or timezone.localdate()
    _check_dates(effective_on, effective_until, expires_on)
    evidence = _create(actor=actor, target=target, unit=previous.unit, upload=upload,
                       title=title or previous.title, effective_on=effective_on, effective_until=effective_until,
                       expires_on=expires_on, note=note, previous=previous)
    record_event(
        actor=actor, event_type="EVIDENCE_SUPERSEDED", target=evidence,
        payload={"record": f"{evidence.target_type}:{evidence.target_id}", "replaces": previous.pk,
                 "replaced_sha256": previous.sha256, "sha256": evidence.sha256, "version": evidence.version,
                 "file": evidence.original_name, "reason": reason},
        saved=[evidence],
    )
    chase.close(target=previous, kind="evidence_expiry")
    _chase_expiry(evidence)
    return evidence


# --- dossiers ------------------------------------------------------------------------------------

def _end_of_day(day: datetime.date) -> datetime.datetime:
    end = datetime.datetime.combine(day, datetime.time(23, 59, 59, 999999))
    return timezone.make_aware(end)


@transaction.atomic
def dossier_request(*, actor, kind: str, unit=None, target=None, period_start=None, period_end=None,
                    as_of: datetime.date | None = None) -> DossierRequest:
    """Ask for a dossier; it is queued for the dossier worker once the transaction commits."""
    today = timezone.localdate()
    values = {"kind": kind, "requested_by": actor}
    if kind == DossierKind.RECORD:
        if target is None:
            raise DomainError(_("Choose the record."), field="target")
        unit = targets.unit_of(target)
        values.update(target_type=targets.label_for(target), target_id=str(target.pk),
                      scope_label=targets.label_of(target))
    elif unit is None:
        raise DomainError(_("Choose the unit."), field="unit")
    if kind == DossierKind.SCOPE:
        if period_start is None or period_end is None:
            raise DomainError(_("Give the start and end of the period."), field="period_start")
        if period_end < period_start:
            raise DomainError(_("The end of the period is before its start."), field="period_end")
        values.update(period_start=period_start, period_end=period_end,
                      scope_label=f"{unit} · {period_start.isoformat()} – {period_end.isoformat()}")
    elif kind == DossierKind.INQUIRY:
        if as_of is None:
            raise DomainError(_("Give the date of the event."), field="as_of")
        if as_of > today:
            raise DomainError(_("The date cannot be in the future."), field="as_of")
        values.update(as_of=_end_of_day(as_of), scope_label=_("%(unit)s as of %(day)s") % {
            "unit": unit, "day": as_of.isoformat()})
    elif kind == DossierKind.DUERP:
        if unit.kind not in (UnitKind.SITE, UnitKind.COMPANY):
            raise DomainError(_("The DUERP is made for a site or the whole company."), field="unit")
        values.update(scope_label=str(unit))
    elif kind != DossierKind.RECORD:
        raise DomainError(_("Unknown kind of dossier."), field="kind")
    access.require(actor, "dossier.request", unit)
    req = DossierRequest(unit=unit, **values)
    governed_save(req, actor=actor, reason="dossier requested")
    DossierProgress.objects.create(request=req, step=_("Waiting for the dossier worker"))
    record_event(
        actor=actor, event_type="DOSSIER_REQUESTED", target=req,
        payload={"reference": req.reference, "kind": kind, "scope": req.scope_label,
                 "record": f"{req.target_type}:{req.target_id}" if req.target_type else "",
                 "period": [period_start, period_end] if kind == DossierKind.SCOPE else None,
                 "as_of": req.as_of},
        saved=[req],
    )
    on_commit(enqueue_render, req.pk)
    return req


def enqueue_render(request_id: int) -> bool:
    """Hand the request to the dossier worker. If the broker is down the request stays queued in the
    database and ``dossier_requeue_stale`` (every few minutes, Celery beat) hands it over later."""
    from evidence.tasks import dossier_render

    try:
        dossier_render.apply_async((request_id,), retry=False)
        return True
    except Exception as exc:  # noqa: BLE001 (kombu/redis raise many kinds; the row is the safety net)
        logger.warning("dossier %s stays queued: the broker is unreachable (%s)", request_id, exc)
        return False


def set_progress(req: DossierRequest, percent: int, step: str) -> None:
    progress, _created = DossierProgress.objects.get_or_create(request=req)
    progress.percent, progress.step, progress.updated_at = min(percent, 100), step[:200], timezone.now()
    progress.save(update_fields=["percent", "step", "updated_at"])


STALE_RENDERING = datetime.timedelta(hours=1)


@transaction.atomic
def dossier_render_begin(*, request_id: int) -> DossierRequest | None:
    """Claim a queued request for rendering (None when another worker has it or it is finished).

    A request left "rendering" for over an hour (its worker died) may be claimed again.
    """
    req = (DossierRequest.objects.select_for_update(skip_locked=True).filter(pk=request_id).first())
    if req is None:
        return None
    stale = req.status == DossierStatus.RENDERING and req.started_at and (
        timezone.now() - req.started_at > STALE_RENDERING)
    if req.status != DossierStatus.QUEUED and not stale:
        return None
    data = {"status": DossierStatus.RENDERING, "started_at": timezone.now(), "error": ""}
    if req.kind == DossierKind.DUERP and req.duerp_version is None:
        last = (DossierRequest.objects.filter(unit=req.unit, duerp_version__isnull=False)
                .aggregate(n=Max("duerp_version"))["n"] or 0)
        data["duerp_version"] = last + 1
    changes = apply_changes(req, data)
    governed_save(req, actor=None, reason="rendering started")
    record_event(actor=None, event_type="DOSSIER_RENDERING", target=req,
                 payload={"reference": req.reference, "changes": changes}, saved=[req])
    return req


@transaction.atomic
def dossier_issue(*, request_id: int, pdf: bytes, pages: int) -> DossierRequest:
    """Store the rendered file and register its SHA-256 in the ledger: from now on the verify page
    recognises it."""
    req = DossierRequest.objects.select_for_update().get(pk=request_id)
    if req.status != DossierStatus.RENDERING:
        raise ConflictError(_("This dossier is not being rendered."))
    digest = hashlib.sha256(pdf).hexdigest()
    req.stored_name = storage.store("dossiers", ContentFile(pdf))
    apply_changes(req, {"status": DossierStatus.DONE, "sha256": digest, "size": len(pdf), "page_count": pages,
                        "finished_at": timezone.now()})
    try:
        with transaction.atomic():
            governed_save(req, actor=None, reason="dossier issued")
    except Exception:
        storage.delete(req.stored_name)
        raise
    record_event(
        actor=None, event_type="DOSSIER_ISSUED", target=req,
        payload={"reference": req.reference, "sha256": digest, "size": len(pdf), "pages": pages, "kind": req.kind,
                 "scope": req.scope_label, "requested_by": req.requested_by_id,
                 "duerp_version": req.duerp_version, "as_of": req.as_of},
        saved=[req],
    )
    set_progress(req, 100, _("Ready"))
    return req


@transaction.atomic
def dossier_fail(*, request_id: int, error: str) -> DossierRequest:
    req = DossierRequest.objects.select_for_update().get(pk=request_id)
    changes = apply_changes(req, {"status": DossierStatus.FAILED, "error": error[:2000], "duerp_version": None,
                                  "finished_at": timezone.now()})
    governed_save(req, actor=None, reason="rendering failed")
    record_event(actor=None, event_type="DOSSIER_FAILED", target=req,
                 payload={"reference": req.reference, "changes": changes}, saved=[req])
    set_progress(req, 100, _("Failed"))
    return req


@transaction.atomic
def dossier_retry(*, actor, req: DossierRequest) -> DossierRequest:
    """Queue a failed request again (a new attempt of the same request)."""
    req = DossierRequest.objects.select_for_update().get(pk=req.pk)
    access.require(actor, "dossier.request", req.unit)
    if req.status != DossierStatus.FAILED:
        raise ConflictError(_("Only a failed dossier can be tried again."))
    changes = apply_changes(req, {"status": DossierStatus.QUEUED, "error": "", "finished_at": None})
    governed_save(req, actor=actor, reason="rendering retried")
    record_event(actor=actor, event_type="DOSSIER_RETRIED", target=req,
                 payload={"reference": req.reference, "changes": changes}, saved=[req])
    set_progress(req, 0, _("Waiting for the dossier worker"))
    on_commit(enqueue_render, req.pk)
    return req
