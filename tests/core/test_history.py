"""Services record who and why in row history even without a request (Celery, commands)."""

import pytest

from organisation.choices import Role
from organisation.models import Membership
from organisation.services import membership_grant

pytestmark = pytest.mark.django_db


def test_history_user_and_reason_are_set_outside_a_request(org):
    membership = membership_grant(actor=org.qse, user=org.sibling, unit=org.assembly, role=Role.STAFF,
                                  note="covers for the summer")
    row = membership.history.get()
    assert row.history_user == org.qse
    assert row.history_change_reason == "covers for the summer"
    assert row.history_type == "+"
    assert Membership.history.filter(id=membership.pk).count() == 1


def test_no_op_updates_write_no_history(org):
    from organisation.services import unit_update

    before = org.paint.history.count()
    unit_update(actor=org.admin, unit=org.paint, name=org.paint.name)
    assert org.paint.history.count() == before
