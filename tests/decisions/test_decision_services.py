import pytest
from django.core.exceptions import PermissionDenied

from core.exceptions import ConflictError, DomainError
from core.models import ChasedItem, LedgerEntry
from decisions import services
from decisions.choices import DecisionStatus, SignatureMeaning
from decisions.models import Decision, Signature
from tests.conftest import raw_writes
from tests.decisions.helpers import decision
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


def events(target):
    return list(LedgerEntry.objects.filter(target_type=f"decisions.{target._meta.model_name}",
                                           target_id=str(target.pk)).order_by("seq").values_list("event_type",
                                                                                                 flat=True))


def test_draft_is_recorded_with_history_and_ledger(org):
    made = decision(org)
    assert made.status == DecisionStatus.DRAFT
    assert made.history.count() == 1
    assert events(made) == ["DECISION_DRAFTED"]
    entry = LedgerEntry.objects.get(event_type="DECISION_DRAFTED")
    assert entry.payload["approvers"] == [org.manager.pk]
    assert entry.payload["history"][0]["model"] == "decisions.historicaldecision"


def test_staff_cannot_write_a_decision(org):
    with pytest.raises(PermissionDenied):
        decision(org, actor=org.staff)


def test_approver_needs_an_approving_role(org):
    with pytest.raises(DomainError) as exc:
        decision(org, approvers=[org.staff])
    assert exc.value.field == "approvers"
    with pytest.raises(DomainError):
        decision(org, approvers=[])


def test_submit_freezes_and_chases_the_approvers(org):
    made = decision(org, submit=True)
    assert made.status == DecisionStatus.SUBMITTED
    assert len(made.content_hash) == 64
    assert made.content_hash == services.decision_content_hash(made)
    item = ChasedItem.objects.get(kind="decision", recipient=org.manager)
    assert item.closed_at is None
    with pytest.raises(ConflictError):
        services.decision_update(actor=org.qse, decision=made, subject="Changed after submission")
    made.refresh_from_db()
    assert made.subject == "Replace the guard"


def test_draft_edit_records_the_changes_only(org):
    made = decision(org)
    services.decision_update(actor=org.qse, decision=made, subject="Repair the guard")
    services.decision_update(actor=org.qse, decision=made, subject="Repair the guard")  # no change: no record
    entries = LedgerEntry.objects.filter(event_type="DECISION_EDITED")
    assert entries.count() == 1
    assert entries.get().payload["changes"]["subject"] == ["Replace the guard", "Repair the guard"]


def test_approval_is_an_electronic_signature(org):
    made = decision(org, submit=True)
    signature = services.decision_sign(actor=org.manager, decision=made, approve=True, password=PASSWORD,
                                       comment="Go ahead.")
    made.refresh_from_db()
    assert made.status == DecisionStatus.APPROVED
    assert signature.meaning == SignatureMeaning.APPROVAL
    assert signature.content_hash == made.content_hash
    assert signature.comment == "Go ahead."
    assert events(made) == ["DECISION_DRAFTED", "DECISION_SUBMITTED", "DECISION_SIGNED", "DECISION_APPROVED"]
    signed = LedgerEntry.objects.get(event_type="DECISION_SIGNED")
    assert signed.payload["meaning"] == "approval" and signed.payload["signer"] == org.manager.pk
    assert Signature.history.count() == 1
    assert not ChasedItem.objects.filter(kind="decision", closed_at__isnull=True).exists()


def test_all_approvers_must_approve_and_one_rejection_rejects(org):
    made = decision(org, approvers=[org.manager, org.qse], actor=org.admin, submit=True)
    services.decision_sign(actor=org.manager, decision=made, approve=True, password=PASSWORD)
    made.refresh_from_db()
    assert made.status == DecisionStatus.SUBMITTED
    services.decision_sign(actor=org.qse, decision=made, approve=False, password=PASSWORD, comment="Not enough.")
    made.refresh_from_db()
    assert made.status == DecisionStatus.REJECTED
    assert list(made.signatures.values_list("meaning", flat=True)) == ["approval", "rejection"]


def test_wrong_password_is_refused_and_recorded(org):
    made = decision(org, submit=True)
    with pytest.raises(DomainError) as exc:
        services.decision_sign(actor=org.manager, decision=made, approve=True, password="wrong")
    assert exc.value.field == "password"
    assert not Signature.objects.exists()
    refusal = LedgerEntry.objects.get(event_type="SIGNATURE_REFUSED")
    assert refusal.actor == org.manager and refusal.target_id == str(made.pk)
    made.refresh_from_db()
    assert made.status == DecisionStatus.SUBMITTED


def test_signing_twice_is_refused(org):
    made = decision(org, approvers=[org.manager, org.qse], actor=org.admin, submit=True)
    services.decision_sign(actor=org.manager, decision=made, approve=True, password=PASSWORD)
    with pytest.raises(ConflictError):
        services.decision_sign(actor=org.manager, decision=made, approve=True, password=PASSWORD)
    assert Signature.objects.count() == 1


def test_only_an_approver_signs(org):
    made = decision(org, submit=True)
    with pytest.raises(PermissionDenied):
        services.decision_sign(actor=org.qse, decision=made, approve=True, password=PASSWORD)


def test_approving_a_withdrawn_decision_is_refused(org):
    made = decision(org, submit=True)
    services.decision_withdraw(actor=org.qse, decision=made, reason="Wrong unit")
    with pytest.raises(ConflictError):
        services.decision_sign(actor=org.manager, decision=made, approve=True, password=PASSWORD)
    assert not Signature.objects.exists()
    with pytest.raises(DomainError):
        services.decision_withdraw(actor=org.qse, decision=decision(org), reason="  ")


def test_tampered_content_cannot_be_signed(org):
    made = decision(org, submit=True)
    with raw_writes():  # a change behind Siris's back
        Decision.objects.filter(pk=made.pk).update(decision_text="Something else")
    with pytest.raises(ConflictError):
        services.decision_sign(actor=org.manager, decision=made, approve=True, password=PASSWORD)


def test_revision_starts_signatures_again(org):
    made = decision(org, approvers=[org.manager, org.qse], actor=org.admin, submit=True)
    services.decision_sign(actor=org.manager, decision=made, approve=True, password=PASSWORD)
    new = services.decision_revise(actor=org.admin, decision=made, reason="Budget changed")
    made.refresh_from_db()
    assert made.status == DecisionStatus.WITHDRAWN
    assert new.revision == 2 and new.previous == made and new.status == DecisionStatus.DRAFT
    assert not new.signatures.exists()
    assert list(new.approvers.values_list("approver_id", flat=True)) == [org.manager.pk, org.qse.pk]
    with pytest.raises(ConflictError):
        services.decision_revise(actor=org.admin, decision=made)
    services.decision_update(actor=org.admin, decision=new, decision_text="We replace it today.")
    services.decision_submit(actor=org.admin, decision=new)
    new.refresh_from_db()
    assert new.content_hash != made.content_hash


def test_links_are_checked_against_the_allow_list_and_scope(org):
    other = decision(org, unit=org.warehouse, actor=org.admin, approvers=[org.admin])
    with pytest.raises(DomainError):
        decision(org, links=["auth.user:1"])
    with pytest.raises(DomainError):  # outside the QSE manager's scope: not revealed
        decision(org, links=[f"decisions.decision:{other.pk}"])
    mine = decision(org, subject="First")
    linked = decision(org, links=[f"decisions.decision:{mine.pk}"])
    assert [(li.target_type, li.target_id) for li in linked.links.all()] == [("decisions.decision", str(mine.pk))]
