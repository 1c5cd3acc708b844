"""The DUERP (document unique d'évaluation des risques professionnels) of a site or company.

Code du travail R4121-1 to R4121-4: the results of the risk assessment, by work unit, with the
prevention actions planned; updated at least yearly; every version kept 40 years and available to
workers, the CSE, the occupational health service and inspectors. Each issued version is a frozen
PDF with its own number; the earlier versions stay listed and downloadable.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from evidence import sections as registry
from evidence.dossiers.base import Block, Dossier, Section, fmt, fmt_datetime, records_section
from evidence.dossiers.catalog import scoped_models
from evidence.dossiers.inquiry import as_of_records
from organisation.choices import UnitKind
from organisation.models import Unit

DUERP_APPS = ("risks", "actions")


def work_units(unit: Unit) -> list[Unit]:
    units = list(Unit.objects.filter(path__startswith=unit.path, kind=UnitKind.WORK_UNIT, is_active=True)
                 .order_by("path"))
    return units or [unit]


def versions_section(unit: Unit, version: int | None) -> Section:
    from evidence.models import DossierRequest

    earlier = DossierRequest.objects.filter(unit=unit, kind="duerp", status="done").order_by("-duerp_version")
    section = Section(title=_("Versions of this document"),
                      empty=_("This is the first version issued by Siris."))
    for req in earlier:
        section.blocks.append(Block(
            title=_("Version %(v)s · issued %(at)s") % {"v": req.duerp_version, "at": fmt_datetime(req.finished_at)},
            lines=[f"{req.reference} · SHA-256 {req.sha256}"],
        ))
    return section


def build(unit: Unit, moment: datetime.datetime, *, scope_label: str, version: int | None) -> Dossier:
    dossier = Dossier(title=_("Single risk assessment document (DUERP)"),
                      kind_label=_("Single risk assessment document (DUERP)"), scope_label=scope_label, as_of=moment)
    dossier.sections.append(Section(
        title=_("About this document"),
        facts=[(_("Establishment"), str(unit)), (_("Kind"), unit.get_kind_display()),
               (_("Version"), fmt(version)), (_("State of the assessment at"), fmt_datetime(moment)),
               (_("Headcount"), fmt(unit.headcount))],
        text=_("Results of the assessment of occupational risks, by work unit, with the prevention actions "
               "planned (Code du travail R4121-1 to R4121-4). Each issued version is kept unchanged and "
               "stays available to workers, former workers, the staff committee (CSE), the occupational "
               "health service and labour inspectors."),
    ))
    dossier.sections.append(versions_section(unit, version))
    providers = registry.duerp_providers()
    generic = [(m, f) for m, f in scoped_models() if m._meta.app_label in DUERP_APPS]
    for wu in work_units(unit):
        part = Section(title=_("Work unit: %(name)s") % {"name": wu.name})
        for func in providers:
            part.subsections.extend(func(wu, moment))
        if not providers:
            for model, unit_field in generic:
                objs = [o for o in as_of_records(model, unit_field, wu, moment)
                        if access_unit_id(o, unit_field) == wu.pk]
                part.subsections.append(records_section(str(model._meta.verbose_name_plural).capitalize(), objs))
        if part.is_empty():
            part.empty = _("No risk recorded for this work unit.")
        dossier.sections.append(part)
    related = []
    for section in dossier.all_sections():
        related.extend(section.related)
    dossier.records = related
    return dossier


def access_unit_id(obj, unit_field: str):
    from core import access

    unit = access.unit_of(obj, unit_field)
    return unit.pk if unit is not None else None
