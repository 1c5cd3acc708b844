import datetime

import pytest
from django.utils import timezone

from controls.models import Control, Inspection
from tests.controls.helpers import days_ago, make_control

pytestmark = pytest.mark.django_db


def test_create_control_with_checklist_then_record_and_correct(org, api_for):
    api = api_for(org.qse)
    payload = {"title": "Forklift daily checks (CACES)", "kind": "preventive", "unit": org.assembly.pk,
               "owner": org.manager.pk, "frequency_count": 1, "frequency_unit": "day",
               "next_due_on": timezone.localdate().isoformat(),
               "checklist": [{"text": "Brakes", "required": True}, {"text": "Horn", "required": False}]}
    bad = api.post("/api/v1/controls/", {**payload, "frequency_count": 0}, format="json")
    assert bad.status_code == 400 and "frequency_count" in bad.json()["error"]["fields"]
    response = api.post("/api/v1/controls/", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert [i["text"] for i in body["checklist"]] == ["Brakes", "Horn"] and body["due_state"] == "due_soon"
    brakes = body["checklist"][0]["id"]
    record = {"control": body["id"], "performed_at": timezone.now().isoformat(), "result": "fail",
              "findings": "Brakes worn", "answers": []}
    missing = api.post("/api/v1/inspections/", record, format="json")
    assert missing.status_code == 400 and f"item_{brakes}" in missing.json()["error"]["fields"]
    future = api.post("/api/v1/inspections/", {**record, "answers": [{"item": brakes, "answer": "not_ok"}],
                                              "performed_at": (timezone.now() + datetime.timedelta(hours=2)).isoformat()},
                      format="json")
    assert future.status_code == 400 and "performed_at" in future.json()["error"]["fields"]
    ok = api.post("/api/v1/inspections/", {**record, "answers": [{"item": brakes, "answer": "not_ok"}]},
                  format="json")
    assert ok.status_code == 201
    inspection = ok.json()
    assert inspection["answers"][0]["item_text"] == "Brakes" and inspection["on_time"] is True
    control = Control.objects.get(pk=body["id"])
    assert control.next_due_on == timezone.localdate() + datetime.timedelta(days=1)
    corrected = api.post(f"/api/v1/inspections/{inspection['id']}/correct/", {
        "reason": "typo", "performed_at": inspection["performed_at"], "result": "partial",
        "answers": [{"item": brakes, "answer": "not_ok"}]}, format="json")
    assert corrected.status_code == 201 and corrected.json()["corrects"] == inspection["id"]
    again = api.post(f"/api/v1/inspections/{inspection['id']}/correct/", {
        "reason": "again", "performed_at": inspection["performed_at"], "result": "pass",
        "answers": [{"item": brakes, "answer": "ok"}]}, format="json")
    assert again.status_code == 409
    assert api.get(f"/api/v1/inspections/{inspection['id']}/").json()["corrected_by"] == corrected.json()["id"]


def test_permissions_403_in_scope_404_outside(org, api_for):
    control = make_control(org, checklist=[])
    record = {"control": control.pk, "performed_at": timezone.now().isoformat(), "result": "pass"}
    assert api_for(org.staff).post("/api/v1/inspections/", record, format="json").status_code == 403
    assert api_for(org.outsider).post("/api/v1/inspections/", record, format="json").status_code == 404
    assert api_for(org.auditor).post("/api/v1/inspections/", record, format="json").status_code == 403
    assert api_for(org.manager).patch(f"/api/v1/controls/{control.pk}/", {"title": "x"},
                                      format="json").status_code == 403
    assert not Inspection.objects.exists()
    response = api_for(org.qse).patch(f"/api/v1/controls/{control.pk}/", {"title": "Renamed", "reason": "clearer"},
                                      format="json")
    assert response.status_code == 200 and response.json()["title"] == "Renamed"


def test_report_api_returns_the_screen_figures(org, api_for):
    from controls import report

    make_control(org, next_due_on=days_ago(40), checklist=[])
    start, end = days_ago(100), days_ago(-10)
    body = api_for(org.qse).get(f"/api/v1/controls-report/?start={start}&end={end}").json()
    screen = report.planned_vs_performed(org.qse, start=start, end=end)
    assert body["total"] == screen["total"] and body["total"]["missed"] >= 1
    assert [r["unit"] for r in body["rows"]] == [r["unit"].pk for r in screen["rows"]]
    bad = api_for(org.qse).get("/api/v1/controls-report/?start=2026-05-01&end=2026-01-01")
    assert bad.status_code == 400
