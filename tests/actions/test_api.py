import datetime

import pytest
from django.utils import timezone

from actions import services
from actions.models import Action

pytestmark = pytest.mark.django_db


def test_create_and_walk_the_workflow(org, api_for):
    qse = api_for(org.qse)
    response = qse.post(
        "/api/v1/actions/",
        {"title": "Guard", "unit": org.assembly.pk, "owner": org.staff.pk, "priority": "high"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["due_on"] == (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    pk = body["id"]
    staff = api_for(org.staff)
    assert staff.post(f"/api/v1/actions/{pk}/start/", {"version": 1}, format="json").json()["status"] == "in_progress"
    response = staff.post(f"/api/v1/actions/{pk}/complete/", {"note": ""}, format="json")
    assert response.status_code == 400 and response.json()["error"]["fields"] == {
        "note": ["Say what was done: a completion note is required."]
    }
    assert staff.post(f"/api/v1/actions/{pk}/complete/", {"note": "Done"}, format="json").status_code == 200
    response = staff.post(f"/api/v1/actions/{pk}/verify/", {"effective": True}, format="json")
    assert response.status_code == 403  # staff hold no verifying role
    response = qse.post(f"/api/v1/actions/{pk}/verify/", {"effective": True, "version": 2}, format="json")
    assert response.status_code == 409 and response.json()["error"]["code"] == "conflict"
    response = qse.post(f"/api/v1/actions/{pk}/verify/", {"effective": True, "version": 3}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "closed"
    log = qse.get(f"/api/v1/actions/{pk}/log/").json()
    assert [e["kind"] for e in log] == ["verified_effective", "completed", "started", "opened"]
    # A closed action cannot be started again: a conflict, not a server error.
    assert staff.post(f"/api/v1/actions/{pk}/start/", {}, format="json").status_code == 409


def test_bad_input_is_400(org, api_for):
    qse = api_for(org.qse)
    assert (
        qse.post(
            "/api/v1/actions/", {"title": "", "unit": org.assembly.pk, "owner": org.staff.pk}, format="json"
        ).status_code
        == 400
    )
    assert (
        qse.post(
            "/api/v1/actions/",
            {"title": "x", "unit": org.assembly.pk, "owner": org.staff.pk, "due_on": "2001-01-01"},
            format="json",
        ).status_code
        == 400
    )
    response = qse.post(
        "/api/v1/actions/",
        {
            "title": "x",
            "unit": org.assembly.pk,
            "owner": org.staff.pk,
            "origin_type": "controls.inspection",
            "origin_id": "999999",
        },
        format="json",
    )
    assert response.status_code == 400
    assert (
        qse.post(
            "/api/v1/actions/", {"title": "x", "unit": org.warehouse.pk, "owner": org.staff.pk}, format="json"
        ).status_code
        == 404
    )
    assert qse.get("/api/v1/actions/?status=bogus").status_code == 400
    assert Action.objects.count() == 0


def test_postpone_without_reason_and_list_filters(org, api_for, make_action):
    action = make_action()
    make_action(title="Other", owner=org.manager)
    qse = api_for(org.qse)
    later = (action.due_on + datetime.timedelta(days=3)).isoformat()
    response = qse.post(f"/api/v1/actions/{action.pk}/postpone/", {"new_due_on": later, "reason": ""}, format="json")
    assert response.status_code == 400 and "reason" in response.json()["error"]["fields"]
    mine = api_for(org.staff).get("/api/v1/actions/?scope=mine").json()
    assert [r["id"] for r in mine["results"]] == [action.pk]
    assert api_for(org.outsider).get("/api/v1/actions/").json()["count"] == 0


@pytest.mark.parametrize("count", [5, 50])
def test_api_list_queries_do_not_grow(org, api_for, django_assert_max_num_queries, count):
    due = timezone.localdate() + datetime.timedelta(days=5)
    for i in range(count):
        services.action_open(actor=org.qse, title=f"A{i}", unit=org.assembly, owner=org.staff, due_on=due)
    api = api_for(org.qse)
    with django_assert_max_num_queries(6):
        assert api.get("/api/v1/actions/").status_code == 200


def test_due_policy_api(org, api_for):
    assert (
        api_for(org.qse)
        .post("/api/v1/action-due-policies/", {"priority": "high", "days": 3}, format="json")
        .status_code
        == 403
    )
    response = api_for(org.admin).post("/api/v1/action-due-policies/", {"priority": "high", "days": 3}, format="json")
    assert response.status_code == 200
    assert {r["priority"]: r["days"] for r in response.json()}["high"] == 3
