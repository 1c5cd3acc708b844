"""Render one dossier request: build it from selectors, print it to PDF/A, attach files, issue it.

Run by the Celery task on the dossiers queue (and called directly by tests). Steps:
1. claim the request (queued -> rendering) so two workers never render it twice;
2. build the ``Dossier`` of its kind (reads only);
3. render ``templates/pdf/dossier.html`` and lay it out with WeasyPrint (``evidence.pdf``);
4. attach every evidence file and the JSON manifest (each item, its ledger entries and hashes);
5. store the PDF and register its SHA-256 in the ledger (``services.dossier_issue``).
Any failure marks the request failed with the reason, so the screen can say so.
"""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.ledger import label_for
from evidence import services, targets
from evidence.choices import DossierKind
from evidence.dossiers import duerp, inquiry, record, scope
from evidence.dossiers.base import Dossier, attachment_name, fmt_datetime, integrity_section
from evidence.models import DossierRequest
from evidence.pdf import FileToAttach, render_pdf

logger = logging.getLogger(__name__)

# Evidence files are attached up to this total; beyond it they are listed with their hashes only.
MAX_ATTACHED_BYTES = 200 * 1024 * 1024


def verify_url() -> str:
    return settings.SITE_URL + reverse("evidence:verify")


def build(req: DossierRequest) -> Dossier:
    if req.kind == DossierKind.RECORD:
        model = targets.governed_model(req.target_type)
        obj = model._default_manager.get(pk=req.target_id)
        dossier = record.build(obj, scope_label=req.scope_label)
    elif req.kind == DossierKind.SCOPE:
        dossier = scope.build(req.unit, req.period_start, req.period_end, scope_label=req.scope_label)
    elif req.kind == DossierKind.INQUIRY:
        dossier = inquiry.build(req.unit, req.as_of, scope_label=req.scope_label)
    else:
        dossier = duerp.build(req.unit, req.as_of or req.started_at or timezone.now(), scope_label=req.scope_label,
                              version=req.duerp_version)
    dossier.sections.append(integrity_section(dossier, req.reference, verify_url()))
    dossier.number_sections()
    return dossier


def manifest(req: DossierRequest, dossier: Dossier, attached: set[int]) -> dict:
    """Every item of the dossier with its ledger entries and hashes, machine-readable."""
    by_target: dict[tuple[str, str], list[dict]] = {}
    for e in dossier.ledger_entries:
        by_target.setdefault((e.target_type, e.target_id), []).append({"seq": e.seq, "hash": e.hash})
    records, seen = [], set()
    for obj in dossier.records:
        key = (label_for(obj), str(obj.pk))
        if key in seen:
            continue
        seen.add(key)
        records.append({"type": key[0], "id": key[1], "label": str(obj)[:300], "ledger": by_target.get(key, [])})
    evidence = [
        {"id": ev.pk, "version": ev.version, "record": f"{ev.target_type}:{ev.target_id}", "title": ev.title,
         "file": ev.original_name, "size": ev.size, "sha256": ev.sha256, "kind": ev.kind,
         "effective_on": str(ev.effective_on), "expires_on": str(ev.expires_on) if ev.expires_on else None,
         "attached_as": attachment_name(ev) if ev.pk in attached else None,
         "ledger": by_target.get(("evidence.evidence", str(ev.pk)), [])}
        for ev in dossier.evidence
    ]
    ledger = [
        {"seq": e.seq, "recorded_at": e.recorded_at.isoformat(), "event_type": e.event_type, "actor": e.actor_label,
         "target": f"{e.target_type}:{e.target_id}", "prev_hash": e.prev_hash, "hash": e.hash}
        for e in dossier.ledger_entries
    ]
    return {
        "format": "siris-dossier-manifest/1",
        "dossier": {"id": req.reference, "kind": req.kind, "scope": req.scope_label, "unit": req.unit.code,
                    "as_of": req.as_of.isoformat() if req.as_of else None,
                    "period": [str(req.period_start), str(req.period_end)] if req.period_start else None,
                    "requested_by": req.requested_by.get_username(), "requested_at": req.created_at.isoformat(),
                    "duerp_version": req.duerp_version, "verify_url": verify_url()},
        "records": records,
        "evidence": evidence,
        "ledger": ledger,
    }


def html(req: DossierRequest, dossier: Dossier) -> str:
    toc = []
    for section in dossier.sections:
        toc.append((section, 1))
        toc.extend((sub, 2) for sub in section.subsections)
    cover_extra = []
    if req.period_start:
        cover_extra.append((_("Period"), f"{req.period_start.isoformat()} – {req.period_end.isoformat()}"))
    if req.duerp_version:
        cover_extra.append((_("DUERP version"), str(req.duerp_version)))
    context = {
        "req": req, "dossier": dossier, "toc": toc, "verify_url": verify_url(), "cover_extra": cover_extra,
        "language": translation.get_language() or "en",
        "as_of_label": fmt_datetime(req.as_of) if req.as_of else "",
        "requested_by": req.requested_by.get_full_name() or req.requested_by.get_username(),
        "requested_at": fmt_datetime(req.created_at), "generated_at": fmt_datetime(timezone.now()),
    }
    return render_to_string("pdf/dossier.html", context)


def files_to_attach(dossier: Dossier) -> tuple[list[FileToAttach], set[int]]:
    files, attached, total = [], set(), 0
    for ev in dossier.evidence:
        if total + ev.size > MAX_ATTACHED_BYTES:
            continue
        try:
            with ev.open_file() as handle:
                data = handle.read()
        except OSError as exc:
            logger.error("evidence %s cannot be read for dossier: %s", ev.pk, exc)
            continue
        files.append(FileToAttach(attachment_name(ev), data, ev.title))
        attached.add(ev.pk)
        total += ev.size
    return files, attached


def run(request_id: int) -> DossierRequest | None:
    req = services.dossier_render_begin(request_id=request_id)
    if req is None:
        return None
    language = getattr(req.requested_by, "language", None) or settings.LANGUAGE_CODE
    zone = getattr(req.requested_by, "time_zone", None) or settings.TIME_ZONE
    try:
        with translation.override(language), timezone.override(zone):
            services.set_progress(req, 10, _("Gathering the records"))
            dossier = build(req)
            services.set_progress(req, 40, _("Laying out the pages"))
            files, attached = files_to_attach(dossier)
            data = json.dumps(manifest(req, dossier, attached), ensure_ascii=False, indent=1).encode("utf-8")
            files.append(FileToAttach("manifest.json", data, _("Manifest: every item with its ledger entries and hashes")))
            rendered = render_pdf(html(req, dossier), attachments=files)
            services.set_progress(req, 90, _("Registering the fingerprint"))
        return services.dossier_issue(request_id=req.pk, pdf=rendered.pdf, pages=rendered.pages)
    except Exception as exc:
        logger.exception("dossier %s failed", req.reference)
        services.dossier_fail(request_id=req.pk, error=f"{type(exc).__name__}: {exc}")
        raise
