"""Access matrix of the delegations app: a delegation proposed by a head of company on Lyon."""

from django.utils import timezone

from tests.access.matrix import Route, api_expect, expect
from tests.delegations.helpers import propose
from tests.personas import PASSWORD, make_person


def routes(org):
    from organisation.choices import Role
    from organisation.services import membership_grant

    boss = make_person(org.root, "matrix_ceo", "Cora", "Chief")
    membership_grant(actor=org.root, user=boss, unit=org.company, role=Role.MANAGER)
    site = make_person(org.root, "matrix_director", "Dan", "Director")
    membership_grant(actor=org.root, user=site, unit=org.lyon, role=Role.MANAGER)
    made = propose(org, delegator=boss, delegate=site, units=[org.lyon])
    pk = made.pk
    hidden = {"manager": 404, "staff": 404, "sibling": 404, "outsider": 404, "auditor_expired": 404}
    map_hidden = {"sibling": 404, "outsider": 404, "auditor_expired": 404}
    today = timezone.localdate().isoformat()
    return {
        "delegations:delegation_list": Route("/delegations/", expect(200)),
        "delegations:delegation_create": Route("/delegations/new/", expect(403, admin=200, manager=200)),
        "delegations:delegation_detail": Route(f"/delegations/{pk}/", expect(200, **hidden)),
        "delegations:delegation_accept": Route(f"/delegations/{pk}/accept/", expect(403, **hidden), method="POST",
                                               data={"password": PASSWORD}),
        "delegations:delegation_refuse": Route(f"/delegations/{pk}/refuse/", expect(403, **hidden), method="POST",
                                               data={"reason": "no"}),
        "delegations:delegation_revoke": Route(f"/delegations/{pk}/revoke/", expect(403, admin=302, **hidden),
                                               method="POST", data={"reason": "test"}),
        "delegations:responsibility_map": Route("/delegations/map/", expect(200)),
        "delegation-list": Route("/api/v1/delegations/", api_expect(200)),
        "delegation-detail": Route(f"/api/v1/delegations/{pk}/", api_expect(200, **hidden)),
        "delegation-accept": Route(f"/api/v1/delegations/{pk}/accept/", api_expect(403, **hidden), method="POST",
                                   data={"password": PASSWORD}),
        "delegation-refuse": Route(f"/api/v1/delegations/{pk}/refuse/", api_expect(403, **hidden), method="POST",
                                   data={"reason": "no"}),
        "delegation-revoke": Route(f"/api/v1/delegations/{pk}/revoke/", api_expect(403, admin=200, **hidden),
                                   method="POST", data={"reason": "test"}),
        "responsibility-map": Route(f"/api/v1/responsibility-map/?unit={org.assembly.pk}&on={today}",
                                    api_expect(200, **map_hidden)),
    }
