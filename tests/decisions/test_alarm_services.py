import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import override_settings
from django.utils import timezone

from core.exceptions import ConflictError, DomainError
from core.models import ChasedItem, LedgerEntry
from decisions import services
from decisions.choices import AlarmStatus
from decisions.models import AlarmAddressee, AlarmEscalation
from decisions.selectors import alarms_visible_to
from organisation.choices import Role
from organisation.services import membership_grant
from tests.decisions.helpers import alarm, decision
from tests.personas import make_person

pytestmark = pytest.mark.django_db


def test_raise_records_the_addressees_and_chases_them(org):
    made = alarm(org)
    assert made.status == AlarmStatus.OPEN
    row = made.addressees.get()
    assert row.person == org.manager and row.received_at == made.raised_at and row.acknowledged_at is None
    entry = LedgerEntry.objects.get(event_type="ALARM_RAISED")
    assert entry.payload["addressees"] == [org.manager.pk]
    assert ChasedItem.objects.get(kind="alarm", recipient=org.manager).due_at == made.respond_by


def test_only_a_qse_manager_raises_unless_the_company_allows_anyone(org):
    with pytest.raises(PermissionDenied):
        alarm(org, actor=org.staff, addressees=[org.manager])
    with override_settings(SIRIS_ALLOW_ANYONE_TO_RAISE_ALARM=True):
        assert alarm(org, actor=org.staff, addressees=[org.manager]).author == org.staff


def test_bad_alarms_are_refused(org):
    with pytest.raises(DomainError) as exc:
        alarm(org, addressees=[org.staff])  # not a manager
    assert exc.value.field == "addressees"
    with pytest.raises(DomainError):
        alarm(org, addressees=[])
    with pytest.raises(DomainError) as exc:
        alarm(org, hours=-1)
    assert exc.value.field == "respond_by"
    with pytest.raises(DomainError):
        alarm(org, title="  ")


def test_acknowledge_then_answer(org):
    made = alarm(org)
    row = services.alarm_acknowledge(actor=org.manager, alarm=made)
    assert row.acknowledged_at is not None
    with pytest.raises(ConflictError):
        services.alarm_acknowledge(actor=org.manager, alarm=made)
    with pytest.raises(DomainError):
        services.alarm_answer(actor=org.manager, alarm=made, answer=" ")
    answer = decision(org, subject="Repair the guard")
    services.alarm_answer(actor=org.manager, alarm=made, answer="Press stopped; repair ordered.", decision=answer)
    made.refresh_from_db()
    assert made.status == AlarmStatus.ANSWERED
    row.refresh_from_db()
    assert row.answered_at and row.answer_decision == answer
    assert made.links.filter(target_type="decisions.decision", target_id=str(answer.pk)).exists()
    assert not ChasedItem.objects.filter(kind="alarm", closed_at__isnull=True).exists()
    with pytest.raises(ConflictError):
        services.alarm_answer(actor=org.manager, alarm=made, answer="Again")
    assert [e for e in LedgerEntry.objects.filter(target_id=str(made.pk), target_type="decisions.alarm")
            .values_list("event_type", flat=True)] == ["ALARM_RAISED", "ALARM_ACKNOWLEDGED", "ALARM_ANSWERED"]


def test_answering_an_alarm_one_is_not_addressed_to_is_404(org):
    made = alarm(org)
    for person in (org.qse, org.staff, org.outsider):
        with pytest.raises(Http404):
            services.alarm_answer(actor=person, alarm=made, answer="Not mine")
        with pytest.raises(Http404):
            services.alarm_acknowledge(actor=person, alarm=made)


def test_closing_needs_an_answer_or_a_withdrawal_with_a_reason(org):
    made = alarm(org)
    with pytest.raises(DomainError):
        services.alarm_close(actor=org.qse, alarm=made)
    with pytest.raises(PermissionDenied):
        services.alarm_withdraw(actor=org.manager, alarm=made, reason="Not mine to withdraw")
    with pytest.raises(DomainError):
        services.alarm_withdraw(actor=org.qse, alarm=made, reason="")
    services.alarm_withdraw(actor=org.qse, alarm=made, reason="Guard was already repaired")
    made.refresh_from_db()
    assert made.status == AlarmStatus.WITHDRAWN and made.withdrawn_reason == "Guard was already repaired"
    other = alarm(org)
    services.alarm_answer(actor=org.manager, alarm=other, answer="Repaired")
    services.alarm_close(actor=org.qse, alarm=other, note="Checked on site")
    other.refresh_from_db()
    assert other.status == AlarmStatus.CLOSED
    with pytest.raises(ConflictError):
        services.alarm_answer(actor=org.manager, alarm=other, answer="late")


def test_overdue_alarm_escalates_to_the_addressees_manager_once(org):
    made = alarm(org, hours=48)
    assert services.alarm_escalate_overdue(now=timezone.now() + datetime.timedelta(hours=47)) == 0
    later = timezone.now() + datetime.timedelta(hours=49)
    assert services.alarm_escalate_overdue(now=later) == 1
    assert services.alarm_escalate_overdue(now=later) == 0  # idempotent
    escalation = AlarmEscalation.objects.get()
    assert escalation.from_addressee.person == org.manager and escalation.to_person == org.qse  # manager's manager
    row = AlarmAddressee.objects.get(alarm=made, person=org.qse)
    assert row.escalated_from.person == org.manager
    assert abs(row.respond_by - (later + datetime.timedelta(hours=48))) < datetime.timedelta(seconds=5)
    entry = LedgerEntry.objects.get(event_type="ALARM_ESCALATED")
    assert entry.payload["from"] == org.manager.pk and entry.payload["to"] == org.qse.pk and entry.actor is None
    assert ChasedItem.objects.filter(kind="alarm", recipient=org.qse, closed_at__isnull=True).exists()
    assert alarms_visible_to(org.qse).filter(pk=made.pk).exists()
    # The manager, now an addressee, may answer.
    services.alarm_answer(actor=org.qse, alarm=made, answer="I take it over")


def test_escalation_without_a_manager_is_recorded(org):
    boss = make_person(org.root, "boss", "Big", "Boss")
    membership_grant(actor=org.root, user=boss, unit=org.company, role=Role.MANAGER)
    made = alarm(org, addressees=[boss])
    assert services.alarm_escalate_overdue(now=timezone.now() + datetime.timedelta(days=3)) == 1
    escalation = AlarmEscalation.objects.get(alarm=made)
    assert escalation.to_person is None
    assert "no manager" in LedgerEntry.objects.get(event_type="ALARM_ESCALATED").payload["reason"]


def test_answered_addressees_and_closed_alarms_do_not_escalate(org):
    answered = alarm(org)
    services.alarm_answer(actor=org.manager, alarm=answered, answer="Done")
    withdrawn = alarm(org)
    services.alarm_withdraw(actor=org.qse, alarm=withdrawn, reason="Mistake")
    assert services.alarm_escalate_overdue(now=timezone.now() + datetime.timedelta(days=3)) == 0


def test_alarms_are_seen_only_by_author_addressees_and_qse(org):
    made = alarm(org)
    assert alarms_visible_to(org.manager).filter(pk=made.pk).exists()
    assert alarms_visible_to(org.qse).filter(pk=made.pk).exists()
    assert alarms_visible_to(org.auditor).filter(pk=made.pk).exists()
    assert alarms_visible_to(org.admin).filter(pk=made.pk).exists()
    for person in (org.staff, org.sibling, org.outsider, org.auditor_expired):
        assert not alarms_visible_to(person).filter(pk=made.pk).exists()
