import datetime
from decimal import Decimal

from django.utils import timezone

from delegations import services
from organisation.choices import Role
from organisation.services import membership_grant
from tests.personas import make_person

TEXT = {"competence": "Trained in machine safety (20 years)", "authority": "Stop any machine; order repairs",
        "means": "The maintenance team and its budget"}


def head(org):
    """A managing director: manager of the company unit, the holder of the original powers."""
    boss = make_person(org.root, "ceo", "Cora", "Chief")
    membership_grant(actor=org.root, user=boss, unit=org.company, role=Role.MANAGER,
                     starts_on=timezone.localdate() - datetime.timedelta(days=30))
    return boss


def director(org):
    person = make_person(org.root, "director", "Dan", "Director")
    membership_grant(actor=org.root, user=person, unit=org.lyon, role=Role.MANAGER,
                     starts_on=timezone.localdate() - datetime.timedelta(days=30))
    return person


def propose(org, *, delegator, delegate, units, domains=("safety",), budget=Decimal("50000"), days=365,
            parent=None, **extra):
    today = timezone.localdate()
    return services.delegation_propose(
        actor=extra.pop("actor", delegator), delegator=delegator, delegate=delegate, units=units, domains=domains,
        budget=budget, starts_on=extra.pop("starts_on", today), ends_on=extra.pop("ends_on",
                                                                             today + datetime.timedelta(days=days)),
        parent=parent, **{**TEXT, **extra},
    )
