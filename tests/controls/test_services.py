import datetime

import pytest
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from controls import hooks, schedule, services
from controls.models import ChecklistItem, Control, Inspection, InspectionAnswer, MissedInspection
from core.exceptions import ConflictError, DomainError
from core.models import ChasedItem, LedgerEntry
from tests.conftest import raw_writes
from tests.controls.helpers import at, days_ago, make_control, ok_answers

pytestmark = pytest.mark.django_db


def ledger_of(obj, event_type):
    return LedgerEntry.objects.filter(target_type=f"controls.{obj._meta.model_name}", target_id=str(obj.pk),
                                      event_type=event_type)


@pytest.fixture
def control(org):
    return make_control(org, next_due_on=timezone.localdate() + datetime.timedelta(days=3))


def test_create_writes_history_ledger_checklist_and_chases_the_owner(org, control):
    entry = ledger_of(control, "CONTROL_CREATED").get()
    assert entry.actor == org.qse
    assert entry.payload["checklist"] == [["Pressure gauge in the green", True], ["Seal intact", True],
                                          ["Label legible", False]]
    history_models = {ref["model"] for ref in entry.payload["history"]}
    assert history_models == {"controls.historicalcontrol", "controls.historicalchecklistitem"}
    assert control.history.get().history_user == org.qse
    assert [i.position for i in control.checklist_items.all()] == [1, 2, 3]
    chased = ChasedItem.objects.get(kind="inspection", target_id=str(control.pk), closed_at__isnull=True)
    assert chased.recipient == org.manager
    assert chased.due_at.date() == control.next_due_on
    assert chased.url == f"/controls/{control.pk}/inspect/"


@pytest.mark.parametrize("count", [0, -1, None])
def test_frequency_below_one_is_refused(org, count):
    with pytest.raises(DomainError) as exc:
        make_control(org, count=count)
    assert exc.value.field == "frequency_count"
    assert not Control.objects.exists()


def test_frequency_zero_is_refused_by_the_database_too(org, control):
    with pytest.raises(IntegrityError), transaction.atomic(), raw_writes():
        Control.objects.filter(pk=control.pk).update(frequency_count=0)


def test_create_refuses_bad_dates_and_owner_out_of_scope(org):
    with pytest.raises(DomainError) as exc:
        make_control(org, since=-2)  # in service from the future
    assert exc.value.field == "in_service_since"
    with pytest.raises(DomainError) as exc:
        make_control(org, since=10, next_due_on=days_ago(20))
    assert exc.value.field == "next_due_on"
    with pytest.raises(DomainError) as exc:
        make_control(org, owner=org.outsider)
    assert exc.value.field == "owner"
    assert not LedgerEntry.objects.filter(event_type="CONTROL_CREATED").exists()


def test_record_on_time_moves_due_date_by_frequency_and_closes_the_chase(org, control):
    due = control.next_due_on
    inspection = services.inspection_record(actor=org.manager, control=control, performed_at=timezone.now(),
                                            result="pass", answers=ok_answers(control), findings="All good")
    control.refresh_from_db()
    assert inspection.due_on == due and inspection.on_time
    assert control.next_due_on == schedule.add(due, 1, "month") == inspection.next_due_on
    assert inspection.performed_by == org.manager
    assert [a.answer for a in inspection.answers.order_by("position")] == ["ok", "ok", "ok"]
    assert inspection.answers.get(position=1).item_text == "Pressure gauge in the green"
    entry = ledger_of(inspection, "INSPECTION_RECORDED").get()
    assert entry.payload["result"] == "pass" and entry.payload["on_time"] is True
    assert entry.payload["next_due_on"] == [due.isoformat(), control.next_due_on.isoformat()]
    models = sorted(ref["model"] for ref in entry.payload["history"])
    assert models.count("controls.historicalinspectionanswer") == 3
    assert "controls.historicalinspection" in models and "controls.historicalcontrol" in models
    items = ChasedItem.objects.filter(kind="inspection", target_id=str(control.pk))
    assert items.filter(closed_at__isnull=False).count() == 1
    assert items.get(closed_at__isnull=True).due_at.date() == control.next_due_on
    assert inspection.opened_actions == []


def test_late_inspection_fulfils_the_latest_date_and_records_the_missed_ones(org):
    control = make_control(org, next_due_on=days_ago(75))
    first = control.next_due_on
    passed = schedule.occurrences(first, 1, "month", until=timezone.localdate())
    inspection = services.inspection_record(actor=org.qse, control=control, performed_at=timezone.now(),
                                            result="pass", answers=ok_answers(control))
    control.refresh_from_db()
    assert inspection.due_on == passed[-1]
    assert sorted(MissedInspection.objects.filter(control=control).values_list("due_on", flat=True)) == passed[:-1]
    assert all(m.detected_by == inspection for m in MissedInspection.objects.filter(control=control))
    assert control.next_due_on == schedule.first_after(first, 1, "month", after=timezone.localdate())
    assert control.next_due_on > timezone.localdate()


def test_overdue_is_computed_from_dates(org):
    control = make_control(org, next_due_on=days_ago(1))
    assert control.due_state() == "overdue"
    assert Control.objects.overdue().filter(pk=control.pk).exists()
    assert control.due_state(today=days_ago(2)) == "due_soon"


@pytest.mark.parametrize("performed, field", [
    (lambda c: timezone.now() + datetime.timedelta(minutes=5), "performed_at"),
    (lambda c: at(c.in_service_since - datetime.timedelta(days=1)), "performed_at"),
])
def test_bad_dates_are_refused_and_nothing_is_written(org, control, performed, field):
    before = LedgerEntry.objects.count()
    with pytest.raises(DomainError) as exc:
        services.inspection_record(actor=org.qse, control=control, performed_at=performed(control), result="pass",
                                   answers=ok_answers(control))
    assert exc.value.field == field
    assert LedgerEntry.objects.count() == before
    assert not Inspection.objects.exists() and not InspectionAnswer.objects.exists()


def test_missing_required_answer_is_refused_with_the_item_named(org, control):
    items = list(control.checklist_items.order_by("position"))
    answers = {str(items[0].pk): {"answer": "ok"}, str(items[2].pk): {"answer": "na"}}
    with pytest.raises(DomainError) as exc:
        services.inspection_record(actor=org.qse, control=control, performed_at=timezone.now(), result="pass",
                                   answers=answers)
    assert exc.value.field == f"item_{items[1].pk}"
    assert "Seal intact" in exc.value.messages[0]
    assert not Inspection.objects.exists()
    # The optional item may stay unanswered.
    answers[str(items[1].pk)] = {"answer": "not_ok", "note": "seal broken"}
    del answers[str(items[2].pk)]
    inspection = services.inspection_record(actor=org.qse, control=control, performed_at=timezone.now(),
                                            result="partial", answers=answers)
    assert inspection.answers.get(item=items[2]).answer == ""


def test_unknown_items_bad_answers_and_results_are_refused(org, control):
    with pytest.raises(DomainError):
        services.inspection_record(actor=org.qse, control=control, performed_at=timezone.now(), result="pass",
                                   answers={**ok_answers(control), "999999": {"answer": "ok"}})
    bad = ok_answers(control)
    bad[next(iter(bad))] = {"answer": "maybe"}
    with pytest.raises(DomainError):
        services.inspection_record(actor=org.qse, control=control, performed_at=timezone.now(), result="pass",
                                   answers=bad)
    with pytest.raises(DomainError) as exc:
        services.inspection_record(actor=org.qse, control=control, performed_at=timezone.now(), result="great",
                                   answers=ok_answers(control))
    assert exc.value.field == "result"
    assert not Inspection.objects.exists()


def test_inspections_are_recorded_in_order(org, control):
    services.inspection_record(actor=org.qse, control=control, performed_at=timezone.now(), result="pass",
                               answers=ok_answers(control))
    with pytest.raises(DomainError) as exc:
        services.inspection_record(actor=org.qse, control=control, performed_at=at(days_ago(3)), result="pass",
                                   answers=ok_answers(control))
    assert exc.value.field == "performed_at"


def test_recorded_inspections_cannot_be_changed_in_the_database(org, control):
    inspection = services.inspection_record(actor=org.qse, control=control, performed_at=timezone.now(),
                                            result="fail", answers=ok_answers(control))
    with pytest.raises(DatabaseError), transaction.atomic(), raw_writes():
        Inspection.objects.filter(pk=inspection.pk).update(result="pass")
    with pytest.raises(DatabaseError), transaction.atomic():
        InspectionAnswer.objects.filter(inspection=inspection).delete()
    inspection.refresh_from_db()
    assert inspection.result == "fail"


@pytest.fixture
def only_hooks():
    """Run with only the hooks a test registers (the actions app registers its own)."""
    saved = list(hooks.inspection_needs_action)
    hooks.inspection_needs_action.clear()
    yield hooks.register
    hooks.inspection_needs_action[:] = saved


@pytest.fixture
def action_hook(only_hooks):
    calls = []

    def open_action(inspection, actor):
        calls.append((inspection.pk, inspection.result, actor.username))
        return f"action for {inspection.pk}"

    only_hooks(open_action)
    return calls


def test_fail_and_partial_call_the_action_hooks_pass_does_not(org, control, action_hook):
    failed = services.inspection_record(actor=org.qse, control=control, performed_at=timezone.now(),
                                        result="fail", answers=ok_answers(control))
    assert action_hook == [(failed.pk, "fail", "qse")]
    assert failed.opened_actions == [f"action for {failed.pk}"]
    services.inspection_record(actor=org.qse, control=control, performed_at=timezone.now(), result="pass",
                               answers=ok_answers(control))
    assert len(action_hook) == 1


def test_a_failing_hook_records_nothing(org, control, only_hooks):
    def broken(inspection, actor):
        raise DomainError("The action could not be opened.")

    only_hooks(broken)
    before = LedgerEntry.objects.count()
    due = control.next_due_on
    with pytest.raises(DomainError):
        services.inspection_record(actor=org.qse, control=control, performed_at=timezone.now(),
                                   result="fail", answers=ok_answers(control))
    control.refresh_from_db()
    assert not Inspection.objects.exists()
    assert control.next_due_on == due
    assert LedgerEntry.objects.count() == before


def test_correction_is_a_new_record_pointing_at_the_first(org, control, action_hook):
    first = services.inspection_record(actor=org.manager, control=control, performed_at=timezone.now(),
                                       result="pass", answers=ok_answers(control))
    control.refresh_from_db()
    due_after = control.next_due_on
    with pytest.raises(DomainError) as exc:
        services.inspection_correct(actor=org.qse, inspection=first, reason=" ", performed_at=timezone.now(),
                                    result="fail", answers=ok_answers(control))
    assert exc.value.field == "reason"
    correction = services.inspection_correct(actor=org.qse, inspection=first, reason="the seal was broken",
                                             performed_at=first.performed_at, result="fail",
                                             answers=ok_answers(control), findings="Seal broken on unit 3")
    first.refresh_from_db()
    control.refresh_from_db()
    assert first.result == "pass" and correction.corrects == first
    assert correction.due_on == first.due_on and correction.next_due_on is None
    assert control.next_due_on == due_after
    assert list(Inspection.objects.effective()) == [correction]
    assert action_hook == [(correction.pk, "fail", "qse")]
    entry = ledger_of(correction, "INSPECTION_CORRECTED").get()
    assert entry.payload["corrects"] == first.pk and entry.payload["result"] == ["pass", "fail"]
    with pytest.raises(ConflictError):
        services.inspection_correct(actor=org.qse, inspection=first, reason="again", performed_at=timezone.now(),
                                    result="pass", answers=ok_answers(control))


def test_reschedule_and_retire_record_passed_dates_as_missed(org):
    control = make_control(org, next_due_on=days_ago(40))
    passed = schedule.occurrences(control.next_due_on, 1, "month", until=days_ago(1))
    with pytest.raises(DomainError):
        services.control_reschedule(actor=org.qse, control=control, next_due_on=days_ago(-5), reason="")
    with pytest.raises(DomainError):
        services.control_reschedule(actor=org.qse, control=control, next_due_on=days_ago(2), reason="late")
    services.control_reschedule(actor=org.qse, control=control, next_due_on=days_ago(-5), reason="auditor visit")
    control.refresh_from_db()
    assert control.next_due_on == days_ago(-5)
    assert sorted(control.missed.values_list("due_on", flat=True)) == passed
    assert ledger_of(control, "CONTROL_RESCHEDULED").get().payload["reason"] == "auditor visit"

    other = make_control(org, next_due_on=days_ago(10), title="Guards")
    services.control_retire(actor=org.qse, control=other, reason="machine removed")
    other.refresh_from_db()
    assert not other.is_active and other.due_state() == "inactive"
    assert list(other.missed.values_list("due_on", flat=True)) == [days_ago(10)]
    assert not ChasedItem.objects.filter(target_id=str(other.pk), closed_at__isnull=True).exists()
    with pytest.raises(ConflictError):
        services.inspection_record(actor=org.qse, control=other, performed_at=timezone.now(), result="pass")


def test_set_checklist_keeps_changes_adds_and_retires(org, control):
    items = list(control.checklist_items.order_by("position"))
    first = services.inspection_record(actor=org.qse, control=control, performed_at=timezone.now(),
                                       result="pass", answers=ok_answers(control))
    services.control_set_checklist(actor=org.qse, control=control, reason="new model of extinguisher", items=[
        {"id": items[1].pk, "text": "Seal intact and dated", "required": True},
        {"id": items[0].pk, "text": items[0].text, "required": True},
        {"text": "Accessible, nothing in front", "required": False},
    ])
    active = list(control.checklist_items.filter(is_active=True).order_by("position"))
    assert [(i.text, i.position) for i in active] == [("Seal intact and dated", 1), (items[0].text, 2),
                                                      ("Accessible, nothing in front", 3)]
    assert not ChecklistItem.objects.get(pk=items[2].pk).is_active
    # The first inspection keeps the checklist as it was asked.
    assert first.answers.get(item=items[1]).item_text == "Seal intact"
    payload = ledger_of(control, "CONTROL_CHECKLIST_SET").get().payload
    assert payload["added"] == ["Accessible, nothing in front"] and payload["removed"] == ["Label legible"]


def test_update_changes_owner_and_moves_the_chase(org, control):
    services.control_update(actor=org.qse, control=control, owner=org.staff, reason="new team leader")
    assert ChasedItem.objects.get(target_id=str(control.pk), closed_at__isnull=True).recipient == org.staff
    entry = ledger_of(control, "CONTROL_UPDATED").get()
    assert entry.payload["changes"]["owner"] == [org.manager.pk, org.staff.pk]
    with pytest.raises(DomainError):
        services.control_update(actor=org.qse, control=control, frequency_count=0)
    # A no-op writes nothing.
    services.control_update(actor=org.qse, control=control, owner=org.staff)
    assert ledger_of(control, "CONTROL_UPDATED").count() == 1
