import pytest

from organisation.models import Membership, Unit

pytestmark = pytest.mark.django_db


def test_units_are_scoped(org, api_for):
    codes = {u["code"] for u in api_for(org.qse).get("/api/v1/units/").json()["results"]}
    assert codes == {"lyon", "assembly", "paint"}
    assert api_for(org.qse).get(f"/api/v1/units/{org.warehouse.pk}/").status_code == 404


def test_admin_creates_a_unit_and_others_cannot(org, api_for):
    payload = {"kind": "work_unit", "name": "Press", "code": "press", "parent": org.lyon.pk}
    refused = api_for(org.qse).post("/api/v1/units/", payload, format="json")
    assert refused.status_code == 403 and refused.json()["error"]["status"] == 403
    outside = api_for(org.outsider).post("/api/v1/units/", payload, format="json")
    assert outside.status_code == 404
    response = api_for(org.admin).post("/api/v1/units/", payload, format="json")
    assert response.status_code == 201 and response.json()["code"] == "press"
    assert Unit.objects.filter(code="press").exists()


def test_bad_input_gets_400_with_the_field(org, api_for):
    response = api_for(org.admin).post("/api/v1/units/", {"kind": "site", "name": "S", "code": "bad code!"},
                                       format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert "code" in error["fields"]


def test_domain_refusal_is_400_with_the_field(org, api_for):
    response = api_for(org.admin).post("/api/v1/memberships/", {
        "user": org.outsider.pk, "unit": org.lyon.pk, "role": "auditor"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"ends_on": ["Auditor access must have an end date."]}
    assert not Membership.objects.filter(user=org.outsider, role="auditor").exists()


def test_people_and_memberships_are_scoped(org, api_for):
    names = {p["username"] for p in api_for(org.staff).get("/api/v1/people/").json()["results"]}
    assert names == {"staff", "manager"}
    ids = {m["id"] for m in api_for(org.sibling).get("/api/v1/memberships/").json()["results"]}
    assert ids == set(Membership.objects.filter(unit=org.paint).values_list("id", flat=True))


def test_schema_and_docs_are_served_locally(org, client_for):
    client = client_for(org.staff)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/v1/units/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs.lower() and "cdn" not in docs.lower()
