"""The one scoping helper, with personas: unit, parent unit, sibling, auditors, expired, anonymous."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from core import access
from organisation.models import Unit

pytestmark = pytest.mark.django_db


def visible_codes(user):
    return set(access.units_visible_to(user).values_list("code", flat=True))


def test_a_person_sees_their_unit_and_below_only(org):
    assert visible_codes(org.staff) == {"assembly"}
    assert visible_codes(org.sibling) == {"paint"}
    assert visible_codes(org.outsider) == {"warehouse"}


def test_a_parent_unit_role_sees_the_units_below(org):
    assert visible_codes(org.qse) == {"lyon", "assembly", "paint"}
    assert visible_codes(org.admin) == {"acme", "lyon", "assembly", "paint", "lille", "warehouse"}


def test_auditor_in_grant_sees_the_scope_and_can_do_nothing_else(org):
    assert visible_codes(org.auditor) == {"lyon", "assembly", "paint"}
    assert access.can(org.auditor, "view", org.assembly)
    assert not access.can(org.auditor, "edit", org.assembly)


def test_expired_grant_and_anonymous_see_nothing(org):
    assert visible_codes(org.auditor_expired) == set()
    assert visible_codes(AnonymousUser()) == set()


def test_grant_that_ends_today_still_works_today_and_not_tomorrow(org, settings):
    import datetime

    import time_machine
    from django.utils import timezone

    membership = org.auditor.memberships.get()
    end = datetime.datetime.combine(membership.ends_on, datetime.time(23, 0), tzinfo=timezone.get_current_timezone())
    with time_machine.travel(end, tick=False):
        org.auditor._siris_grants = None
        del org.auditor._siris_grants
        assert visible_codes(org.auditor) == {"lyon", "assembly", "paint"}
    with time_machine.travel(end + datetime.timedelta(hours=2), tick=False):
        access.forget(org.auditor)
        assert visible_codes(org.auditor) == set()


def test_get_for_user_answers_404_outside_and_403_inside(org):
    with pytest.raises(Http404):
        access.get_for_user(Unit.objects.all(), org.outsider, org.assembly.pk, "view", "")
    with pytest.raises(PermissionDenied):
        access.get_for_user(Unit.objects.all(), org.staff, org.assembly.pk, "edit", "")
    assert access.get_for_user(Unit.objects.all(), org.qse, org.assembly.pk, "edit", "") == org.assembly


def test_auditors_cannot_be_given_write_actions():
    from organisation.choices import Role

    with pytest.raises(ValueError, match="read-only"):
        access.register_action("thing.approve", {Role.AUDITOR})
