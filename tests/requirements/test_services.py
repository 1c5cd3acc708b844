import datetime
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from core.exceptions import ConflictError, DomainError
from core.models import ChasedItem, LedgerEntry
from organisation.choices import Role
from organisation.services import membership_grant
from requirements import hooks, selectors, services, tasks
from requirements.choices import AckChannel, AckStatus, CommunicationStatus
from requirements.communication import SupersededError
from requirements.models import Acknowledgement, Communication, Evaluation, RequirementVersion
from requirements.text import render, text_sha256
from tests.personas import make_person

pytestmark = pytest.mark.django_db


def test_create_writes_history_and_ledger(org, requirement):
    version = requirement.versions.get()
    assert version.number == 1 and not version.is_frozen
    assert version.text_sha256 == text_sha256(version.text)
    entry = LedgerEntry.objects.filter(event_type="REQUIREMENT_CREATED").get()
    assert entry.target_id == str(requirement.pk) and entry.actor == org.qse
    assert {h["model"] for h in entry.payload["history"]} == {
        "requirements.historicalrequirement",
        "requirements.historicalrequirementversion",
    }
    assert requirement.history.count() == 1 and version.history.count() == 1


def test_approval_freezes_the_version(org, requirement):
    version = services.version_approve(actor=org.qse, version=requirement.versions.get())
    assert version.approved_by == org.qse and version.approved_at
    with pytest.raises(ConflictError, match="frozen"):
        services.version_update(actor=org.qse, version=version, text="Changed")
    with pytest.raises(ConflictError, match="already approved"):
        services.version_approve(actor=org.qse, version=version)
    v2 = services.version_create(actor=org.qse, requirement=requirement, text="New text", change_note="tightened")
    assert v2.number == 2
    with pytest.raises(ConflictError):
        services.version_create(actor=org.qse, requirement=requirement, text="Another")
    assert LedgerEntry.objects.filter(event_type="REQUIREMENT_VERSION_APPROVED").count() == 1


def test_only_qse_approves(org, requirement):
    with pytest.raises(PermissionDenied):
        services.version_approve(actor=org.manager, version=requirement.versions.get())


def test_safe_markdown_drops_scripts():
    html = render(
        "**bold** <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>", "markdown"
    )
    assert "<strong>bold</strong>" in html and "<script" not in html and "javascript:" not in html
    assert "onerror" not in html
    assert "&lt;b&gt;" in render("<b>plain</b>", "plain")


def test_applicability_inherits_and_needs_reason(org, requirement):
    with pytest.raises(DomainError, match="why"):
        services.applicability_set(actor=org.qse, requirement=requirement, unit=org.assembly, applicable=False)
    services.applicability_set(
        actor=org.qse, requirement=requirement, unit=org.lyon, applicable=False, reason="Not at this site"
    )
    services.applicability_set(actor=org.qse, requirement=requirement, unit=org.paint, applicable=True)
    assert not selectors.is_applicable(requirement, org.assembly)  # inherited from Lyon
    assert selectors.is_applicable(requirement, org.paint)  # overridden
    tree = {row["unit"].code: row for row in selectors.applicability_tree(requirement)}
    assert tree["assembly"]["decided_in"] == org.lyon and tree["assembly"]["reason"] == "Not at this site"
    with pytest.raises(DomainError):
        services.applicability_set(actor=org.qse, requirement=requirement, unit=org.warehouse, applicable=True)


def test_evaluation_latest_per_unit_and_hook(org, requirement, approved, today):
    services.evaluation_record(
        actor=org.qse,
        requirement=requirement,
        unit=org.assembly,
        result="compliant",
        evaluated_on=today - datetime.timedelta(days=30),
    )
    calls = []
    hooks.evaluation_needs_action.append(lambda evaluation, actor: calls.append((evaluation, actor)))
    try:
        services.evaluation_record(
            actor=org.qse, requirement=requirement, unit=org.assembly, result="partly", comment="Signs missing"
        )
    finally:
        hooks.evaluation_needs_action.clear()
    latest = selectors.latest_evaluations(requirement)
    assert [e.result for e in latest] == ["partly"] and latest[0].next_due_on.year == today.year + 1
    assert calls and calls[0][1] == org.qse
    with pytest.raises(DomainError, match="comment"):
        services.evaluation_record(actor=org.qse, requirement=requirement, unit=org.assembly, result="not_compliant")


def test_failing_hook_records_nothing(org, requirement):
    def broken(evaluation, actor):
        raise DomainError("The action could not be opened.")

    hooks.evaluation_needs_action.append(broken)
    try:
        with pytest.raises(DomainError):
            services.evaluation_record(
                actor=org.qse, requirement=requirement, unit=org.lyon, result="not_compliant", comment="Gap"
            )
    finally:
        hooks.evaluation_needs_action.clear()
    assert not Evaluation.objects.exists()
    assert not LedgerEntry.objects.filter(event_type="REQUIREMENT_EVALUATED").exists()


def test_communicate_creates_one_request_each_with_history_ledger_and_chase(org, approved, communicate):
    comm = communicate(units=[org.assembly], people=[org.sibling])
    acks = {a.person.username: a for a in comm.acknowledgements.select_related("person")}
    assert set(acks) == {"manager", "staff", "sibling"}  # auditors are never asked
    assert acks["staff"].unit == org.assembly and acks["sibling"].unit == org.paint
    assert comm.recipients_count == 3 and len(comm.recipients_sha256) == 64
    assert Acknowledgement.history.count() == 3
    entry = LedgerEntry.objects.get(event_type="REQUIREMENT_COMMUNICATED")
    assert entry.payload["recipients"] == 3 and entry.payload["text_sha256"] == approved.text_sha256
    assert ChasedItem.objects.filter(kind="acknowledgement", closed_at__isnull=True).count() == 3


@pytest.mark.parametrize("case", ["draft", "empty", "past", "outside"])
def test_communicate_refusals(org, requirement, approved, communicate, today, case):
    if case == "draft":
        draft = services.version_create(actor=org.qse, requirement=requirement, text="v2 text")
        with pytest.raises(DomainError, match="not approved"):
            communicate(units=[org.assembly], version=draft)
    elif case == "empty":
        empty = make_person(org.root, "ghost", "G", "Host")
        membership_grant(actor=org.root, user=empty, unit=org.company, role=Role.STAFF)
        with pytest.raises(DomainError, match="Nobody"):
            communicate()
    elif case == "past":
        with pytest.raises(DomainError, match="past"):
            communicate(units=[org.assembly], due=today - datetime.timedelta(days=1))
    else:
        with pytest.raises(DomainError, match="outside"):
            communicate(units=[org.warehouse])
    assert not Communication.objects.exists() and not Acknowledgement.objects.exists()


def test_acknowledge_records_proof_and_refuses_twice(org, communicate):
    comm = communicate(units=[org.assembly])
    ack = comm.acknowledgements.get(person=org.staff)
    ack = services.acknowledgement_confirm(actor=org.staff, ack=ack, ip_address="10.0.0.7", user_agent="Phone")
    assert ack.status == AckStatus.ACKNOWLEDGED and ack.text_sha256 == comm.version.text_sha256
    assert ack.ip_address == "10.0.0.7" and ack.channel == AckChannel.LOGGED_IN and ack.answered_at
    assert ack.history.count() == 2
    assert not ChasedItem.objects.filter(target_id=str(ack.pk), closed_at__isnull=True).exists()
    entry = LedgerEntry.objects.get(event_type="ACKNOWLEDGEMENT_CONFIRMED")
    assert entry.actor == org.staff and entry.payload["user_agent"] == "Phone"
    with pytest.raises(ConflictError, match="already acknowledged"):
        services.acknowledgement_confirm(actor=org.staff, ack=ack)
    with pytest.raises(PermissionDenied):
        services.acknowledgement_confirm(actor=org.manager, ack=ack)


def test_decline_needs_reason_and_exempt_needs_qse(org, communicate):
    comm = communicate(units=[org.assembly])
    ack = comm.acknowledgements.get(person=org.staff)
    with pytest.raises(DomainError, match="why"):
        services.acknowledgement_decline(actor=org.staff, ack=ack, reason="  ")
    ack = services.acknowledgement_decline(actor=org.staff, ack=ack, reason="Text unclear")
    assert ack.status == AckStatus.DECLINED and ack.reason == "Text unclear"
    other = comm.acknowledgements.get(person=org.manager)
    with pytest.raises(PermissionDenied):
        services.acknowledgement_exempt(actor=org.manager, ack=other, reason="x")
    other = services.acknowledgement_exempt(actor=org.qse, ack=other, reason="Long leave")
    assert other.status == AckStatus.EXEMPTED and other.exempted_by == org.qse


def test_new_version_supersedes_and_points_at_new_request(org, requirement, approved, communicate):
    first = communicate(units=[org.assembly])
    old_staff = first.acknowledgements.get(person=org.staff)
    services.acknowledgement_confirm(actor=org.manager, ack=first.acknowledgements.get(person=org.manager))
    v2 = services.version_create(actor=org.qse, requirement=requirement, text="Stricter text")
    services.version_approve(actor=org.qse, version=v2)
    with pytest.raises(DomainError, match="current one"):
        communicate(units=[org.assembly], version=approved)
    second = communicate(units=[org.assembly], version=v2)
    first.refresh_from_db()
    assert first.status == CommunicationStatus.SUPERSEDED and first.superseded_by == second
    with pytest.raises(SupersededError, match="version 2") as caught:
        services.acknowledgement_confirm(actor=org.staff, ack=old_staff)
    assert caught.value.newer == second.acknowledgements.get(person=org.staff)
    # The earlier acknowledgement stays; the manager now acknowledged only an older version.
    status = selectors.requirement_acknowledgement_status(requirement)
    assert status["current_count"] == 0 and [a.person for a in status["older_only"]] == [org.manager]
    assert not ChasedItem.objects.filter(target_id=str(old_staff.pk), closed_at__isnull=True).exists()


def test_newcomer_gets_a_request_through_the_hook_and_the_periodic_task(org, communicate, monkeypatch):
    comm = communicate(units=[org.assembly], roles=[(org.paint, Role.MANAGER)])
    newcomer = make_person(org.root, "newbie", "New", "Comer")
    membership = membership_grant(actor=org.root, user=newcomer, unit=org.assembly, role=Role.STAFF)
    # membership_grant runs the hook (organisation.hooks) in its own transaction.
    assert comm.acknowledgements.filter(person=newcomer).exists()
    assert services.on_membership_granted(membership, org.root) == 0  # idempotent
    # A role granted without the hook (e.g. imported straight into the database): the periodic task
    # catches the newcomer up.
    from organisation import hooks

    monkeypatch.setattr(hooks, "membership_granted", [])
    late = make_person(org.root, "late", "Late", "Joiner")
    membership_grant(actor=org.root, user=late, unit=org.paint, role=Role.MANAGER)
    unrelated = make_person(org.root, "painter", "Paint", "Er")
    membership_grant(actor=org.root, user=unrelated, unit=org.paint, role=Role.STAFF)
    assert not comm.acknowledgements.filter(person=late).exists()
    assert tasks.sync_open_communications() == 1
    comm.refresh_from_db()
    assert comm.recipients_count == 4
    assert set(comm.acknowledgements.values_list("person__username", flat=True)) == {
        "manager",
        "staff",
        "newbie",
        "late",
    }
    assert LedgerEntry.objects.filter(event_type="COMMUNICATION_AUDIENCE_GREW").count() == 2


def test_invitations_are_sent_in_each_language_and_marked(org, communicate, settings):
    settings.SITE_URL = "https://siris.example"
    comm = communicate(units=[org.assembly], people=[org.qse])
    sent = tasks.communication_send_invitations(comm.pk)
    assert sent == 3 and len(mail.outbox) == 3
    by_to = {m.to[0]: m for m in mail.outbox}
    assert "https://siris.example/requirements/link/" in by_to["staff@acme.test"].body
    assert "acknowledge" in by_to["staff@acme.test"].subject
    assert "CT L4121-1" in by_to["qse@acme.test"].subject
    assert by_to["staff@acme.test"].body.count("/requirements/link/") == 1
    comm.refresh_from_db()
    assert comm.invitations_sent_at is not None
    assert tasks.communication_send_invitations(comm.pk) == 0  # not twice


def test_broker_down_keeps_the_request_working_and_the_periodic_task_retries(
    org, communicate, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    with mock.patch.object(
        tasks.communication_send_invitations, "apply_async", side_effect=OperationalError("Redis is down")
    ):
        with django_capture_on_commit_callbacks(execute=True):
            comm = communicate(units=[org.assembly])
    comm.refresh_from_db()
    assert comm.invitations_sent_at is None
    assert tasks.send_pending_invitations(min_age_seconds=0) == 1
    comm.refresh_from_db()
    assert comm.invitations_sent_at is not None and len(mail.outbox) == 2


def test_as_of_and_dossier_data(org, communicate):
    comm = communicate(units=[org.assembly])
    services.acknowledgement_confirm(actor=org.staff, ack=comm.acknowledgements.get(person=org.staff))
    data = selectors.requirement_dossier_data(comm.requirement)
    assert data["communications"][0]["counts"]["acknowledged"] == 1
    assert {e.event_type for e in data["ledger"]} >= {"REQUIREMENT_COMMUNICATED", "ACKNOWLEDGEMENT_CONFIRMED"}
    before = comm.sent_at - datetime.timedelta(seconds=1)
    assert not selectors.acknowledgements_as_of(org.lyon, before).exists()
    assert RequirementVersion.objects.count() == 1
