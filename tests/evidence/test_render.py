import datetime
import hashlib
import json
import re

import pytest
import time_machine
from django.utils import timezone

from core.models import LedgerEntry
from evidence import services
from evidence.models import DossierRequest
from organisation.choices import Role
from organisation.services import membership_end, membership_grant, unit_update
from tests.evidence.conftest import dossier_bytes, pdf_attachments, pdf_text, render_now, upload

pytestmark = pytest.mark.django_db



def test_record_dossier_lists_record_history_evidence_and_hashes(org, tmp_path):
    ev = services.evidence_attach(actor=org.qse, target=org.assembly, upload=upload("check.txt", b"guard ok\n"),
                                  title="Guard inspection record")
    unit_update(actor=org.root, unit=org.assembly, name="Assembly line", reason="renamed for the audit")
    req = services.dossier_request(actor=org.qse, kind="record", target=org.assembly)
    req = render_now(req)
    assert req.status == "done" and req.page_count >= 3
    data = dossier_bytes(req)
    assert req.sha256 == hashlib.sha256(data).hexdigest()
    text = pdf_text(data, tmp_path)
    for expected in ("Record dossier", req.reference, "Assembly line", "renamed for the audit",
                     "Guard inspection record", ev.sha256, "Integrity appendix", "Contents",
                     "Quentin Safety", "/evidence/verify/"):
        assert expected in text, expected
    # Footer on every page: dossier id and page numbers.
    pages = text.split("\f")
    numbered = [p for p in pages if p.strip()]
    assert len(numbered) == req.page_count
    for number, page in enumerate(numbered, start=1):
        assert req.reference in page and re.search(rf"\b{number} ?/ ?{req.page_count}\b", page), page[-200:]
    # The issued hash is in the ledger.
    entry = LedgerEntry.objects.get(event_type="DOSSIER_ISSUED", target_id=str(req.pk))
    assert entry.payload["sha256"] == req.sha256


def test_manifest_and_evidence_files_are_attached(org, tmp_path):
    first = services.evidence_attach(actor=org.qse, target=org.lyon, upload=upload("a.txt", b"first\n"), title="A")
    second = services.evidence_supersede(actor=org.qse, previous=first, upload=upload("b.csv", b"x;y\n1;2\n"),
                                         reason="newer")
    req = render_now(services.dossier_request(actor=org.qse, kind="record", target=org.lyon))
    files = pdf_attachments(dossier_bytes(req), tmp_path)
    manifest = json.loads(files["manifest.json"])
    assert manifest["dossier"]["id"] == req.reference and manifest["dossier"]["kind"] == "record"
    by_id = {e["id"]: e for e in manifest["evidence"]}
    for ev in (first, second):
        item = by_id[ev.pk]
        assert item["sha256"] == ev.sha256
        attached = files[item["attached_as"]]
        assert hashlib.sha256(attached).hexdigest() == ev.sha256
        seqs = {e["seq"] for e in item["ledger"]}
        assert seqs and seqs <= {e["seq"] for e in manifest["ledger"]}
    ledger = {e["seq"]: e["hash"] for e in manifest["ledger"]}
    for entry in LedgerEntry.objects.filter(target_type="organisation.unit", target_id=str(org.lyon.pk)):
        assert ledger[entry.seq] == entry.hash
    record = next(r for r in manifest["records"] if r["type"] == "organisation.unit")
    assert record["ledger"]


def test_pdf_is_pdf_a(org, tmp_path):
    import subprocess

    req = render_now(services.dossier_request(actor=org.qse, kind="duerp", unit=org.lyon))
    path = tmp_path / "d.pdf"
    path.write_bytes(dossier_bytes(req))
    info = subprocess.run(["pdfinfo", "-meta", str(path)], capture_output=True, text=True).stdout
    assert "pdfaid:part" in info and "3" in info


def test_scope_dossier(org, tmp_path):
    today = timezone.localdate()
    services.evidence_attach(actor=org.qse, target=org.paint, upload=upload("p.txt", b"paint booth filters\n"),
                             title="Filter change", effective_on=today)
    req = render_now(services.dossier_request(actor=org.qse, kind="scope", unit=org.lyon,
                                              period_start=today - datetime.timedelta(days=7), period_end=today))
    text = pdf_text(dossier_bytes(req), tmp_path)
    for expected in ("Scope dossier", "Lyon", "Assembly", "Paint", "Filter change", "Everything recorded in the period",
                     "Evidence attached"):
        assert expected in text, expected
    assert "Warehouse" not in text  # another site is out of scope


def test_inquiry_dossier_shows_date_d_not_later_changes(org, tmp_path):
    day_d = timezone.localdate()
    services.evidence_attach(actor=org.qse, target=org.assembly, upload=upload("old.txt", b"before\n"),
                             title="Evidence known on D", effective_on=day_d)
    acting = membership_grant(actor=org.root, user=org.sibling, unit=org.assembly, role=Role.MANAGER,
                              note="acting manager")
    later = timezone.now() + datetime.timedelta(days=5)
    with time_machine.travel(later, tick=False):
        # After D: the unit is renamed, a role ends, another starts, a new file is attached.
        unit_update(actor=org.root, unit=org.assembly, name="Assembly renamed after D", reason="later change")
        membership_end(actor=org.root, membership=acting, reason="back to paint")
        membership_grant(actor=org.root, user=org.outsider, unit=org.assembly, role=Role.STAFF)
        services.evidence_attach(actor=org.qse, target=org.assembly, upload=upload("new.txt", b"after\n"),
                                 title="Evidence added after D")
        req = render_now(services.dossier_request(actor=org.qse, kind="inquiry", unit=org.assembly, as_of=day_d))
    text = pdf_text(dossier_bytes(req), tmp_path)
    assert "Inquiry dossier" in text and day_d.isoformat() in text
    assert "Assembly" in text and "Assembly renamed after D" not in text
    assert "Sid Sibling" in text and "acting manager" in text  # held the role on D, ended later
    assert "Olga Outsider" not in text
    assert "Evidence known on D" in text
    assert "Evidence added after D" not in text
    for number in range(1, 9):
        assert f"{number}. " in text
    assert "Integrity appendix" in text
    for entry in LedgerEntry.objects.filter(recorded_at__gt=req.as_of).exclude(event_type__startswith="DOSSIER"):
        assert entry.hash not in text


def test_duerp_versions_are_numbered_and_kept(org, tmp_path):
    first = render_now(services.dossier_request(actor=org.qse, kind="duerp", unit=org.lyon))
    second = render_now(services.dossier_request(actor=org.qse, kind="duerp", unit=org.lyon))
    assert (first.duerp_version, second.duerp_version) == (1, 2)
    text = pdf_text(dossier_bytes(second), tmp_path)
    assert "DUERP" in text and "Work unit: Assembly" in text and "Work unit: Paint" in text
    assert first.reference in text and first.sha256 in text  # version 1 is listed in version 2
    # Version 1 is kept as issued.
    assert hashlib.sha256(dossier_bytes(first)).hexdigest() == first.sha256
    assert DossierRequest.objects.filter(kind="duerp", status="done").count() == 2


def test_failure_is_recorded(org, monkeypatch):
    from evidence import render

    def boom(req):
        raise RuntimeError("layout exploded")

    monkeypatch.setattr(render, "build", boom)
    req = services.dossier_request(actor=org.qse, kind="duerp", unit=org.lyon)
    with pytest.raises(RuntimeError):
        render.run(req.pk)
    req.refresh_from_db()
    assert req.status == "failed" and "layout exploded" in req.error and req.duerp_version is None
    assert LedgerEntry.objects.filter(event_type="DOSSIER_FAILED", target_id=str(req.pk)).exists()
    monkeypatch.undo()
    services.dossier_retry(actor=org.qse, req=req)
    req = render_now(req)
    assert req.status == "done" and req.duerp_version == 1
