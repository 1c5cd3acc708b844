import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from controls import report, schedule, services
from tests.controls.helpers import at, days_ago, make_control, ok_answers

pytestmark = pytest.mark.django_db


def period():
    today = timezone.localdate()
    return today - datetime.timedelta(days=200), today + datetime.timedelta(days=40)


def test_counts_on_time_late_missed_upcoming_failed(org):
    start, end = period()
    # Weekly, due 20 days ago: performed today, so 2 dates missed and 1 done late; then to come.
    weekly = make_control(org, next_due_on=days_ago(20), unit_of_time="week", title="Weekly", checklist=[])
    inspection = services.inspection_record(actor=org.qse, control=weekly, performed_at=timezone.now(),
                                            result="fail")
    # Monthly on time (early) with a partial result, in Paint.
    monthly = make_control(org, unit=org.paint, owner=org.qse, next_due_on=days_ago(-2), title="Monthly",
                           checklist=[])
    services.inspection_record(actor=org.qse, control=monthly, performed_at=timezone.now(), result="partial")
    # Overdue with nothing recorded: 10 days ago is missed as of today.
    make_control(org, next_due_on=days_ago(10), title="Overdue", count=3)
    data = report.planned_vs_performed(org.qse, start=start, end=end)
    rows = {r["unit"].code: r for r in data["rows"]}
    weekly_to_come = len(schedule.occurrences(inspection.next_due_on, 1, "week", until=end))
    assert rows["assembly"]["late"] == 1 and rows["assembly"]["on_time"] == 0
    assert rows["assembly"]["missed"] == 2 + 1
    assert rows["assembly"]["failed"] == 1
    overdue_to_come = len([d for d in schedule.occurrences(days_ago(10), 3, "month", until=end)
                           if d >= timezone.localdate()])
    assert rows["assembly"]["upcoming"] == weekly_to_come + overdue_to_come
    assert rows["paint"]["on_time"] == 1 and rows["paint"]["partial"] == 1
    assert data["total"]["due"] == sum(r["due"] for r in data["rows"])
    assert sum(m["missed"] for m in data["months"]) == data["total"]["missed"] == 3
    # Scope: the sibling (Paint) sees only Paint; the outsider sees nothing.
    assert [r["unit"].code for r in report.planned_vs_performed(org.sibling, start=start, end=end)["rows"]] == [
        "paint"]
    assert report.planned_vs_performed(org.outsider, start=start, end=end)["rows"] == []


def test_a_correction_replaces_what_it_corrects(org):
    start, end = period()
    control = make_control(org, next_due_on=days_ago(-1))
    first = services.inspection_record(actor=org.qse, control=control, performed_at=timezone.now(), result="pass",
                                       answers=ok_answers(control))
    services.inspection_correct(actor=org.qse, inspection=first, reason="wrong result", performed_at=timezone.now(),
                                result="fail", answers=ok_answers(control))
    total = report.planned_vs_performed(org.qse, start=start, end=end)["total"]
    assert total["on_time"] == 1 and total["failed"] == 1


def _queries(user, **kwargs):
    with CaptureQueriesContext(connection) as ctx:
        report.planned_vs_performed(user, **kwargs)
    return len(ctx)


def test_fixed_number_of_queries_at_two_sizes(org, client_for):
    start, end = days_ago(400), days_ago(-30)

    def grow(n):
        for k in range(n):
            control = make_control(org, next_due_on=days_ago(300), title=f"C{k}", checklist=[], count=1,
                                   unit_of_time="month")
            for day in (days_ago(250), days_ago(180), days_ago(90)):
                services.inspection_record(actor=org.qse, control=control, performed_at=at(day), result="pass")

    grow(2)
    _queries(org.qse, start=start, end=end)  # the person's roles are read once, then cached
    small = _queries(org.qse, start=start, end=end)
    assert small == 5  # units, inspections, corrected ones, missed dates, controls
    small_page = _page_queries(client_for(org.qse))
    grow(15)
    assert _queries(org.qse, start=start, end=end) == small
    assert _page_queries(client_for(org.qse)) == small_page


def _page_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/controls/report/")
        assert response.status_code == 200 and b"<svg" in response.content
    return len(ctx)


def test_report_screen_csv_and_bad_period(org, client_for):
    make_control(org, next_due_on=days_ago(3))
    client = client_for(org.qse)
    csv = b"".join(client.get("/controls/report/?format=csv").streaming_content).decode()
    assert csv.splitlines()[1].startswith("Assembly,") and "Total" in csv
    response = client.get("/controls/report/?start=2026-05-01&end=2026-01-01")
    assert response.status_code == 200 and "before its start" in response.content.decode()


def test_chart_coordinates_stay_numbers_in_french(org, client_for):
    import re

    make_control(org, next_due_on=days_ago(40))
    org.qse.language = "fr"
    body = client_for(org.qse).get("/controls/report/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    start = body.index('<svg class="controls-chart"')
    svg = body[start:body.index("</svg>", start)]
    assert re.search(r'<rect x="[0-9.]+" y="[0-9.]+" width="[0-9.]+" height="[0-9.]+"', svg)
    assert not re.search(r'(?:x|y|width|height)="-?\d+,\d', svg)
