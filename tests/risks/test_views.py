import datetime

import pytest
from django.utils import timezone

from risks.models import Assessment

pytestmark = pytest.mark.django_db


def test_register_shows_heat_map_and_filters(org, client_for, make_risk, assess):
    high = make_risk(title="Happement")
    assess(high, il=3, is_=4, rl=3, rs=3)
    low = make_risk(title="Coupure", unit=org.paint, owner=org.qse, category="health")
    assess(low, il=1, is_=2, rl=1, rs=1)
    make_risk(title="Not yet", unit=org.paint, owner=org.qse)
    client = client_for(org.qse)
    page = client.get(f"/risks/?unit={org.lyon.pk}").content.decode()
    assert 'data-cell="residual-3-3" data-count="1"' in page and 'data-cell="inherent-3-4" data-count="1"' in page
    assert "Happement" in page and "Coupure" in page and "Not yet" in page
    page = client.get(f"/risks/?unit={org.lyon.pk}&cell=residual-3-3").content.decode()
    assert "Happement" in page and "Coupure" not in page
    page = client.get(f"/risks/?unit={org.lyon.pk}&level=low").content.decode()
    assert "Coupure" in page and "Happement" not in page
    page = client.get(f"/risks/?unit={org.lyon.pk}&category=health").content.decode()
    assert "Coupure" in page and "Happement" not in page
    page = client.get(f"/risks/?unit={org.lyon.pk}&owner={org.qse.pk}&sort=level").content.decode()
    assert page.index("Coupure") < page.index("Not yet") and "Happement" not in page


def test_register_csv_is_what_is_shown(org, client_for, make_risk, assess):
    assess(make_risk(title="Happement"), il=3, is_=4, rl=3, rs=3)
    make_risk(title="Coupure", unit=org.paint, owner=org.qse)
    response = client_for(org.qse).get(f"/risks/?unit={org.lyon.pk}&level=high&format=csv")
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "Happement" in body and "Coupure" not in body and "High" in body


def test_overdue_filter(org, client_for, make_risk):
    make_risk(title="Late", next_review_on=timezone.localdate() - datetime.timedelta(days=1))
    make_risk(title="Fine", next_review_on=timezone.localdate() + datetime.timedelta(days=1))
    page = client_for(org.qse).get(f"/risks/?unit={org.lyon.pk}&overdue=on").content.decode()
    assert "Late" in page and "Fine" not in page


def _seed(org, make_risk, assess, n):
    for i in range(n):
        risk = make_risk(title=f"Risk {i}", unit=org.assembly if i % 2 else org.paint, owner=org.qse)
        if i % 3:
            assess(risk, il=1 + i % 4, is_=4, rl=1, rs=1 + i % 4)


@pytest.mark.parametrize("size", [5, 50])
def test_register_query_count_is_fixed(org, client_for, make_risk, assess, django_assert_num_queries, size):
    _seed(org, make_risk, assess, size)
    client = client_for(org.qse)
    client.get(f"/risks/?unit={org.lyon.pk}")  # warm the session
    with django_assert_num_queries(17):
        response = client.get(f"/risks/?unit={org.lyon.pk}&sort=level")
    assert response.status_code == 200


@pytest.mark.parametrize("size", [5, 50])
def test_api_list_and_heat_map_query_counts_are_fixed(org, api_for, make_risk, assess, django_assert_num_queries, size):
    _seed(org, make_risk, assess, size)
    api = api_for(org.qse)
    with django_assert_num_queries(4):
        assert api.get(f"/api/v1/risks/?unit={org.lyon.pk}").status_code == 200
    with django_assert_num_queries(5):
        assert api.get(f"/api/v1/risks/heat-map/?unit={org.lyon.pk}").status_code == 200


def test_risk_page_facts_assessments_timeline(org, client_for, make_risk, assess):
    risk = make_risk()
    assess(risk, days_ago=30)
    assess(risk, il=2, is_=2, rl=1, rs=2, days_ago=1)
    page = client_for(org.staff).get(f"/risks/{risk.pk}/").content.decode()
    assert "Molten metal" in page and "Mona Manager" in page
    assert page.count("v1</td>") == 2
    assert "Risk assessed" in page and "Risk recorded" in page
    assert "/assess/" not in page  # staff cannot assess: no primary action


def test_assess_form_records_and_refuses_bad_input(org, client_for, make_risk):
    risk = make_risk()
    client = client_for(org.qse)
    form = client.get(f"/risks/{risk.pk}/assess/").content.decode()
    assert "Almost certain" in form or "Quasi certain" in form
    future = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    data = {
        "assessed_on": future,
        "inherent_likelihood": 3,
        "inherent_severity": 4,
        "residual_likelihood": 2,
        "residual_severity": 3,
        "rationale": "Kept text",
        "matrix_version": 1,
    }
    response = client.post(f"/risks/{risk.pk}/assess/", data)
    page = response.content.decode()
    assert response.status_code == 200 and "Kept text" in page
    assert 'id="id_assessed_on_error"' in page and not Assessment.objects.exists()
    response = client.post(
        f"/risks/{risk.pk}/assess/", {**data, "inherent_likelihood": 9, "assessed_on": timezone.localdate().isoformat()}
    )
    assert 'id="id_inherent_likelihood_error"' in response.content.decode() and not Assessment.objects.exists()
    response = client.post(f"/risks/{risk.pk}/assess/", {**data, "assessed_on": timezone.localdate().isoformat()})
    assert response.status_code == 302 and Assessment.objects.get().residual_score == 6


def test_assess_permissions(org, client_for, make_risk):
    risk = make_risk()
    assert client_for(org.manager).get(f"/risks/{risk.pk}/assess/").status_code == 403
    assert client_for(org.outsider).get(f"/risks/{risk.pk}/assess/").status_code == 404


def test_create_and_edit_risk_screens(org, client_for):
    client = client_for(org.qse)
    response = client.post(
        "/risks/new/",
        {
            "unit": org.assembly.pk,
            "title": "Bruit",
            "hazard": "Bruit 90 dB",
            "category": "health",
            "owner": org.outsider.pk,
        },
    )
    assert response.status_code == 200 and 'id="id_owner_error"' in response.content.decode()
    response = client.post(
        "/risks/new/",
        {
            "unit": org.assembly.pk,
            "title": "Bruit",
            "hazard": "Bruit 90 dB",
            "category": "health",
            "owner": org.manager.pk,
        },
    )
    assert response.status_code == 302
    from risks.models import Risk

    risk = Risk.objects.get(title="Bruit")
    response = client.post(
        f"/risks/{risk.pk}/edit/",
        {
            "title": "Bruit",
            "hazard": "Bruit 90 dB",
            "category": "health",
            "owner": org.manager.pk,
            "status": "closed",
            "reason": "",
        },
    )
    assert 'id="id_reason_error"' in response.content.decode()
    risk.refresh_from_db()
    assert risk.status == "open"


def test_matrix_new_version_screen(org, client_for, make_risk):
    make_risk()
    client = client_for(org.admin)
    form = client.get("/risks/matrix/new-version/").content.decode()
    assert "Almost certain | Quasi certain" in form
    data = {
        "likelihood_labels": "Rare | Rare\nPossible | Possible\nLikely | Probable",
        "severity_labels": "Minor | Mineure\nSerious | Grave\nFatal | Mortel",
        "thresholds": "low | 1 | #2e7d32 | #ffffff | Low | Faible\nhigh | 4 | #ffff00 | #ffffff | High | Élevé",
        "reason": "Simpler",
    }
    response = client.post("/risks/matrix/new-version/", data)
    assert "hard to read" in response.content.decode()
    data["thresholds"] = data["thresholds"].replace("#ffff00 | #ffffff", "#b71c1c | #ffffff")
    assert client.post("/risks/matrix/new-version/", data).status_code == 302
    page = client.get("/risks/matrix/").content.decode()
    assert "v2" in page and "Mortel" in page


def test_duerp_page_and_csv(org, client_for, make_risk, assess):
    assess(make_risk(), existing_measures="Carter fixe")
    client = client_for(org.qse)
    assert "Carter fixe" in client.get(f"/risks/duerp/?unit={org.lyon.pk}").content.decode()
    body = b"".join(client.get(f"/risks/duerp/?unit={org.lyon.pk}&format=csv").streaming_content).decode()
    assert "Assembly" in body and "Molten metal" in body


def test_an_assessed_risk_offers_its_acceptance_as_a_signed_decision(org, client_for, make_risk, assess):
    risk = make_risk(title="Bruit de la presse")
    page = client_for(org.qse).get(f"/risks/{risk.pk}/").content.decode()
    assert "Accept this risk" not in page  # nothing to accept before an assessment
    assess(risk)
    page = client_for(org.qse).get(f"/risks/{risk.pk}/").content.decode()
    link = f"/decisions/new/?kind=risk_acceptance&amp;risk={risk.pk}"
    assert link in page
    form = client_for(org.qse).get(link.replace("&amp;", "&")).context["form"]
    assert str(form.initial["risk"]) == str(risk.pk) and form.initial["kind"] == "risk_acceptance"
    staff_page = client_for(org.staff).get(f"/risks/{risk.pk}/").content.decode()
    assert "Accept this risk" not in staff_page
