"""The responsibility map as of a past date shows the owners of that date, after ownership changed."""

import datetime

import pytest
import time_machine
from django.apps import apps
from django.utils import timezone

from delegations import services
from delegations.selectors import responsibility_map
from organisation.choices import Role
from organisation.models import Membership
from organisation.services import membership_end, membership_grant
from tests.delegations.helpers import director, head, propose
from tests.personas import PASSWORD, make_person

pytestmark = pytest.mark.django_db


def test_map_of_a_past_date_shows_who_was_responsible_then(org, client_for):
    start = timezone.localdate()
    boss, site = head(org), director(org)
    first = propose(org, delegator=boss, delegate=site, units=[org.lyon])
    services.delegation_accept(actor=site, delegation=first, password=PASSWORD)
    risk = None
    if apps.is_installed("risks"):
        from risks import services as risk_services

        risk = risk_services.risk_create(actor=org.qse, unit=org.assembly, title="Crushing at press 3",
                                         hazard="Moving parts", owner=org.manager)
    action = None
    if apps.is_installed("actions"):
        from actions import services as action_services

        action = action_services.action_open(actor=org.qse, title="Guard press 3", unit=org.assembly,
                                             owner=org.manager, due_on=start + datetime.timedelta(days=60))

    # Ten days later, the manager of Assembly hands over to a newcomer and the delegation changes.
    with time_machine.travel(timezone.now() + datetime.timedelta(days=10), tick=False):
        newcomer = make_person(org.root, "newcomer", "Nina", "Newcomer")
        membership_end(actor=org.root, membership=Membership.objects.get(user=org.manager, unit=org.assembly),
                       reason="moved to another site")
        membership_grant(actor=org.root, user=newcomer, unit=org.assembly, role=Role.MANAGER)
        services.delegation_revoke(actor=boss, delegation=first, reason="New scope")
        second = propose(org, delegator=boss, delegate=site, units=[org.lyon], domains=("safety", "quality"))
        services.delegation_accept(actor=site, delegation=second, password=PASSWORD)
        if risk is not None:
            risk_services.risk_update(actor=org.qse, risk=risk, owner=newcomer, reason="handover")
        if action is not None:
            action_services.action_reassign(actor=org.qse, action=action, owner=newcomer, reason="handover")

    with time_machine.travel(timezone.now() + datetime.timedelta(days=20), tick=False):
        then = responsibility_map(org.assembly, start)
        now = responsibility_map(org.assembly, start + datetime.timedelta(days=15))

        managers_then = {r["person"].username for r in then["roles"] if r["role_code"] == Role.MANAGER}
        managers_now = {r["person"].username for r in now["roles"] if r["role_code"] == Role.MANAGER}
        assert "manager" in managers_then and "newcomer" not in managers_then
        assert "newcomer" in managers_now and "manager" not in managers_now
        assert [d["delegation"].pk for d in then["delegations"]] == [first.pk]
        assert [d["delegation"].pk for d in now["delegations"]] == [second.pk]
        owners_then = {s["key"]: [r["owner"].username for r in s["rows"]] for s in then["sections"]}
        owners_now = {s["key"]: [r["owner"].username for r in s["rows"]] for s in now["sections"]}
        if risk is not None:
            assert owners_then["risks.risk"] == ["manager"] and owners_now["risks.risk"] == ["newcomer"]
        if action is not None:
            assert owners_then["actions.action"] == ["manager"] and owners_now["actions.action"] == ["newcomer"]

        # The screen says the same.
        page = client_for(org.qse).get("/delegations/map/", {"unit": org.assembly.pk, "on": start.isoformat()})
        assert page.status_code == 200
        html = page.content.decode()
        assert "Mona Manager" in html and "Nina Newcomer" not in html
        assert f"/delegations/{first.pk}/" in html and f"/delegations/{second.pk}/" not in html


def test_map_query_count_does_not_grow_with_the_data(org, django_assert_max_num_queries):
    boss, site = head(org), director(org)
    for n in range(3):
        person = make_person(org.root, f"extra{n}", "Extra", f"Person {n}")
        membership_grant(actor=org.root, user=person, unit=org.assembly, role=Role.STAFF)
    made = propose(org, delegator=boss, delegate=site, units=[org.lyon])
    services.delegation_accept(actor=site, delegation=made, password=PASSWORD)
    with django_assert_max_num_queries(20) as small:
        responsibility_map(org.assembly, timezone.localdate())
    for n in range(30):
        person = make_person(org.root, f"more{n}", "More", f"Person {n}")
        membership_grant(actor=org.root, user=person, unit=org.assembly, role=Role.STAFF)
    with django_assert_max_num_queries(len(small.captured_queries)):
        result = responsibility_map(org.assembly, timezone.localdate())
    assert len([r for r in result["roles"] if r["role_code"] == Role.STAFF]) >= 34


def test_map_leads_to_the_inquiry_dossier_of_the_same_unit_and_date(org, client_for):
    page = client_for(org.qse).get("/delegations/map/", {"unit": org.assembly.pk, "on": "2026-11-30"})
    link = f"/evidence/dossiers/new/?kind=inquiry&amp;unit={org.assembly.pk}&amp;as_of=2026-11-30"
    assert page.status_code == 200 and link in page.content.decode()
    form = client_for(org.qse).get(link.replace("&amp;", "&")).context["form"]
    assert form.initial["kind"] == "inquiry" and form.initial["as_of"] == "2026-11-30"
    # Staff may read the map of their unit but cannot ask for a dossier: no button.
    staff_page = client_for(org.staff).get("/delegations/map/", {"unit": org.assembly.pk, "on": "2026-11-30"})
    assert "/evidence/dossiers/new/" not in staff_page.content.decode()
