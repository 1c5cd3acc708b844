import datetime

import pytest
from django.utils import timezone

from core.models import LedgerEntry
from delegations.choices import DelegationStatus
from delegations.models import Delegation
from tests.delegations.helpers import TEXT, director, head, propose
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


def test_propose_on_the_screen_then_accept_with_the_password(org, client_for):
    boss, site = head(org), director(org)
    client = client_for(boss)
    today = timezone.localdate()
    form = {"delegate": site.pk, "units": [org.lyon.pk], "domains": ["safety"], "budget": "1000",
            "starts_on": today.isoformat(), "ends_on": (today + datetime.timedelta(days=30)).isoformat(), **TEXT}
    bad = client.post("/delegations/new/", {**form, "authority": ""})
    assert bad.status_code == 200 and "Stop any machine" not in bad.content.decode()
    made = client.post("/delegations/new/", form)
    assert made.status_code == 302
    delegation = Delegation.objects.get()
    page = client_for(site).get(f"/delegations/{delegation.pk}/")
    assert "I accept this delegation" in page.content.decode()
    wrong = client_for(site).post(f"/delegations/{delegation.pk}/accept/", {"password": "nope"})
    assert wrong.status_code == 400 and "This is not your password" in wrong.content.decode()
    assert LedgerEntry.objects.filter(event_type="SIGNATURE_REFUSED").count() == 1
    assert client_for(site).post(f"/delegations/{delegation.pk}/accept/", {"password": PASSWORD}).status_code == 302
    delegation.refresh_from_db()
    assert delegation.status == DelegationStatus.ACCEPTED
    html = client_for(org.qse).get(f"/delegations/{delegation.pk}/").content.decode()
    assert delegation.acceptance_hash in html


def test_a_wider_sub_delegation_is_refused_next_to_the_field(org, client_for):
    boss, site = head(org), director(org)
    top = propose(org, delegator=boss, delegate=site, units=[org.lyon])
    client_for(site).post(f"/delegations/{top.pk}/accept/", {"password": PASSWORD})
    today = timezone.localdate()
    response = client_for(site).post("/delegations/new/", {
        "delegate": org.manager.pk, "parent": top.pk, "units": [org.assembly.pk], "domains": ["quality"],
        "budget": "10", "starts_on": today.isoformat(), "ends_on": (today + datetime.timedelta(days=30)).isoformat(),
        **TEXT})
    assert response.status_code == 200
    assert response.context["form"].errors["domains"]
    assert Delegation.objects.count() == 1


def test_list_csv_and_query_count(org, client_for, django_assert_max_num_queries):
    boss = head(org)
    for _ in range(3):
        propose(org, delegator=boss, delegate=org.manager, units=[org.assembly])
    client = client_for(org.qse)
    with django_assert_max_num_queries(25) as small:
        assert client.get("/delegations/").status_code == 200
    for _ in range(20):
        propose(org, delegator=boss, delegate=org.qse, units=[org.lyon, org.assembly])
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get("/delegations/")
    assert page.context["page_obj"].paginator.count == 23
    csv = b"".join(client.get("/delegations/", {"format": "csv"}).streaming_content).decode()
    assert len(csv.strip().splitlines()) == 24 and "Lyon, Assembly" in csv


def test_delegation_api(org, api_for):
    boss, site = head(org), director(org)
    today = timezone.localdate()
    created = api_for(boss).post("/api/v1/delegations/", {
        "delegate": site.pk, "units": [org.lyon.pk], "domains": ["safety"], "starts_on": today.isoformat(),
        "ends_on": (today + datetime.timedelta(days=30)).isoformat(), **TEXT}, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    wrong = api_for(site).post(f"/api/v1/delegations/{pk}/accept/", {"password": "x"}, format="json")
    assert wrong.status_code == 400
    accepted = api_for(site).post(f"/api/v1/delegations/{pk}/accept/", {"password": PASSWORD}, format="json")
    assert accepted.json()["status"] == "accepted" and len(accepted.json()["acceptance_hash"]) == 64
    again = api_for(site).post(f"/api/v1/delegations/{pk}/accept/", {"password": PASSWORD}, format="json")
    assert again.status_code == 409
    wider = api_for(site).post("/api/v1/delegations/", {
        "delegate": org.manager.pk, "parent": pk, "units": [org.assembly.pk], "domains": ["safety"],
        "starts_on": today.isoformat(), "ends_on": (today + datetime.timedelta(days=60)).isoformat(), **TEXT},
        format="json")
    assert wider.status_code == 400 and "ends_on" in wider.json()["error"]["fields"]
    result = api_for(org.qse).get("/api/v1/responsibility-map/", {"unit": org.assembly.pk, "on": today.isoformat()})
    assert result.status_code == 200 and pk in result.json()["delegations"]
    assert any(r["person"] == org.manager.pk and r["role"] == "manager" for r in result.json()["roles"])
    assert api_for(org.qse).get("/api/v1/responsibility-map/", {"unit": "x"}).status_code == 400
