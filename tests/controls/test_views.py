import datetime

import pytest
from django.utils import timezone

from controls import services
from controls.dashboard import inspections_panel
from controls.models import Control, Inspection
from tests.controls.helpers import days_ago, make_control, ok_answers

pytestmark = pytest.mark.django_db


def test_create_control_keeps_input_and_shows_errors_next_to_fields(org, client_for):
    client = client_for(org.qse)
    data = {"title": "Guards on press 4", "kind": "preventive", "unit": org.assembly.pk, "owner": org.manager.pk,
            "frequency_count": 0, "frequency_unit": "month", "in_service_since": days_ago(30).isoformat(),
            "next_due_on": days_ago(10).isoformat()}
    response = client.post("/controls/new/", data)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="Guards on press 4"' in body and 'id="id_frequency_count_error"' in body
    assert not Control.objects.exists()
    response = client.post("/controls/new/", {**data, "frequency_count": 1})
    control = Control.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/controls/{control.pk}/checklist/"
    # The checklist page: one line per item; empty lines are ignored.
    response = client.post(f"/controls/{control.pk}/checklist/", {
        "items-TOTAL_FORMS": 3, "items-INITIAL_FORMS": 0, "items-0-text": "Guard closed", "items-0-required": "on",
        "items-1-text": "Interlock stops the press", "items-1-required": "on", "items-2-text": ""})
    assert response.status_code == 302
    assert list(control.checklist_items.values_list("text", flat=True)) == ["Guard closed", "Interlock stops the press"]


def test_inspection_form_on_a_phone_records_and_refuses_clearly(org, client_for):
    control = make_control(org, next_due_on=timezone.localdate())
    items = list(control.checklist_items.order_by("position"))
    client = client_for(org.manager)
    page = client.get(f"/controls/{control.pk}/inspect/").content.decode()
    assert 'name="viewport"' in page and "controls-result" in page
    for value in ("pass", "partial", "fail"):
        assert f'controls-choice--{value}' in page
    assert "Pressure gauge in the green" in page and 'id="action-notice"' in page
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    data = {"performed_at": now, "result": "fail", "findings": "Gauge in the red on extinguisher 3",
            f"item_{items[0].pk}": "not_ok", f"item_{items[2].pk}": "ok"}
    response = client.post(f"/controls/{control.pk}/inspect/", data)
    body = response.content.decode()
    assert response.status_code == 200 and "Answer this required item." in body
    assert "Gauge in the red on extinguisher 3" in body and "controls-action-notice is-shown" in body
    future = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(f"/controls/{control.pk}/inspect/", {**data, f"item_{items[1].pk}": "ok",
                                                                "performed_at": future})
    assert "cannot be dated in the future" in response.content.decode()
    assert not Inspection.objects.exists()
    response = client.post(f"/controls/{control.pk}/inspect/", {**data, f"item_{items[1].pk}": "ok"})
    inspection = Inspection.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/controls/inspections/{inspection.pk}/"
    detail = client.get(response["Location"]).content.decode()
    assert "Gauge in the red on extinguisher 3" in detail and "Pressure gauge in the green" in detail


def test_staff_who_own_a_control_may_inspect_it_others_get_403(org, client_for):
    control = make_control(org, owner=org.staff)
    assert client_for(org.staff).get(f"/controls/{control.pk}/inspect/").status_code == 200
    other = make_control(org, title="Forklift checks")
    assert client_for(org.staff).get(f"/controls/{other.pk}/inspect/").status_code == 403
    assert client_for(org.outsider).get(f"/controls/{other.pk}/inspect/").status_code == 404


def test_list_filters_sorts_exports_and_counts_queries_the_same_at_two_sizes(
        org, client_for, django_assert_max_num_queries):
    client = client_for(org.qse)
    make_control(org, next_due_on=days_ago(3), title="Overdue one")
    make_control(org, next_due_on=days_ago(-30), title="Later one")
    body = client.get("/controls/?state=overdue").content.decode()
    assert "Overdue one" in body and "Later one" not in body
    csv = b"".join(client.get("/controls/?state=overdue&format=csv").streaming_content).decode()
    assert "Overdue one" in csv and "Later one" not in csv and "Overdue" in csv

    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/controls/?sort=-last").status_code == 200
        return len(ctx)

    small = count_queries()
    for n in range(45):
        control = make_control(org, title=f"Control {n}", checklist=[])
        services.inspection_record(actor=org.qse, control=control, performed_at=timezone.now(), result="pass")
    assert count_queries() == small


def test_dashboard_panel_for_owner_and_qse_with_fixed_queries(org, rf, django_assert_num_queries):
    from core import access

    make_control(org, next_due_on=days_ago(5), title="Overdue guard check")
    request = rf.get("/")
    request.user = org.manager
    panel = inspections_panel(request)
    assert [c.title for c, state in panel.context["my_inspections"]] == ["Overdue guard check"]
    assert not panel.context["is_qse"]
    request.user = org.qse
    access.grants(org.qse)
    with django_assert_num_queries(3):
        panel = inspections_panel(request)
    assert panel.context["overdue_count"] == 1 and panel.context["overdue"][0][1] == 5
    for n in range(20):
        make_control(org, next_due_on=days_ago(2), title=f"Late {n}")
    with django_assert_num_queries(3):
        panel = inspections_panel(request)
    assert panel.context["overdue_count"] == 21 and len(panel.context["overdue"]) == 10
    request.user = org.sibling
    assert inspections_panel(request) is None


def test_correction_screen_keeps_the_first_record(org, client_for):
    control = make_control(org, next_due_on=timezone.localdate())
    first = services.inspection_record(actor=org.manager, control=control, performed_at=timezone.now(),
                                       result="pass", answers=ok_answers(control))
    client = client_for(org.qse)
    page = client.get(f"/controls/inspections/{first.pk}/correct/").content.decode()
    assert "You are correcting the inspection" in page
    data = {"performed_at": timezone.localtime(first.performed_at).strftime("%Y-%m-%dT%H:%M"), "result": "partial",
            "reason": "Seal was not checked", **{f"item_{k}": v["answer"] for k, v in ok_answers(control).items()}}
    response = client.post(f"/controls/inspections/{first.pk}/correct/", data)
    correction = Inspection.objects.get(corrects=first)
    assert response["Location"] == f"/controls/inspections/{correction.pk}/"
    assert "This record was corrected" in client.get(f"/controls/inspections/{first.pk}/").content.decode()
