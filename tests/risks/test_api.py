import datetime

import pytest
from django.utils import timezone

from core.models import LedgerEntry
from risks.models import Assessment

pytestmark = pytest.mark.django_db


def test_api_assess_and_read_back(org, api_for, make_risk):
    risk = make_risk()
    api = api_for(org.qse)
    response = api.post(
        f"/api/v1/risks/{risk.pk}/assess/",
        {
            "assessed_on": timezone.localdate().isoformat(),
            "inherent_likelihood": 4,
            "inherent_severity": 4,
            "residual_likelihood": 2,
            "residual_severity": 2,
            "rationale": "API",
            "matrix_version": 1,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["residual_level"] == "medium" and response.json()["inherent_level"] == "critical"
    data = api.get(f"/api/v1/risks/{risk.pk}/").json()
    assert data["current_assessment"]["inherent_score"] == 16
    assert LedgerEntry.objects.filter(event_type="RISK_ASSESSED", target_id=str(risk.pk)).count() == 1
    heat = api.get(f"/api/v1/risks/heat-map/?unit={org.lyon.pk}").json()
    cell = next(c for c in heat["cells"] if c["likelihood"] == 4 and c["severity"] == 4)
    assert cell["inherent"] == 1 and cell["level"] == "critical" and heat["matrix_version"] == 1
    assert api.get("/api/v1/risks/?level=medium").json()["count"] == 1
    assert api.get("/api/v1/risks/?cell=residual-2-2").json()["count"] == 1


def test_api_bad_input(org, api_for, make_risk):
    risk = make_risk()
    api = api_for(org.qse)
    future = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    base = {
        "assessed_on": timezone.localdate().isoformat(),
        "inherent_likelihood": 3,
        "inherent_severity": 3,
        "residual_likelihood": 1,
        "residual_severity": 1,
        "rationale": "x",
    }
    for bad, field in (
        ({"inherent_likelihood": 5}, "inherent_likelihood"),
        ({"assessed_on": future}, "assessed_on"),
        ({"residual_severity": 4, "residual_likelihood": 4}, "residual_severity"),
    ):
        response = api.post(f"/api/v1/risks/{risk.pk}/assess/", {**base, **bad}, format="json")
        assert response.status_code == 400 and field in response.content.decode()
    assert api.post(f"/api/v1/risks/{risk.pk}/assess/", {**base, "matrix_version": 7}, format="json").status_code == 409
    assert api.get("/api/v1/risks/?cell=nonsense").status_code == 400
    assert not Assessment.objects.exists()


def test_api_permissions(org, api_for, make_risk):
    risk = make_risk()
    body = {
        "assessed_on": timezone.localdate().isoformat(),
        "inherent_likelihood": 1,
        "inherent_severity": 1,
        "residual_likelihood": 1,
        "residual_severity": 1,
        "rationale": "x",
    }
    assert api_for(org.staff).post(f"/api/v1/risks/{risk.pk}/assess/", body, format="json").status_code == 403
    assert api_for(org.outsider).post(f"/api/v1/risks/{risk.pk}/assess/", body, format="json").status_code == 404
    assert api_for(org.outsider).get("/api/v1/risks/").json()["count"] == 0
    create = {"unit": org.assembly.pk, "title": "T", "hazard": "H", "owner": org.manager.pk}
    assert api_for(org.manager).post("/api/v1/risks/", create, format="json").status_code == 403
    assert api_for(org.outsider).post("/api/v1/risks/", create, format="json").status_code == 404
    assert api_for(org.qse).post("/api/v1/risks/", create, format="json").status_code == 201


def test_api_matrix_versions(org, api_for, make_risk):
    make_risk()
    spec = {
        "company": org.company.pk,
        "reason": "r",
        "likelihood_labels": [{"en": "a", "fr": "a"}] * 3,
        "severity_labels": [{"en": "b", "fr": "b"}] * 3,
        "thresholds": [
            {"level": "low", "min_score": 1, "colour": "#2e7d32", "text_colour": "#ffffff"},
            {"level": "high", "min_score": 5, "colour": "#b71c1c", "text_colour": "#ffffff"},
        ],
    }
    assert api_for(org.qse).post("/api/v1/risk-matrices/", spec, format="json").status_code == 403
    response = api_for(org.admin).post("/api/v1/risk-matrices/", spec, format="json")
    assert response.status_code == 201 and response.json()["version"] == 2
    assert [m["version"] for m in api_for(org.staff).get("/api/v1/risk-matrices/").json()["results"]] == [2, 1]
