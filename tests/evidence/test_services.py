import datetime
import hashlib

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.exceptions import ConflictError, DomainError
from core.models import ChasedItem, LedgerEntry
from evidence import services
from evidence.models import DossierRequest, Evidence
from tests.evidence.conftest import PDF_BYTES, upload

pytestmark = pytest.mark.django_db


def test_attach_stores_hash_type_and_ledger(org, media_root):
    today = timezone.localdate()
    ev = services.evidence_attach(actor=org.qse, target=org.assembly, upload=upload("../../etc/Rapport final.pdf"),
                                  title="Guard check", effective_on=today - datetime.timedelta(days=10))
    assert ev.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert ev.size == len(PDF_BYTES) and ev.kind == "pdf" and ev.content_type == "application/pdf"
    assert ev.original_name == "Rapport_final.pdf"
    # Random stored name under MEDIA_ROOT, nothing of the person's file name in it.
    assert "Rapport" not in ev.stored_name and ev.stored_name.startswith("evidence/")
    assert (media_root / ev.stored_name).read_bytes() == PDF_BYTES
    entry = LedgerEntry.objects.get(event_type="EVIDENCE_ATTACHED", target_id=str(ev.pk))
    assert entry.payload["sha256"] == ev.sha256 and entry.payload["record"] == f"organisation.unit:{org.assembly.pk}"
    assert entry.payload["history"][0]["id"] == ev.history.get().pk
    assert ev.history.count() == 1 and ev.history.get().history_user == org.qse


def test_attach_needs_a_write_role_on_the_unit(org):
    with pytest.raises(PermissionDenied):
        services.evidence_attach(actor=org.manager, target=org.assembly, upload=upload())
    assert not Evidence.objects.exists()


def test_expiry_is_chased_and_closed_when_superseded(org):
    today = timezone.localdate()
    ev = services.evidence_attach(actor=org.qse, target=org.lyon, upload=upload(), effective_on=today,
                                  expires_on=today + datetime.timedelta(days=30))
    item = ChasedItem.objects.get(kind="evidence_expiry", target_id=str(ev.pk))
    assert item.recipient == org.qse and item.closed_at is None and item.due_at.date() == ev.expires_on
    new = services.evidence_supersede(actor=org.qse, previous=ev, upload=upload("v2.txt", b"second version\n"),
                                      reason="renewed certificate")
    item.refresh_from_db()
    assert item.closed_at is not None
    assert new.version == 2 and new.supersedes == ev and new.kind == "txt"
    assert Evidence.objects.count() == 2  # the old version is kept
    ev.refresh_from_db()
    assert not ev.is_current and new.is_current
    entry = LedgerEntry.objects.get(event_type="EVIDENCE_SUPERSEDED")
    assert entry.payload["replaces"] == ev.pk and entry.payload["replaced_sha256"] == ev.sha256


def test_supersede_twice_conflicts_and_needs_a_reason(org):
    ev = services.evidence_attach(actor=org.qse, target=org.lyon, upload=upload())
    with pytest.raises(DomainError) as exc:
        services.evidence_supersede(actor=org.qse, previous=ev, upload=upload(), reason=" ")
    assert exc.value.field == "reason"
    services.evidence_supersede(actor=org.qse, previous=ev, upload=upload(), reason="newer")
    with pytest.raises(ConflictError):
        services.evidence_supersede(actor=org.qse, previous=ev, upload=upload(), reason="again")


def test_dates_in_order(org):
    today = timezone.localdate()
    with pytest.raises(DomainError) as exc:
        services.evidence_attach(actor=org.qse, target=org.lyon, upload=upload(), effective_on=today,
                                 expires_on=today - datetime.timedelta(days=1))
    assert exc.value.field == "expires_on"
    assert not Evidence.objects.exists()


def test_dossier_request_rules(org, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    with pytest.raises(DomainError) as exc:
        services.dossier_request(actor=org.qse, kind="scope", unit=org.lyon, period_start=today,
                                 period_end=today - datetime.timedelta(days=1))
    assert exc.value.field == "period_end"
    with pytest.raises(DomainError) as exc:
        services.dossier_request(actor=org.qse, kind="inquiry", unit=org.lyon, as_of=today + datetime.timedelta(1))
    assert exc.value.field == "as_of"
    with pytest.raises(DomainError) as exc:
        services.dossier_request(actor=org.qse, kind="duerp", unit=org.assembly)
    assert exc.value.field == "unit"
    with pytest.raises(PermissionDenied):
        services.dossier_request(actor=org.staff, kind="inquiry", unit=org.assembly, as_of=today)
    with django_capture_on_commit_callbacks() as callbacks:
        req = services.dossier_request(actor=org.qse, kind="inquiry", unit=org.assembly, as_of=today)
    assert len(callbacks) == 1  # the render is enqueued only after commit
    assert req.status == "queued" and req.as_of.date() == today
    assert LedgerEntry.objects.filter(event_type="DOSSIER_REQUESTED", target_id=str(req.pk)).exists()


def test_broker_down_keeps_the_request_queued_and_beat_picks_it_up(org, monkeypatch):
    from evidence import tasks

    calls = []

    def broken(*args, **kwargs):
        calls.append(args)
        raise ConnectionError("redis is down")

    monkeypatch.setattr(tasks.dossier_render, "apply_async", broken)
    assert services.enqueue_render(123) is False
    req = services.dossier_request(actor=org.qse, kind="duerp", unit=org.lyon)
    assert DossierRequest.objects.get(pk=req.pk).status == "queued"
    progress = req.progress
    progress.updated_at = timezone.now() - datetime.timedelta(minutes=10)
    progress.save()
    sent = []
    monkeypatch.setattr(tasks.dossier_render, "apply_async", lambda args, **kw: sent.append(args))
    assert tasks.dossier_requeue_stale() == 1
    assert sent == [(req.pk,)]
    # Handed over once: not again on the next run while the worker has yet to reach it.
    assert tasks.dossier_requeue_stale() == 0


def test_render_claims_once(org):
    req = services.dossier_request(actor=org.qse, kind="duerp", unit=org.lyon)
    claimed = services.dossier_render_begin(request_id=req.pk)
    assert claimed is not None and claimed.status == "rendering" and claimed.duerp_version == 1
    assert services.dossier_render_begin(request_id=req.pk) is None
