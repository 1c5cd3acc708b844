import datetime

import pytest
from django.utils import timezone

from actions import services
from actions.models import Action
from core.models import LedgerEntry

pytestmark = pytest.mark.django_db


def test_detail_shows_stepper_facts_log_timeline_and_next_step(org, make_action, client_for):
    action = make_action(description="<script>alert(1)</script>")
    services.action_comment(actor=org.qse, action=action, text="Parts ordered")
    page = client_for(org.staff).get(f"/actions/{action.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'aria-current="step"' in html and "Start the work" in html
    assert "Parts ordered" in html and "Fix the guard on press 4" in html
    assert "&lt;script&gt;" in html and "<script>alert" not in html
    assert 'data-next-step="start"' in html
    assert "Ledger #" in html  # the timeline
    # The auditor reads the same page but has no step to take.
    html = client_for(org.auditor).get(f"/actions/{action.pk}/").content.decode()
    assert 'data-next-step="wait_owner"' in html and "Start the work" not in html


def test_owner_flow_through_the_screens(org, make_action, client_for):
    action = make_action()
    client = client_for(org.staff)
    response = client.post(f"/actions/{action.pk}/start/", {"version": 1})
    assert response.status_code == 302
    # Refused: no note. The form is shown again with the message next to the field.
    response = client.post(f"/actions/{action.pk}/complete/", {"version": 2, "note": ""})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    response = client.post(f"/actions/{action.pk}/complete/", {"version": 2, "note": "Refitted"})
    assert response.status_code == 302
    assert Action.objects.get(pk=action.pk).status == "done"
    page = client.get(f"/actions/{action.pk}/").content.decode()
    assert 'data-next-step="wait_verification"' in page
    # The QSE manager sees the verification as their next step.
    page = client_for(org.qse).get(f"/actions/{action.pk}/").content.decode()
    assert 'data-next-step="verify"' in page and "Refitted" in page
    response = client_for(org.qse).post(f"/actions/{action.pk}/verify/", {"version": 3, "effective": "no", "note": ""})
    assert response.status_code == 400 and "Say why the action was not effective" in response.content.decode()
    response = client_for(org.qse).post(
        f"/actions/{action.pk}/verify/", {"version": 3, "effective": "yes", "note": "Checked on site"}
    )
    assert response.status_code == 302 and Action.objects.get(pk=action.pk).status == "closed"


def test_stale_page_gets_a_clear_conflict(org, make_action, client_for):
    action = make_action()
    services.action_postpone(
        actor=org.qse, action=action, new_due_on=action.due_on + datetime.timedelta(days=2), reason="Waiting for parts"
    )
    response = client_for(org.staff).post(f"/actions/{action.pk}/start/", {"version": 1})
    assert response.status_code == 409
    assert "Someone else changed this action" in response.content.decode()
    assert Action.objects.get(pk=action.pk).status == "open"


def test_owner_verifying_own_action_gets_the_rule(org, make_action, client_for):
    action = make_action(owner=org.manager)
    action = services.action_start(actor=org.manager, action=action)
    action = services.action_complete(actor=org.manager, action=action, note="Done")
    response = client_for(org.manager).post(
        f"/actions/{action.pk}/verify/", {"version": action.version, "effective": "yes", "note": ""}
    )
    assert response.status_code == 400
    assert "Someone other than the owner" in response.content.decode()


def test_postpone_form_keeps_input_and_requires_reason(org, make_action, client_for):
    action = make_action()
    client = client_for(org.admin)
    later = (action.due_on + datetime.timedelta(days=5)).isoformat()
    response = client.post(f"/actions/{action.pk}/postpone/", {"version": 1, "new_due_on": later, "reason": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'value="{later}"' in html and "This field is required" in html
    response = client.post(
        f"/actions/{action.pk}/postpone/", {"version": 1, "new_due_on": action.due_on.isoformat(), "reason": "Parts"}
    )
    assert response.status_code == 400 and "must be after the current one" in response.content.decode()
    response = client.post(f"/actions/{action.pk}/postpone/", {"version": 1, "new_due_on": later, "reason": "Parts"})
    assert response.status_code == 302
    assert Action.objects.get(pk=action.pk).due_on.isoformat() == later


def test_cancel_and_reassign_and_edit_screens(org, make_action, client_for):
    action = make_action()
    client = client_for(org.qse)
    assert (
        client.post(
            f"/actions/{action.pk}/edit/",
            {"version": 1, "title": "New title", "kind": "preventive", "priority": "low", "reason": "typo"},
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"/actions/{action.pk}/reassign/", {"version": 2, "owner": org.manager.pk, "reason": "Leave"}
        ).status_code
        == 302
    )
    assert client.post(f"/actions/{action.pk}/cancel/", {"version": 3, "reason": ""}).status_code == 400
    assert client.post(f"/actions/{action.pk}/cancel/", {"version": 3, "reason": "Duplicate"}).status_code == 302
    action.refresh_from_db()
    assert (action.title, action.owner, action.status) == ("New title", org.manager, "cancelled")


def test_create_with_policy_date_and_origin_refused(org, client_for):
    client = client_for(org.qse)
    assert client.get("/actions/new/").status_code == 200
    data = {
        "title": "Guard",
        "kind": "corrective",
        "priority": "medium",
        "unit": org.assembly.pk,
        "owner": org.staff.pk,
        "due_on": "",
    }
    response = client.post("/actions/new/", data)
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.due_on == timezone.localdate() + datetime.timedelta(days=30)
    # An owner without a role on the unit is refused next to the field; what was typed stays.
    response = client.post("/actions/new/", {**data, "title": "Second", "owner": org.sibling.pk})
    assert response.status_code == 400
    assert 'value="Second"' in response.content.decode()
    # The outsider's unit is not in the QSE manager's list of units.
    response = client.post("/actions/new/", {**data, "title": "Third", "unit": org.warehouse.pk})
    assert response.status_code == 400 and Action.objects.count() == 1
    response = client.post("/actions/new/", {**data, "due_on": "2001-01-01"})
    assert response.status_code == 400 and "in the past" in response.content.decode()


def test_list_filters_csv_and_scopes(org, make_action, client_for):
    import time_machine

    mine = make_action(title="Mine")
    other = make_action(title="Someone else's", owner=org.manager, priority="low")
    late = make_action(title="Late one", due_on=timezone.localdate() + datetime.timedelta(days=1))
    client = client_for(org.staff)
    html = client.get("/actions/?scope=mine").content.decode()
    assert "Mine" in html and "Someone else" not in html
    html = client.get("/actions/?priority=low").content.decode()
    assert "Someone else" in html and "Mine" not in html
    html = client.get(f"/actions/?q=A-{other.pk}").content.decode()
    assert "Someone else" in html and "Mine" not in html
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3)):
        html = client_for(org.staff).get("/actions/?scope=overdue").content.decode()
        assert "Late one" in html and "Mine" not in html
    response = client.get("/actions/?format=csv&priority=high")
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"].startswith("text/csv")
    assert f"A-{mine.pk}" in body and f"A-{late.pk}" in body and f"A-{other.pk}" not in body
    # Unknown filter values do not break the page.
    assert client.get("/actions/?status=bogus&sort=nope&unit=abc").status_code == 200
    # The outsider sees none of Assembly's actions.
    assert "Mine" not in client_for(org.outsider).get("/actions/").content.decode()


def test_csv_neutralises_formulas(org, make_action, client_for):
    make_action(title='=HYPERLINK("x")')
    body = b"".join(client_for(org.qse).get("/actions/?format=csv").streaming_content).decode()
    assert "'=HYPERLINK" in body


def _many(org, count):
    due = timezone.localdate() + datetime.timedelta(days=5)
    for i in range(count):
        services.action_open(
            actor=org.qse,
            title=f"Action {i}",
            unit=org.assembly,
            owner=org.staff,
            due_on=due,
            contributors=[org.manager],
        )


@pytest.mark.parametrize("count", [5, 50])
def test_list_queries_do_not_grow(org, client_for, django_assert_max_num_queries, count):
    _many(org, count)
    client = client_for(org.qse)
    client.get("/actions/")  # warm the session
    with django_assert_max_num_queries(12):
        assert client.get("/actions/").status_code == 200


@pytest.mark.parametrize("count", [5, 50])
def test_detail_queries_do_not_grow(org, client_for, django_assert_max_num_queries, count):
    _many(org, 1)
    action = Action.objects.get()
    for i in range(count):
        services.action_comment(actor=org.qse, action=action, text=f"Comment {i}")
    client = client_for(org.staff)
    client.get(f"/actions/{action.pk}/")
    with django_assert_max_num_queries(20):
        assert client.get(f"/actions/{action.pk}/").status_code == 200


@pytest.mark.parametrize("count", [5, 50])
def test_dashboard_panel_queries_do_not_grow(org, rf, django_assert_num_queries, count):
    from actions.dashboard import my_actions_panel

    _many(org, count)
    for action in Action.objects.all()[:3]:
        action = services.action_start(actor=org.staff, action=action)
        services.action_complete(actor=org.staff, action=action, note="done")
    request = rf.get("/")
    request.user = org.qse
    # The person's roles, then two queries per list (rows and count): the same at any size.
    with django_assert_num_queries(7):
        panel = my_actions_panel(request)
    assert panel.context["to_verify_count"] == 3
    request.user = org.staff
    org.staff.refresh_from_db()
    panel = my_actions_panel(request)
    assert panel.context["my_total"] == count - 3 and len(panel.context["my_actions"]) == min(10, count - 3)


def test_policy_screen(org, client_for):
    client = client_for(org.admin)
    assert client.get("/actions/policy/").status_code == 200
    assert client.post("/actions/policy/", {"high": 0, "medium": 30, "low": 90}).status_code == 400
    assert client.post("/actions/policy/", {"high": 5, "medium": 30, "low": 90}).status_code == 302
    # Only the changed priority is a ledger entry (medium and low were already those values by default).
    assert LedgerEntry.objects.filter(event_type="ACTION_DUE_POLICY_SET").count() == 1


def test_my_work_shows_my_actions_due(org, make_action, client_for):
    action = make_action(title="Refit the guard")
    done = make_action(title="Check the alarm", owner=org.manager)
    done = services.action_start(actor=org.manager, action=done)
    services.action_complete(actor=org.manager, action=done, note="Tested")
    html = client_for(org.staff).get("/").content.decode()
    assert "My actions due" in html and "Refit the guard" in html and f"/actions/{action.pk}/" in html
    html = client_for(org.admin).get("/").content.decode()
    assert "Check the alarm" in html  # waiting for the administrator's verification
