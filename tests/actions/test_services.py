import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from actions import selectors, services
from actions.models import Action, ActionUpdate, DuePolicy
from core.exceptions import ConflictError, DomainError
from core.models import ChasedItem, LedgerEntry

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _entries(action):
    return list(LedgerEntry.objects.filter(target_type="actions.action", target_id=str(action.pk)).order_by("seq"))


def _through_to_done(org, action):
    action = services.action_start(actor=action.owner, action=action, version=action.version)
    return services.action_complete(
        actor=action.owner, action=action, note="Guard refitted and tested.", version=action.version
    )


def test_open_records_history_ledger_log_and_chase(org, make_action):
    action = make_action(contributors=[org.manager])
    assert action.status == "open" and action.version == 1 and action.first_due_on == action.due_on
    assert list(action.contributors.all()) == [org.manager]
    [entry] = _entries(action)
    assert entry.event_type == "ACTION_OPENED" and entry.actor == org.qse
    assert entry.payload["owner"] == org.staff.pk and entry.payload["contributors"] == [org.manager.pk]
    assert entry.unit_path == org.assembly.path
    # The ledger entry names the history rows written by the same call (action + its log entry).
    models = sorted(ref["model"] for ref in entry.payload["history"])
    assert models == ["actions.historicalaction", "actions.historicalactionupdate"]
    assert action.history.count() == 1 and action.history.first().history_user == org.qse
    assert [u.kind for u in action.updates.all()] == ["opened"]
    chased = ChasedItem.objects.get(target_type="actions.action", target_id=str(action.pk))
    assert chased.recipient == org.staff and chased.kind == "action" and chased.closed_at is None
    assert timezone.localdate(chased.due_at) == action.due_on


def test_full_workflow_closes_with_independent_verification(org, make_action):
    action = _through_to_done(org, make_action())
    assert action.status == "done" and action.completed_by == org.staff
    assert ChasedItem.objects.get(target_id=str(action.pk)).closed_at is not None
    action = services.action_verify(
        actor=org.qse, action=action, effective=True, note="Seen working.", version=action.version
    )
    assert action.status == "closed" and action.verified_by == org.qse and action.closed_at
    assert [e.event_type for e in _entries(action)] == [
        "ACTION_OPENED",
        "ACTION_STARTED",
        "ACTION_COMPLETED",
        "ACTION_VERIFIED",
    ]
    assert action.version == 4 and action.history.count() == 4
    kinds = [u.kind for u in selectors.action_log(action)]
    assert kinds == ["verified_effective", "completed", "started", "opened"]


def test_complete_needs_a_note_and_a_start(org, make_action):
    action = make_action()
    with pytest.raises(ConflictError, match="Start the action"):
        services.action_complete(actor=org.staff, action=action, note="x")
    action = services.action_start(actor=org.staff, action=action)
    with pytest.raises(DomainError) as exc:
        services.action_complete(actor=org.staff, action=action, note="   ")
    assert exc.value.field == "note"
    assert Action.objects.get(pk=action.pk).status == "in_progress"


def test_owner_cannot_verify_own_action(org, make_action):
    # The owner is a manager of the unit, so holds the verifying role: the rule still refuses.
    action = _through_to_done(org, make_action(owner=org.manager))
    with pytest.raises(DomainError, match="other than the owner"):
        services.action_verify(actor=org.manager, action=action, effective=True, note="")
    assert Action.objects.get(pk=action.pk).status == "done"


def test_database_refuses_owner_as_verifier(org, make_action):
    action = _through_to_done(org, make_action())
    action.status, action.verified_by, action.verified_at, action.closed_at = (
        "closed",
        org.staff,
        timezone.now(),
        timezone.now(),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        action.save()


def test_staff_cannot_verify(org, make_action):
    action = _through_to_done(org, make_action(owner=org.manager, contributors=[org.staff]))
    with pytest.raises(PermissionDenied):
        services.action_verify(actor=org.staff, action=action, effective=True, note="")


def test_not_effective_reopens_with_reason_and_needs_new_completion(org, make_action):
    action = _through_to_done(org, make_action())
    with pytest.raises(DomainError) as exc:
        services.action_verify(actor=org.qse, action=action, effective=False, note="")
    assert exc.value.field == "note"
    new_due = TODAY() + datetime.timedelta(days=20)
    action = services.action_verify(
        actor=org.qse, action=action, effective=False, note="Guard still loose.", new_due_on=new_due
    )
    assert action.status == "in_progress" and action.reopened == 1 and action.due_on == new_due
    assert action.completion_note == "" and action.completed_at is None
    entry = _entries(action)[-1]
    assert entry.event_type == "ACTION_REOPENED" and entry.payload["reason"] == "Guard still loose."
    update = action.updates.first()
    assert update.kind == "verified_not_effective" and update.new_due_on == new_due
    # The owner is chased again for the new date.
    chased = ChasedItem.objects.get(target_id=str(action.pk), closed_at__isnull=True)
    assert timezone.localdate(chased.due_at) == new_due
    # The first completion note is still in the history.
    assert action.history.filter(completion_note="Guard refitted and tested.").exists()


def test_postpone_needs_reason_and_later_date_and_keeps_both_dates(org, make_action):
    action = make_action()
    old_due = action.due_on
    with pytest.raises(DomainError) as exc:
        services.action_postpone(
            actor=org.qse, action=action, new_due_on=old_due + datetime.timedelta(days=5), reason="  "
        )
    assert exc.value.field == "reason"
    with pytest.raises(DomainError) as exc:
        services.action_postpone(actor=org.qse, action=action, new_due_on=old_due, reason="Parts late")
    assert exc.value.field == "new_due_on"
    new_due = old_due + datetime.timedelta(days=14)
    action = services.action_postpone(actor=org.qse, action=action, new_due_on=new_due, reason="Parts late")
    assert action.due_on == new_due and action.first_due_on == old_due and action.postponements == 1
    update = action.updates.first()
    assert (update.kind, update.old_due_on, update.new_due_on, update.text) == (
        "postponed",
        old_due,
        new_due,
        "Parts late",
    )
    entry = _entries(action)[-1]
    assert entry.payload["old_due_on"] == old_due.isoformat() and entry.payload["new_due_on"] == new_due.isoformat()
    assert timezone.localdate(ChasedItem.objects.get(target_id=str(action.pk)).due_at) == new_due


def test_staff_owner_cannot_postpone(org, make_action):
    action = make_action()
    with pytest.raises(PermissionDenied):
        services.action_postpone(
            actor=org.staff, action=action, new_due_on=action.due_on + datetime.timedelta(1), reason="I am busy"
        )


def test_cancel_needs_reason_and_closes_the_chase(org, make_action):
    action = make_action()
    with pytest.raises(DomainError):
        services.action_cancel(actor=org.qse, action=action, reason="")
    action = services.action_cancel(actor=org.qse, action=action, reason="Duplicate of A-1")
    assert action.status == "cancelled" and action.cancel_reason == "Duplicate of A-1"
    assert ChasedItem.objects.get(target_id=str(action.pk)).closed_at is not None
    with pytest.raises(ConflictError):
        services.action_cancel(actor=org.qse, action=action, reason="again")
    with pytest.raises(ConflictError):
        services.action_start(actor=org.staff, action=action)


def test_stale_version_is_a_conflict_and_changes_nothing(org, make_action):
    action = make_action()
    seen = action.version
    services.action_postpone(
        actor=org.qse,
        action=action,
        new_due_on=action.due_on + datetime.timedelta(days=3),
        reason="Supplier",
        version=seen,
    )
    with pytest.raises(ConflictError, match="Someone else changed"):
        services.action_start(actor=org.staff, action=action, version=seen)
    fresh = Action.objects.get(pk=action.pk)
    assert fresh.status == "open" and fresh.version == seen + 1
    assert ActionUpdate.objects.filter(action=action, kind="started").count() == 0


def test_open_rules(org, make_action):
    with pytest.raises(DomainError) as exc:
        make_action(title=" ")
    assert exc.value.field == "title"
    with pytest.raises(DomainError) as exc:
        make_action(due_on=TODAY() - datetime.timedelta(days=1))
    assert exc.value.field == "due_on"
    # The outsider holds no role on Assembly: they could not even see the action.
    with pytest.raises(DomainError) as exc:
        make_action(owner=org.outsider)
    assert exc.value.field == "owner"
    with pytest.raises(DomainError) as exc:
        make_action(owner=org.auditor)
    assert exc.value.field == "owner"
    with pytest.raises(DomainError) as exc:
        make_action(contributors=[org.sibling])
    assert exc.value.field == "contributors"
    with pytest.raises(DomainError) as exc:
        make_action(origin=org.assembly)
    assert exc.value.field == "origin"
    assert Action.objects.count() == 0


def test_due_date_from_policy(org, make_action):
    action = make_action(due_on=None, priority="high")
    assert action.due_on == TODAY() + datetime.timedelta(days=7)
    services.due_policy_set(actor=org.admin, priority="high", days=3)
    assert make_action(due_on=None, priority="high").due_on == TODAY() + datetime.timedelta(days=3)
    assert make_action(due_on=None, priority="low").due_on == TODAY() + datetime.timedelta(days=90)
    entry = LedgerEntry.objects.get(event_type="ACTION_DUE_POLICY_SET")
    assert entry.payload == {"priority": "high", "old_days": 7, "new_days": 3, "history": entry.payload["history"]}
    assert DuePolicy.objects.get(priority="high").history.count() == 1


def test_due_policy_rules(org):
    with pytest.raises(PermissionDenied):
        services.due_policy_set(actor=org.qse, priority="high", days=3)
    with pytest.raises(DomainError):
        services.due_policy_set(actor=org.admin, priority="high", days=0)
    with pytest.raises(DomainError):
        services.due_policy_set(actor=org.admin, priority="urgent", days=3)
    assert not DuePolicy.objects.exists()


def test_reassign_moves_the_chase(org, make_action):
    action = make_action()
    with pytest.raises(DomainError):
        services.action_reassign(actor=org.qse, action=action, owner=org.manager, reason="")
    action = services.action_reassign(actor=org.qse, action=action, owner=org.manager, reason="Staff on leave")
    assert action.owner == org.manager
    open_items = ChasedItem.objects.filter(target_id=str(action.pk), closed_at__isnull=True)
    assert [i.recipient for i in open_items] == [org.manager]
    assert _entries(action)[-1].payload["old_owner"] == org.staff.pk


def test_comment_is_logged_and_does_not_bump_version(org, make_action):
    action = make_action()
    update = services.action_comment(actor=org.staff, action=action, text="Ordered the part.")
    assert update.kind == "comment" and Action.objects.get(pk=action.pk).version == 1
    assert _entries(action)[-1].event_type == "ACTION_COMMENTED"
    with pytest.raises(DomainError):
        services.action_comment(actor=org.staff, action=action, text="")
    with pytest.raises(PermissionDenied):
        services.action_comment(actor=org.auditor, action=action, text="Hello")


def test_update_changes_fields_and_contributors(org, make_action):
    action = make_action()
    action = services.action_update(
        actor=org.qse,
        action=action,
        version=1,
        title="Refit guard",
        priority="low",
        contributors=[org.manager],
        reason="clarified",
    )
    assert action.title == "Refit guard" and action.version == 2
    assert list(action.contributors.all()) == [org.manager]
    assert _entries(action)[-1].payload["changes"]["contributors"] == [[], [org.manager.pk]]
    # Nothing changed: no history row, no ledger entry.
    before = action.history.count()
    services.action_update(actor=org.qse, action=action, title="Refit guard")
    assert action.history.count() == before
    with pytest.raises(DomainError):
        services.action_update(actor=org.qse, action=action, due_on=TODAY())


def test_as_of_rebuilds_past_owner_and_status(org, make_action):
    import time_machine

    action = make_action()
    today = timezone.localdate()
    later = timezone.now() + datetime.timedelta(days=5)
    with time_machine.travel(later, tick=True):
        services.action_reassign(actor=org.qse, action=action, owner=org.manager, reason="Moved")
        services.action_start(actor=org.manager, action=action)
    then = selectors.actions_as_of(org.lyon, today)
    assert [(a.pk, a.owner_id, a.status) for a in then] == [(action.pk, org.staff.pk, "open")]
    after = selectors.actions_as_of(org.lyon, timezone.localdate(later))
    assert [(a.owner_id, a.status) for a in after] == [(org.manager.pk, "in_progress")]
    assert list(selectors.actions_as_of(org.lille, timezone.localdate(later))) == []
    assert list(selectors.actions_as_of(org.lyon, today - datetime.timedelta(days=1))) == []


def test_dossier_data(org, make_action):
    action = make_action()
    services.action_postpone(
        actor=org.qse, action=action, new_due_on=action.due_on + datetime.timedelta(days=2), reason="Late parts"
    )
    data = selectors.action_dossier_data(Action.objects.get(pk=action.pk))
    assert [u.kind for u in data["postponements"]] == ["postponed"]
    assert len(data["history"]) == 2 and len(data["ledger"]) == 2 and len(data["reminders"]) == 1
