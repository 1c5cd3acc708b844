"""Decisions and alarms with their neighbours: actions opened, risks accepted, the dossier data."""

import datetime

import pytest
from django.utils import timezone

from core.exceptions import DomainError
from decisions import services
from decisions.choices import DecisionKind, DecisionStatus
from decisions.selectors import decision_dossier_data
from tests.decisions.helpers import alarm, decision
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


def _due():
    return timezone.localdate() + datetime.timedelta(days=10)


def test_an_approved_decision_opens_its_actions(org):
    from actions.models import Action

    made = decision(org, planned_actions=[{"title": "Fit a new guard on press 3", "owner": org.manager,
                                           "due_on": _due(), "priority": "high"}], submit=True)
    assert not Action.objects.exists()
    services.decision_sign(actor=org.manager, decision=made, approve=True, password=PASSWORD)
    action = Action.objects.get()
    assert action.title == "Fit a new guard on press 3" and action.owner == org.manager
    assert action.origin_type == "decisions.decision" and action.origin_id == str(made.pk)
    assert made.planned_actions.get().opened_action_id == action.pk


def test_an_answer_can_open_actions(org):
    from actions.models import Action

    made = alarm(org)
    services.alarm_answer(actor=org.manager, alarm=made, answer="We fix it",
                          actions=[{"title": "Lock out press 3", "owner": org.manager, "due_on": _due()}])
    action = Action.objects.get()
    assert action.origin_type == "decisions.alarm" and action.origin_id == str(made.pk)
    assert made.links.filter(target_type="actions.action", target_id=str(action.pk)).exists()


def test_a_risk_acceptance_accepts_the_risk_until_its_review_date(org):
    from risks import services as risk_services

    risk = risk_services.risk_create(actor=org.qse, unit=org.assembly, title="Noise at the press",
                                     hazard="Noise above 85 dB", owner=org.manager)
    risk_services.risk_assess(actor=org.qse, risk=risk, assessed_on=timezone.localdate(), inherent_likelihood=2,
                              inherent_severity=2, residual_likelihood=1, residual_severity=2,
                              rationale="Ear protection worn")
    review = timezone.localdate() + datetime.timedelta(days=180)
    with pytest.raises(DomainError):  # a risk acceptance links exactly one risk
        decision(org, kind=DecisionKind.RISK_ACCEPTANCE, review_on=review)
    with pytest.raises(DomainError):  # and has a review date
        decision(org, kind=DecisionKind.RISK_ACCEPTANCE, links=[f"risks.risk:{risk.pk}"])
    made = decision(org, kind=DecisionKind.RISK_ACCEPTANCE, review_on=review, links=[f"risks.risk:{risk.pk}"],
                    submit=True)
    signature = services.decision_sign(actor=org.manager, decision=made, approve=True, password=PASSWORD)
    assert signature.meaning == "risk_acceptance"
    risk.refresh_from_db()
    assert risk.accepted_until == review and risk.accepted_by_decision_id == made.pk
    made.refresh_from_db()
    assert made.status == DecisionStatus.APPROVED


def test_dossier_data_carries_name_time_meaning_and_hash(org):
    made = decision(org, submit=True)
    services.decision_sign(actor=org.manager, decision=made, approve=True, password=PASSWORD, comment="OK")
    data = decision_dossier_data(made)
    assert data["content_hash_now"] == data["content_hash_submitted"] == made.content_hash
    [sig] = data["signatures"]
    assert sig["signer"] == "Mona Manager" and sig["meaning"] == "approval" and sig["signed_at"]
    assert sig["content_hash"] == made.content_hash
    assert [e.event_type for e in data["ledger"]][0] == "DECISION_APPROVED"
    assert data["content"]["decision"] == "We replace the press guard this week."


def test_decisions_and_alarms_as_of_a_date(org):
    import time_machine

    from decisions.selectors import alarms_as_of, decisions_as_of

    made = decision(org, submit=True)
    warning = alarm(org)
    day = timezone.localdate()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3), tick=False):
        services.decision_sign(actor=org.manager, decision=made, approve=True, password=PASSWORD)
        services.alarm_answer(actor=org.manager, alarm=warning, answer="Done")
        then = decisions_as_of(org.lyon, day)
        later = decisions_as_of(org.lyon, day + datetime.timedelta(days=3))
        assert [(d["decision"].status, len(d["signatures"])) for d in then] == [("submitted", 0)]
        assert [(d["decision"].status, len(d["signatures"])) for d in later] == [("approved", 1)]
        [alarm_then] = alarms_as_of(org.lyon, day)
        assert alarm_then["alarm"].status == "open" and alarm_then["addressees"][0].answered_at is None
        assert alarms_as_of(org.lille, day) == []


def test_risk_acceptance_written_on_the_screen(org, client_for):
    from risks import services as risk_services

    risk = risk_services.risk_create(actor=org.qse, unit=org.assembly, title="Noise", hazard="Noise",
                                     owner=org.manager)
    client = client_for(org.qse)
    form = client.get(f"/decisions/new/?kind=risk_acceptance&risk={risk.pk}")
    assert f'<option value="{risk.pk}" selected>' in form.content.decode()
    review = (timezone.localdate() + datetime.timedelta(days=90)).isoformat()
    response = client.post("/decisions/new/", {
        "unit": org.assembly.pk, "kind": "risk_acceptance", "risk": risk.pk, "review_on": review,
        "subject": "Accept the noise risk", "decision_text": "Accepted with ear protection",
        "approvers": [org.manager.pk], "links": f"risks.risk:{risk.pk}"})
    assert response.status_code == 302
    from decisions.models import Decision

    made = Decision.objects.get(subject="Accept the noise risk")
    assert [li.target_id for li in made.links.all()] == [str(risk.pk)]
