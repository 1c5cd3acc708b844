"""Reads of the organisation shared by screens, API and dossiers."""

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from core import access
from organisation.choices import Role
from organisation.models import Membership, Unit, User


def people_visible_to(user, roles=None):
    """People who hold (or held) a role on a unit the user can see."""
    if access.is_superuser(user):
        return User.objects.all()
    memberships = access.visible_to(Membership.objects.filter(user=OuterRef("pk")), user, roles=roles)
    return User.objects.filter(Exists(memberships))


def person_for_user(user, pk, action="view"):
    """A person the user may see (404 otherwise); the action is checked on their units."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    try:
        person = people_visible_to(user).get(pk=pk)
    except (User.DoesNotExist, ValueError):
        raise Http404("No such person.") from None
    if action != "view" and not access.is_superuser(user):
        units = Unit.objects.filter(memberships__user=person).distinct()
        if not any(access.can(user, action, unit) for unit in units):
            raise PermissionDenied("Your role does not allow this.")
    return person


def unit_tree(user):
    today = timezone.localdate()
    active = Membership.objects.active(today)
    return access.units_visible_to(user).annotate(
        people=Count("memberships__user", filter=Q(memberships__in=active), distinct=True)
    ).order_by("path")


def people_list(user, *, q="", unit=None, role="", active="1"):
    people = people_visible_to(user).select_related("manager")
    if q:
        people = people.filter(
            Q(first_name__icontains=q) | Q(last_name__icontains=q) | Q(email__icontains=q) | Q(username__icontains=q)
        )
    if unit is not None:
        people = people.filter(memberships__unit__path__startswith=unit.path)
    if role:
        people = people.filter(memberships__role=role)
    if active in ("0", "1"):
        people = people.filter(is_active=active == "1")
    return people.distinct().order_by("last_name", "first_name", "username")


def memberships_of_unit(unit):
    today = timezone.localdate()
    return Membership.objects.active(today).filter(unit=unit).select_related("user").order_by("role", "user__last_name")


def auditor_grants(user):
    today = timezone.localdate()
    return (
        access.visible_to(Membership.objects.filter(role=Role.AUDITOR, ends_on__gte=today), user,
                          roles={Role.ADMINISTRATOR})
        .select_related("user", "unit")
        .order_by("ends_on")
    )


def members_of(unit, roles=None, on=None):
    """People holding a role on the unit or on a unit below it (for audiences and escalations)."""
    memberships = Membership.objects.active(on).filter(unit__path__startswith=unit.path, user__is_active=True)
    if roles:
        memberships = memberships.filter(role__in=roles)
    return User.objects.filter(pk__in=memberships.values("user_id"))
