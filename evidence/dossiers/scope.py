"""The scope dossier: a unit (and the units below) over a period."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import LedgerEntry
from evidence.dossiers.base import (
    Block,
    Dossier,
    Section,
    evidence_section,
    fmt_date,
    prefetch_fks,
    records_section,
    timeline_section,
)
from evidence.dossiers.catalog import scoped_models
from organisation.models import Unit


def day_bounds(start: datetime.date, end: datetime.date):
    tz = timezone.get_current_timezone()
    lower = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    upper = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return lower, upper


def build(unit: Unit, start: datetime.date, end: datetime.date, *, scope_label: str) -> Dossier:
    """1. the units in scope; 2. the records of each kind in them (as they are now, created up to the
    end of the period); 3. evidence proving something within the period; 4. every ledger event of the
    period in those units; then the integrity appendix."""
    from evidence.models import Evidence

    lower, upper = day_bounds(start, end)
    dossier = Dossier(title=_("Scope dossier"), kind_label=_("Scope dossier"), scope_label=scope_label, as_of=None)
    units = list(Unit.objects.filter(path__startswith=unit.path).order_by("path"))
    dossier.sections.append(Section(
        title=_("Scope"),
        facts=[(_("Unit"), str(unit)), (_("Period"), f"{fmt_date(start)} – {fmt_date(end)}")],
        blocks=[Block(title=f"{u.name} ({u.get_kind_display()})", lines=[u.code]) for u in units],
    ))
    records = Section(title=_("Records in scope"))
    related = []
    for model, unit_field in scoped_models():
        qs = (model._default_manager.filter(**{f"{unit_field}__path__startswith": unit.path},
                                             created_at__lt=upper)
              .order_by("pk"))
        objs = prefetch_fks(qs)
        if objs:
            records.subsections.append(records_section(str(model._meta.verbose_name_plural).capitalize(), objs))
            related.extend(objs)
    if not records.subsections:
        records.empty = _("No record in these units yet.")
    dossier.sections.append(records)
    dossier.records = related
    dossier.evidence = list(
        Evidence.objects.filter(unit__path__startswith=unit.path, effective_on__lte=end)
        .filter(Q(effective_until__isnull=True) | Q(effective_until__gte=start))
        .select_related("uploaded_by").order_by("target_type", "target_id", "title", "version")
    )
    dossier.sections.append(evidence_section(dossier.evidence))
    dossier.ledger_entries = list(
        LedgerEntry.objects.filter(unit_path__startswith=unit.path, recorded_at__gte=lower, recorded_at__lt=upper)
        .order_by("seq")
    )
    dossier.sections.append(timeline_section(list(reversed(dossier.ledger_entries)),
                                             title=_("Everything recorded in the period")))
    return dossier
