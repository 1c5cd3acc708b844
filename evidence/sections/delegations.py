"""Delegations in dossiers. A delegation covers several units (many-to-many), so it is not a record
that holds evidence on one unit; it appears in inquiry part 1: the delegations covering the unit (or
a unit above it) as they read at D, with their acceptance."""

from django.db.models import Q
from django.utils.translation import gettext as _

from delegations.models import Delegation
from evidence import sections
from evidence.dossiers.base import Section, prefetch_fks, record_block


def delegations_on(unit, moment):
    day = moment.date()
    covering = Delegation.units.through.objects.filter(
        Q(unit__path__startswith=unit.path) | Q(unit_id__in=unit.ancestor_ids())).values("delegation_id")
    rows = (Delegation.history.as_of(moment).filter(id__in=covering)
            .filter(starts_on__lte=day).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day)).order_by("id"))
    rows = prefetch_fks(rows, as_of=moment)
    return [Section(title=_("Delegations of authority in force"), blocks=[record_block(d) for d in rows],
                    related=rows, empty=_("No delegation covered this unit on that day."))]


sections.register_inquiry(1, delegations_on)
