import datetime

import pytest

from requirements import services
from requirements.choices import AckStatus

pytestmark = pytest.mark.django_db


def test_api_communicate_and_acknowledge(org, api_for, today):
    qse = api_for(org.qse)
    response = qse.post(
        "/api/v1/requirements/",
        {"unit": org.lyon.pk, "reference": "API-1", "title": "T", "text": "Text"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    req_id = response.json()["id"]
    version_id = qse.get(f"/api/v1/requirement-versions/?requirement={req_id}").json()["results"][0]["id"]
    due = (today + datetime.timedelta(days=3)).isoformat()
    refused = qse.post(
        "/api/v1/communications/", {"version": version_id, "due_on": due, "units": [org.assembly.pk]}, format="json"
    )
    assert refused.status_code == 400 and "not approved" in refused.json()["error"]["message"]
    assert qse.post(f"/api/v1/requirement-versions/{version_id}/approve/").status_code == 200
    past = qse.post(
        "/api/v1/communications/",
        {"version": version_id, "due_on": "2000-01-01", "units": [org.assembly.pk]},
        format="json",
    )
    assert past.status_code == 400 and "due_on" in past.json()["error"]["fields"]
    response = qse.post(
        "/api/v1/communications/", {"version": version_id, "due_on": due, "units": [org.assembly.pk]}, format="json"
    )
    assert response.status_code == 201 and response.json()["counts"]["pending"] == 2
    staff = api_for(org.staff)
    mine = staff.get("/api/v1/acknowledgements/").json()["results"]
    assert [a["person"] for a in mine] == [org.staff.pk]
    ack_id = mine[0]["id"]
    assert staff.post(f"/api/v1/acknowledgements/{ack_id}/decline/", {}, format="json").status_code == 400
    ok = staff.post(f"/api/v1/acknowledgements/{ack_id}/acknowledge/")
    assert ok.status_code == 200 and ok.json()["status"] == AckStatus.ACKNOWLEDGED and ok.json()["channel"] == "api"
    again = staff.post(f"/api/v1/acknowledgements/{ack_id}/acknowledge/")
    assert again.status_code == 409 and "already acknowledged" in again.json()["error"]["message"]
    other = api_for(org.sibling)
    assert other.post(f"/api/v1/acknowledgements/{ack_id}/acknowledge/").status_code == 404


def test_api_superseded_request_is_409_and_points_at_new_version(org, api_for, today):
    req = services.requirement_create(actor=org.qse, unit=org.lyon, reference="R", title="T", owner=org.qse, text="One")
    v1 = services.version_approve(actor=org.qse, version=req.versions.get())
    due = today + datetime.timedelta(days=3)
    first = services.requirement_communicate(actor=org.qse, version=v1, units=[org.assembly], due_on=due)
    v2 = services.version_approve(
        actor=org.qse, version=services.version_create(actor=org.qse, requirement=req, text="Two")
    )
    services.requirement_communicate(actor=org.qse, version=v2, units=[org.assembly], due_on=due)
    old = first.acknowledgements.get(person=org.staff)
    response = api_for(org.staff).post(f"/api/v1/acknowledgements/{old.pk}/acknowledge/")
    assert response.status_code == 409 and "version 2" in response.json()["error"]["message"]


@pytest.mark.parametrize("size", [3, 30])
def test_api_lists_fixed_queries(org, api_for, today, size, django_assert_max_num_queries):
    for i in range(size):
        services.requirement_create(
            actor=org.qse, unit=org.lyon, reference=f"R{i}", title="T", owner=org.qse, text=f"Text {i}"
        )
    api = api_for(org.qse)
    with django_assert_max_num_queries(8):
        assert api.get("/api/v1/requirements/").status_code == 200
    with django_assert_max_num_queries(8):
        assert api.get("/api/v1/requirement-versions/").status_code == 200
