import datetime

import pytest
from django.utils import timezone

from core.exceptions import DomainError
from core.models import LedgerEntry
from organisation.choices import Role, UnitKind
from organisation.models import Membership, Unit
from organisation.services import (
    membership_end,
    membership_grant,
    person_create,
    person_deactivate,
    person_update,
    unit_create,
    unit_update,
)

pytestmark = pytest.mark.django_db


def test_unit_create_builds_the_path_and_records_it(org):
    unit = unit_create(actor=org.admin, kind=UnitKind.WORK_UNIT, name="Press", code="press", parent=org.lyon)
    assert unit.path == f"{org.lyon.path}{unit.pk}/"
    assert unit.history.count() == 1 and unit.history.get().history_user == org.admin
    entry = LedgerEntry.objects.get(event_type="UNIT_CREATED", target_id=str(unit.pk))
    assert entry.unit_path == unit.path and entry.payload["code"] == "press"


def test_moving_a_unit_moves_its_subtree(org):
    unit_update(actor=org.admin, unit=org.lyon, reason="x")  # nothing changes: no history
    sub = unit_create(actor=org.admin, kind=UnitKind.WORK_UNIT, name="Cell", code="cell", parent=org.paint)
    unit_update(actor=org.admin, unit=org.paint, parent=org.lille, reason="paint moves to Lille")
    org.paint.refresh_from_db()
    sub.refresh_from_db()
    assert org.paint.path.startswith(org.lille.path)
    assert sub.path == f"{org.paint.path}{sub.pk}/"
    assert sub.history.latest().history_change_reason == "moved with paint"


def test_a_unit_cannot_move_under_its_own_descendant(org):
    with pytest.raises(DomainError) as exc:
        unit_update(actor=org.admin, unit=org.lyon, parent=org.assembly)
    assert exc.value.field == "parent"
    org.lyon.refresh_from_db()
    assert org.lyon.parent == org.company


def test_unit_kinds_must_nest(org):
    with pytest.raises(DomainError, match="cannot be placed under"):
        unit_create(actor=org.admin, kind=UnitKind.SITE, name="S", code="s", parent=org.lyon)
    with pytest.raises(DomainError, match="needs a parent"):
        unit_create(actor=org.admin, kind=UnitKind.WORK_UNIT, name="W", code="w")
    with pytest.raises(DomainError, match="already uses the code"):
        unit_create(actor=org.admin, kind=UnitKind.WORK_UNIT, name="W", code="paint", parent=org.lyon)
    assert not Unit.objects.filter(code__in=["s", "w"]).exists()


def test_membership_ending_before_it_starts_is_refused(org):
    today = timezone.localdate()
    with pytest.raises(DomainError, match="before the start date") as exc:
        membership_grant(actor=org.admin, user=org.staff, unit=org.paint, role=Role.STAFF,
                         starts_on=today, ends_on=today - datetime.timedelta(days=1))
    assert exc.value.field == "ends_on"
    assert not Membership.objects.filter(user=org.staff, unit=org.paint).exists()


def test_auditor_grant_without_end_date_is_refused(org):
    with pytest.raises(DomainError, match="must have an end date"):
        membership_grant(actor=org.admin, user=org.outsider, unit=org.lyon, role=Role.AUDITOR)
    assert not Membership.objects.filter(user=org.outsider, role=Role.AUDITOR).exists()


def test_the_database_also_refuses_an_open_ended_auditor_grant(org):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership(user=org.outsider, unit=org.lyon, role=Role.AUDITOR).save()


def test_granting_and_ending_a_role_are_ledgered(org):
    m = membership_grant(actor=org.admin, user=org.sibling, unit=org.assembly, role=Role.MANAGER)
    membership_end(actor=org.admin, membership=m, reason="interim over")
    m.refresh_from_db()
    assert m.ends_on == timezone.localdate()
    events = list(LedgerEntry.objects.filter(target_id=str(m.pk), target_type="organisation.membership")
                  .values_list("event_type", flat=True))
    assert events == ["ROLE_GRANTED", "ROLE_ENDED"]


def test_a_duplicate_role_is_refused(org):
    with pytest.raises(DomainError, match="already holds"):
        membership_grant(actor=org.admin, user=org.staff, unit=org.assembly, role=Role.STAFF)


def test_person_deactivation_ends_roles_and_keeps_the_person(org):
    person_deactivate(actor=org.admin, person=org.staff, reason="left the company")
    org.staff.refresh_from_db()
    assert not org.staff.is_active
    assert not org.staff.memberships.active().filter(ends_on__gt=timezone.localdate()).exists()
    with pytest.raises(DomainError):
        person_deactivate(actor=org.admin, person=org.sibling, reason="  ")


def test_manager_loops_are_refused(org):
    with pytest.raises(DomainError, match="own manager"):
        person_update(actor=org.admin, person=org.qse, manager=org.staff)


def test_duplicate_username_and_email_are_refused(org):
    with pytest.raises(DomainError) as exc:
        person_create(actor=org.admin, username="STAFF", email="new@acme.test")
    assert exc.value.field == "username"
    with pytest.raises(DomainError) as exc:
        person_create(actor=org.admin, username="new", email="staff@acme.test")
    assert exc.value.field == "email"
