"""Named personas on a small organisation, built through the services like real data.

    Acme (company)                       admin: administrator
    ├── Lyon (site)                      qse: QSE manager; auditor / auditor_expired: auditor grants
    │   ├── Assembly (work unit)         manager, staff
    │   └── Paint (work unit)            sibling: staff
    └── Lille (site)
        └── Warehouse (work unit)        outsider: staff
"""

import datetime
from dataclasses import dataclass
from functools import cache

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from organisation.choices import Role, UnitKind
from organisation.models import Unit, User
from organisation.services import membership_grant, person_create, unit_create

PASSWORD = "Correct-Horse-Battery-9"


@cache
def password_hash() -> str:
    return make_password(PASSWORD)


@dataclass
class Org:
    company: Unit
    lyon: Unit
    assembly: Unit
    paint: Unit
    lille: Unit
    warehouse: Unit
    root: User
    admin: User
    qse: User
    manager: User
    staff: User
    sibling: User
    outsider: User
    auditor: User
    auditor_expired: User

    def people(self) -> dict[str, User]:
        return {
            name: getattr(self, name)
            for name in ("admin", "qse", "manager", "staff", "sibling", "outsider", "auditor", "auditor_expired")
        }


def make_person(actor, username, first, last, *, manager=None, language="en"):
    person = person_create(
        actor=actor, username=username, email=f"{username}@acme.test", first_name=first, last_name=last,
        manager=manager, language=language,
    )
    # Tests log in with PASSWORD; hashing once per run keeps the suite fast with Argon2.
    from tests.conftest import raw_writes

    with raw_writes():
        User.objects.filter(pk=person.pk).update(password=password_hash())
    person.refresh_from_db()
    return person


def build_org() -> Org:
    root = User.objects.create_superuser("root", "root@acme.test", PASSWORD)
    company = unit_create(actor=root, kind=UnitKind.COMPANY, name="Acme", code="acme")
    lyon = unit_create(actor=root, kind=UnitKind.SITE, name="Lyon", code="lyon", parent=company)
    assembly = unit_create(actor=root, kind=UnitKind.WORK_UNIT, name="Assembly", code="assembly", parent=lyon)
    paint = unit_create(actor=root, kind=UnitKind.WORK_UNIT, name="Paint", code="paint", parent=lyon)
    lille = unit_create(actor=root, kind=UnitKind.SITE, name="Lille", code="lille", parent=company)
    warehouse = unit_create(actor=root, kind=UnitKind.WORK_UNIT, name="Warehouse", code="warehouse", parent=lille)

    admin = make_person(root, "admin", "Ada", "Admin")
    qse = make_person(root, "qse", "Quentin", "Safety")
    manager = make_person(root, "manager", "Mona", "Manager", manager=qse)
    staff = make_person(root, "staff", "Sam", "Staff", manager=manager)
    sibling = make_person(root, "sibling", "Sid", "Sibling", manager=manager)
    outsider = make_person(root, "outsider", "Olga", "Outsider")
    auditor = make_person(root, "auditor", "Aude", "Auditor")
    auditor_expired = make_person(root, "auditor_expired", "Eric", "Expired")

    today = timezone.localdate()
    membership_grant(actor=root, user=admin, unit=company, role=Role.ADMINISTRATOR)
    membership_grant(actor=root, user=qse, unit=lyon, role=Role.QSE_MANAGER)
    membership_grant(actor=root, user=manager, unit=assembly, role=Role.MANAGER)
    membership_grant(actor=root, user=staff, unit=assembly, role=Role.STAFF)
    membership_grant(actor=root, user=sibling, unit=paint, role=Role.STAFF)
    membership_grant(actor=root, user=outsider, unit=warehouse, role=Role.STAFF)
    membership_grant(actor=root, user=auditor, unit=lyon, role=Role.AUDITOR, ends_on=today + datetime.timedelta(days=13))
    membership_grant(
        actor=root, user=auditor_expired, unit=lyon, role=Role.AUDITOR,
        starts_on=today - datetime.timedelta(days=30), ends_on=today - datetime.timedelta(days=1),
    )
    return Org(company, lyon, assembly, paint, lille, warehouse, root, admin, qse, manager, staff, sibling,
               outsider, auditor, auditor_expired)
