"""My work: overdue risk reviews for their owners, stale risks for QSE managers, in fixed queries."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_qse_manager_sees_risks_never_assessed(org, client_for, make_risk, assess):
    make_risk(title="Never assessed one")
    make_risk(title="Never assessed two")
    assess(make_risk(title="Assessed"))
    response = client_for(org.qse).get("/")
    counts = [p.context["risk_counts"] for p in response.context["panels"] if "risk_counts" in p.context]
    assert counts == [{"never": 2, "overdue": 0}]
    # Staff of the unit are not QSE managers: no such panel for them.
    staff_panels = client_for(org.staff).get("/").context["panels"]
    assert not any("risk_counts" in p.context for p in staff_panels)


def test_owner_sees_reviews_that_have_passed(org, client_for, make_risk, assess):
    risk = make_risk(title="Happement sur le tour")
    assess(risk)
    risk.refresh_from_db()
    later = datetime.datetime.combine(risk.next_review_on + datetime.timedelta(days=2), datetime.time(9),
                                      tzinfo=timezone.get_current_timezone())
    with time_machine.travel(later):
        page = client_for(org.manager).get("/")
    assert "Happement sur le tour" in page.content.decode()
    reviews = [p.context["risk_reviews"] for p in page.context["panels"] if "risk_reviews" in p.context]
    assert [r.pk for r in reviews[0]] == [risk.pk]


def test_panels_run_the_same_queries_at_two_sizes(org, client_for, make_risk):
    counts = []
    for n in (3, 12):
        for i in range(n):
            make_risk(title=f"Risk {n}-{i}")
        client = client_for(org.qse)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
