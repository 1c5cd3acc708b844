import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from core.exceptions import ConflictError
from core.models import LedgerEntry
from decisions import services
from decisions.choices import DecisionStatus
from decisions.models import Signature
from tests.decisions.helpers import alarm, decision
from tests.personas import PASSWORD


@pytest.mark.django_db
def test_decision_lifecycle_through_the_api(org, api_for):
    api = api_for(org.qse)
    created = api.post("/api/v1/decisions/", {
        "unit": org.assembly.pk, "subject": "Guard", "decision_text": "Replace the guard",
        "approvers": [org.manager.pk], "links": [],
    }, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert api.post(f"/api/v1/decisions/{pk}/submit/").json()["status"] == "submitted"
    frozen = api.post(f"/api/v1/decisions/{pk}/edit/", {"subject": "Changed"}, format="json")
    assert frozen.status_code == 409 and frozen.json()["error"]["code"] == "conflict"
    signer = api_for(org.manager)
    wrong = signer.post(f"/api/v1/decisions/{pk}/sign/", {"approve": True, "password": "bad"}, format="json")
    assert wrong.status_code == 400 and "password" in wrong.json()["error"]["fields"]
    assert LedgerEntry.objects.filter(event_type="SIGNATURE_REFUSED", target_id=str(pk)).count() == 1
    signed = signer.post(f"/api/v1/decisions/{pk}/sign/", {"approve": True, "password": PASSWORD,
                                                           "comment": "OK"}, format="json")
    body = signed.json()
    assert signed.status_code == 200 and body["status"] == "approved"
    assert body["signatures"][0]["signer_name"] == "Mona Manager" and body["signatures"][0]["meaning"] == "approval"
    twice = signer.post(f"/api/v1/decisions/{pk}/sign/", {"approve": True, "password": PASSWORD}, format="json")
    assert twice.status_code == 409


@pytest.mark.django_db
def test_bad_input_gives_400_not_500(org, api_for):
    api = api_for(org.qse)
    assert api.post("/api/v1/decisions/", {"unit": "x"}, format="json").status_code == 400
    assert api.post("/api/v1/decisions/", {"unit": org.assembly.pk, "subject": "s", "decision_text": "t",
                                           "approvers": [org.staff.pk]}, format="json").status_code == 400
    assert api.post("/api/v1/alarms/", {"unit": org.assembly.pk, "title": "t", "description": "d",
                                        "severity": "high", "respond_by": "2000-01-01T00:00:00Z",
                                        "addressees": [org.manager.pk]}, format="json").status_code == 400
    outside = api.post("/api/v1/decisions/", {"unit": org.warehouse.pk, "subject": "s", "decision_text": "t",
                                              "approvers": [org.manager.pk]}, format="json")
    assert outside.status_code == 404


@pytest.mark.django_db
def test_alarm_through_the_api(org, api_for):
    respond_by = (timezone.now() + datetime.timedelta(hours=48)).isoformat()
    created = api_for(org.qse).post("/api/v1/alarms/", {
        "unit": org.assembly.pk, "title": "Broken guard", "description": "Press 3", "severity": "critical",
        "respond_by": respond_by, "addressees": [org.manager.pk]}, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert api_for(org.staff).get(f"/api/v1/alarms/{pk}/").status_code == 404
    assert api_for(org.qse).post(f"/api/v1/alarms/{pk}/answer/", {"answer": "x"}, format="json").status_code == 404
    manager = api_for(org.manager)
    assert manager.post(f"/api/v1/alarms/{pk}/acknowledge/").json()["addressees"][0]["acknowledged_at"]
    answered = manager.post(f"/api/v1/alarms/{pk}/answer/", {"answer": "Stopped the press"}, format="json")
    assert answered.json()["status"] == "answered"
    closed = api_for(org.qse).post(f"/api/v1/alarms/{pk}/close/", {"note": "Checked"}, format="json")
    assert closed.json()["status"] == "closed"


def _run_together(*calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 (the outcome of each racer is what is checked)
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_two_approvers_at_once_make_one_decision(org):
    made = decision(org, approvers=[org.manager, org.qse], actor=org.admin, submit=True)
    results = _run_together(
        lambda: services.decision_sign(actor=org.manager, decision=made, approve=True, password=PASSWORD),
        lambda: services.decision_sign(actor=org.qse, decision=made, approve=True, password=PASSWORD),
    )
    assert all(isinstance(r, Signature) for r in results), results
    made.refresh_from_db()
    assert made.status == DecisionStatus.APPROVED
    assert LedgerEntry.objects.filter(event_type="DECISION_APPROVED", target_id=str(made.pk)).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_approver_twice_at_once_signs_once(org):
    made = decision(org, approvers=[org.manager, org.qse], actor=org.admin, submit=True)
    results = _run_together(
        lambda: services.decision_sign(actor=org.manager, decision=made, approve=True, password=PASSWORD),
        lambda: services.decision_sign(actor=org.manager, decision=made, approve=True, password=PASSWORD),
    )
    assert sorted(type(r).__name__ for r in results) == ["ConflictError", "Signature"], results
    assert Signature.objects.filter(decision=made).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_withdrawal_racing_a_signature(org):
    made = decision(org, submit=True)
    results = _run_together(
        lambda: services.decision_sign(actor=org.manager, decision=made, approve=True, password=PASSWORD),
        lambda: services.decision_withdraw(actor=org.qse, decision=made, reason="Changed our mind"),
    )
    made.refresh_from_db()
    # One wins; the other is told the state changed (409).
    assert any(isinstance(r, ConflictError) for r in results), results
    assert made.status in (DecisionStatus.APPROVED, DecisionStatus.WITHDRAWN)
    assert Signature.objects.filter(decision=made).count() == (1 if made.status == DecisionStatus.APPROVED else 0)


@pytest.mark.django_db(transaction=True)
def test_a_refused_signature_is_recorded_although_the_signing_fails(org):
    made = decision(org, submit=True)
    with pytest.raises(Exception):  # noqa: B017,PT011 (the refusal, whatever its class)
        services.decision_sign(actor=org.manager, decision=made, approve=True, password="wrong")
    connection.close()  # a fresh connection sees only what was committed
    assert LedgerEntry.objects.filter(event_type="SIGNATURE_REFUSED", target_id=str(made.pk)).count() == 1


@pytest.mark.django_db
def test_escalation_task_runs_the_service(org):
    from decisions.tasks import alarm_escalate_overdue

    made = alarm(org, hours=1)
    import time_machine

    with time_machine.travel(timezone.now() + datetime.timedelta(hours=2), tick=False):
        assert alarm_escalate_overdue.apply().get() == 1
    assert made.escalations.count() == 1
