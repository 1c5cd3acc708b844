import pytest
from django.utils import timezone

from controls import selectors, services
from core.exceptions import DomainError
from core.models import LedgerEntry
from risks.services import risk_create
from tests.controls.helpers import days_ago, make_control, ok_answers

pytestmark = pytest.mark.django_db


def test_links_to_risks_in_the_units_line_only(org, client_for):
    control = make_control(org)
    here = risk_create(actor=org.qse, unit=org.assembly, title="Hand caught in press", hazard="moving parts",
                       owner=org.manager)
    elsewhere = risk_create(actor=org.root, unit=org.warehouse, title="Forklift collision", hazard="traffic",
                            owner=org.outsider)
    with pytest.raises(DomainError):
        services.control_set_links(actor=org.qse, control=control, risks=[elsewhere])
    services.control_set_links(actor=org.qse, control=control, risks=[here], reason="guards reduce it")
    assert list(control.risks.all()) == [here]
    entry = LedgerEntry.objects.get(event_type="CONTROL_LINKS_SET")
    assert entry.payload["risks"] == {"before": [], "after": [here.pk]}
    page = client_for(org.qse).get(f"/controls/{control.pk}/links/").content.decode()
    assert "Hand caught in press" in page and "Forklift collision" not in page
    response = client_for(org.qse).post(f"/controls/{control.pk}/links/", {"risks": [], "reason": "wrong"})
    assert response.status_code == 302 and not control.risks.exists()
    detail = client_for(org.qse).get(f"/controls/{control.pk}/").content.decode()
    assert "Risks covered" in detail


def test_timeline_dossier_and_as_of(org):
    control = make_control(org, next_due_on=days_ago(-3))
    inspection = services.inspection_record(actor=org.manager, control=control, performed_at=timezone.now(),
                                            result="pass", answers=ok_answers(control))
    events = [e.event_type for e in selectors.control_timeline(control)]
    assert events == ["INSPECTION_RECORDED", "CONTROL_CREATED"]
    data = selectors.control_dossier_data(control)
    assert data["inspections"] == [inspection] and len(data["checklist"]) == 3
    # Recorded in Siris today: as of yesterday there was nothing yet.
    assert selectors.controls_as_of(org.lyon, days_ago(1))["controls"] == []
    now = selectors.controls_as_of(org.lyon, timezone.localdate())
    assert [c.id for c in now["controls"]] == [control.pk] and now["inspections"] == [inspection]
    assert len(now["checklist_items"]) == 3
    assert selectors.controls_as_of(org.lille, timezone.localdate())["controls"] == []
