import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.exceptions import ConflictError, DomainError
from core.models import ChasedItem, LedgerEntry
from decisions.signing import sha256_of
from delegations import services
from delegations.choices import DelegationStatus
from tests.delegations.helpers import director, head, propose
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(org):
    boss, site = head(org), director(org)
    top = propose(org, delegator=boss, delegate=site, units=[org.lyon], domains=("safety", "environment"))
    services.delegation_accept(actor=site, delegation=top, password=PASSWORD)
    top.refresh_from_db()
    return boss, site, top


def test_propose_and_accept_with_a_signature(org):
    boss, site = head(org), director(org)
    made = propose(org, delegator=boss, delegate=site, units=[org.lyon])
    assert made.status == DelegationStatus.PROPOSED
    assert ChasedItem.objects.get(kind="delegation", recipient=site).closed_at is None
    proposed = LedgerEntry.objects.get(event_type="DELEGATION_PROPOSED")
    assert proposed.payload["content"]["units"] == [{"id": org.lyon.pk, "name": "Lyon"}]
    services.delegation_accept(actor=site, delegation=made, password=PASSWORD)
    made.refresh_from_db()
    assert made.status == DelegationStatus.ACCEPTED and made.accepted_at
    assert made.acceptance_hash == sha256_of(services.delegation_content(made))
    assert LedgerEntry.objects.get(event_type="DELEGATION_ACCEPTED").payload["content_hash"] == made.acceptance_hash
    assert not ChasedItem.objects.filter(kind="delegation", closed_at__isnull=True).exists()
    assert made.history.count() == 2


def test_accepting_with_a_wrong_password_is_refused_and_recorded(org):
    boss, site = head(org), director(org)
    made = propose(org, delegator=boss, delegate=site, units=[org.lyon])
    with pytest.raises(DomainError) as exc:
        services.delegation_accept(actor=site, delegation=made, password="nope")
    assert exc.value.field == "password"
    made.refresh_from_db()
    assert made.status == DelegationStatus.PROPOSED
    refusal = LedgerEntry.objects.get(event_type="SIGNATURE_REFUSED")
    assert refusal.target_type == "delegations.delegation" and refusal.unit_path == org.lyon.path
    with pytest.raises(PermissionDenied):
        services.delegation_accept(actor=boss, delegation=made, password=PASSWORD)


def test_refuse_needs_a_reason(org):
    boss, site = head(org), director(org)
    made = propose(org, delegator=boss, delegate=site, units=[org.lyon])
    with pytest.raises(DomainError):
        services.delegation_refuse(actor=site, delegation=made, reason=" ")
    services.delegation_refuse(actor=site, delegation=made, reason="I have no budget for this")
    made.refresh_from_db()
    assert made.status == DelegationStatus.REFUSED
    with pytest.raises(ConflictError):
        services.delegation_accept(actor=site, delegation=made, password=PASSWORD)


def test_only_the_head_of_the_company_delegates_directly(org):
    site = director(org)
    with pytest.raises(DomainError) as exc:
        propose(org, delegator=site, delegate=org.manager, units=[org.assembly])
    assert exc.value.field == "parent"


def test_a_sub_delegation_lies_within_the_delegators_own(org, chain):
    _boss, site, top = chain
    today = timezone.localdate()
    cases = [
        ({"units": [org.warehouse]}, "units"),
        ({"domains": ("quality",)}, "domains"),
        ({"budget": Decimal("50000.01")}, "budget"),
        ({"budget": None}, "budget"),
        ({"starts_on": today - datetime.timedelta(days=1)}, "starts_on"),
        ({"ends_on": top.ends_on + datetime.timedelta(days=1)}, "ends_on"),
        ({"ends_on": None}, "ends_on"),
    ]
    for change, field in cases:
        values = {"units": [org.assembly], "domains": ("safety",), "budget": Decimal("10000")} | change
        with pytest.raises(DomainError) as exc:
            propose(org, delegator=site, delegate=org.manager, parent=top, **values)
        assert exc.value.field == field, change
    sub = propose(org, delegator=site, delegate=org.manager, parent=top, units=[org.assembly],
                  budget=Decimal("10000"), days=100)
    assert sub.parent == top


def test_revoking_revokes_the_sub_delegations(org, chain):
    boss, site, top = chain
    sub = propose(org, delegator=site, delegate=org.manager, parent=top, units=[org.assembly], days=100)
    services.delegation_accept(actor=org.manager, delegation=sub, password=PASSWORD)
    with pytest.raises(PermissionDenied):
        services.delegation_revoke(actor=org.manager, delegation=top, reason="no")
    with pytest.raises(DomainError):
        services.delegation_revoke(actor=boss, delegation=top, reason="")
    services.delegation_revoke(actor=boss, delegation=top, reason="Reorganisation")
    sub.refresh_from_db()
    assert sub.status == DelegationStatus.REVOKED and "Reorganisation" in sub.revoke_reason
    assert LedgerEntry.objects.filter(event_type="DELEGATION_REVOKED").count() == 2


def test_bad_delegations_are_refused(org):
    boss = head(org)
    with pytest.raises(DomainError):
        propose(org, delegator=boss, delegate=boss, units=[org.lyon])
    with pytest.raises(DomainError) as exc:
        propose(org, delegator=boss, delegate=org.outsider, units=[org.lyon])  # no role there
    assert exc.value.field == "delegate"
    with pytest.raises(DomainError) as exc:
        propose(org, delegator=boss, delegate=org.manager, units=[org.assembly], authority=" ")
    assert exc.value.field == "authority"
    with pytest.raises(DomainError):
        propose(org, delegator=boss, delegate=org.manager, units=[org.assembly], domains=())
    with pytest.raises(PermissionDenied):  # someone else proposing on the delegator's behalf
        propose(org, delegator=boss, delegate=org.manager, units=[org.assembly], actor=org.staff)


def test_a_delegate_sees_the_chain_above_their_delegation(org, chain):
    from delegations.selectors import delegations_visible_to

    _boss, site, top = chain
    sub = propose(org, delegator=site, delegate=org.manager, parent=top, units=[org.assembly], days=100)
    visible = set(delegations_visible_to(org.manager).values_list("pk", flat=True))
    assert visible == {top.pk, sub.pk}
    assert not delegations_visible_to(org.outsider).exists()
