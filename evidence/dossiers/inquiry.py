"""The inquiry dossier: how things stood in a unit at a moment D, built from row history.

Every part reads ``Model.history.as_of(D)`` (the records as they were then, not as they are now)
and ledger entries recorded up to D, so nothing changed or added after D leaks in. The nine parts
follow DOMAIN.md; parts 1 to 8 come from the apps (``evidence.sections.register_inquiry``), and
where an app gives none, its records as of D are listed field by field.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q
from django.utils.translation import gettext as _

from core.models import LedgerEntry
from evidence import sections as registry
from evidence.dossiers.base import (
    Block,
    Dossier,
    Section,
    evidence_section,
    fmt,
    fmt_datetime,
    prefetch_fks,
    records_section,
)
from evidence.dossiers.catalog import inquiry_part_of, scoped_models
from organisation.models import Membership, Unit


def part_title(number: int) -> str:
    titles = {
        1: _("Who held which duty: owners, roles, delegations and their acceptance"),
        2: _("The risk assessment in force, and the earlier versions"),
        3: _("The applicable requirements, their last evaluation and open gaps"),
        4: _("The rules communicated, to whom, and who had acknowledged; reminders sent"),
        5: _("Inspections planned and performed, with results and findings"),
        6: _("Actions: origin, owner, due date, status history, reminders, closure, effectiveness"),
        7: _("Alarms raised and the answers given (or not)"),
        8: _("Decisions, each with its signatures and their meaning"),
    }
    return f"{number}. {titles[number]}"


def unit_as_of(unit: Unit, moment: datetime.datetime):
    try:
        return Unit.history.as_of(moment).get(pk=unit.pk)
    except ObjectDoesNotExist:  # the unit did not exist yet: print it as it is
        return unit


def as_of_records(model, unit_field: str, unit: Unit, moment):
    qs = model.history.as_of(moment).filter(**{f"{unit_field}__path__startswith": unit.path}).order_by("pk")
    return prefetch_fks(qs, as_of=moment)


def roles_section(unit: Unit, moment: datetime.datetime) -> Section:
    """Roles held on the unit, on the units above it (their duties cover it) and below, on D."""
    day = moment.date()
    ancestors = unit.ancestor_ids()
    rows = (Membership.history.as_of(moment)
            .filter(Q(unit__path__startswith=unit.path) | Q(unit_id__in=ancestors))
            .filter(starts_on__lte=day).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
            .order_by("unit_id", "role", "pk"))
    rows = prefetch_fks(rows, as_of=moment)
    section = Section(title=_("Roles held on %(day)s") % {"day": fmt(day)}, related=rows,
                      empty=_("Nobody held a role on this unit on that day."))
    for m in rows:
        section.blocks.append(Block(
            title=f"{m.user} · {m.get_role_display()} · {m.unit}",
            lines=[_("From %(start)s to %(end)s") % {"start": fmt(m.starts_on), "end": fmt(m.ends_on)}]
                  + ([m.note] if m.note else []),
        ))
    return section


def owners_section(unit: Unit, moment) -> Section:
    section = Section(title=_("Owners of the records"), empty=_("No owned record on that day."))
    for model, unit_field in scoped_models():
        if "owner" not in {f.name for f in model._meta.concrete_fields}:
            continue
        for obj in as_of_records(model, unit_field, unit, moment):
            section.blocks.append(Block(title=f"{model._meta.verbose_name.capitalize()} #{obj.pk} · {obj}",
                                        lines=[_("Owner: %(who)s") % {"who": fmt(obj.owner)}]))
            section.related.append(obj)
    return section


def build(unit: Unit, moment: datetime.datetime, *, scope_label: str) -> Dossier:
    from evidence.models import Evidence

    then = unit_as_of(unit, moment)
    dossier = Dossier(title=_("Inquiry dossier"), kind_label=_("Inquiry dossier as of a date"),
                      scope_label=scope_label, as_of=moment)
    dossier.sections.append(Section(
        title=_("The unit on that date"),
        facts=[(_("Unit"), then.name), (_("Code"), then.code), (_("Kind"), then.get_kind_display()),
               (_("Headcount"), fmt(then.headcount)), (_("As of"), fmt_datetime(moment))],
        text=_("Everything below is how Siris's records stood at this moment, rebuilt from row history and "
               "the ledger; changes made afterwards are not shown."),
    ))
    generic = {}
    for model, unit_field in scoped_models():
        part = inquiry_part_of(model)
        if part:
            generic.setdefault(part, []).append((model, unit_field))
    for number in range(1, 9):
        part = Section(title=part_title(number))
        providers = registry.inquiry_providers(number)
        if number == 1:
            part.subsections.append(roles_section(unit, moment))
            part.subsections.append(owners_section(unit, moment))
        for func in providers:
            part.subsections.extend(func(unit, moment))
        if not providers:
            for model, unit_field in generic.get(number, []):
                objs = as_of_records(model, unit_field, unit, moment)
                part.subsections.append(records_section(
                    str(model._meta.verbose_name_plural).capitalize(), objs, empty=_("None on that day.")))
        if part.is_empty():
            part.empty = _("Siris held no record of this kind for this unit on that day.")
        dossier.sections.append(part)
    related = []
    for section in dossier.all_sections():
        related.extend(section.related)
    dossier.records = related
    dossier.evidence = list(Evidence.objects.filter(unit__path__startswith=unit.path, created_at__lte=moment)
                            .select_related("uploaded_by").order_by("target_type", "target_id", "title", "version"))
    dossier.sections.append(evidence_section(dossier.evidence, title=_("Evidence files held on that day")))
    dossier.ledger_entries = list(LedgerEntry.objects.filter(unit_path__startswith=unit.path, recorded_at__lte=moment)
                                  .order_by("seq"))
    return dossier
