import pytest

from reminders.models import ReminderPolicy
from tests.reminders.test_views import notify

pytestmark = pytest.mark.django_db


def test_admin_sets_a_policy_through_the_api(org, api_for):
    response = api_for(org.admin).post(
        "/api/v1/reminder-policies/",
        {"company": org.company.pk, "kind": "action", "offsets": [-5, 0], "repeat_every_days": 2},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["offsets"] == [-5, 0]
    assert ReminderPolicy.objects.get().history.count() == 1
    listed = api_for(org.admin).get("/api/v1/reminder-policies/").json()
    assert listed["count"] == 1 if "count" in listed else len(listed) == 1


def test_policy_api_refuses_others_and_bad_input(org, api_for):
    body = {"company": org.company.pk, "kind": "action", "offsets": [0]}
    assert api_for(org.staff).post("/api/v1/reminder-policies/", body, format="json").status_code == 404
    assert api_for(org.qse).post("/api/v1/reminder-policies/", body, format="json").status_code == 404
    bad = api_for(org.admin).post(
        "/api/v1/reminder-policies/", {**body, "offsets": [-1], "anchor": "opened"}, format="json"
    )
    assert bad.status_code == 400 and "offsets" in bad.content.decode()
    assert (
        api_for(org.admin).post("/api/v1/reminder-policies/", {**body, "send_hour": 40}, format="json").status_code
        == 400
    )
    assert not ReminderPolicy.objects.exists()


def test_notifications_api_is_the_callers_inbox(org, api_for):
    mine = notify(org, org.staff, 2)
    notify(org, org.sibling, 1, title="Other")
    listed = api_for(org.staff).get("/api/v1/notifications/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert {r["id"] for r in rows} == {n.pk for n in mine}
    read = api_for(org.staff).post(f"/api/v1/notifications/{mine[0].pk}/read/")
    assert read.status_code == 200 and read.json()["read_at"]
    assert api_for(org.sibling).post(f"/api/v1/notifications/{mine[1].pk}/read/").status_code == 404
