"""The record dossier: one record, its versions, its app's own parts, evidence, timeline, integrity."""

from __future__ import annotations

from django.utils.translation import gettext as _

from evidence import sections as registry
from evidence.dossiers.base import (
    Dossier,
    evidence_for_pairs,
    evidence_section,
    history_section,
    ledger_for,
    record_section,
    target_pairs,
    timeline_section,
)

# Ledger events of the reminders app: each reminder and escalation actually sent is a record.
CHASE_EVENTS = {"REMINDER_SENT", "ESCALATION_SENT", "REMINDER_REQUESTED"}


def build(obj, *, scope_label: str) -> Dossier:
    """1. the record; 2. its history rows; 3. what its app adds (acknowledgements, inspections,
    signatures...); 4. evidence files with hashes; 5. the timeline of ledger events of the record and
    of everything the parts named (reminders and escalations target those records)."""
    dossier = Dossier(title=_("Record dossier"), kind_label=_("Record dossier"), scope_label=scope_label,
                      as_of=None)
    dossier.sections.append(record_section(obj))
    dossier.sections.append(history_section(obj))
    dossier.sections.extend(registry.record_sections(obj))
    related = [obj]
    for section in dossier.all_sections():
        related.extend(section.related)
    pairs = target_pairs(related)
    dossier.evidence = evidence_for_pairs(pairs)
    pairs |= target_pairs(dossier.evidence)
    dossier.ledger_entries = ledger_for(pairs)
    dossier.records = list({(type(o), o.pk): o for o in related}.values())
    chased = [e for e in dossier.ledger_entries if e.event_type in CHASE_EVENTS]
    dossier.sections.append(timeline_section(chased, title=_("Reminders and escalations sent")))
    dossier.sections[-1].empty = _("No reminder or escalation was needed.")
    dossier.sections.append(evidence_section(dossier.evidence))
    dossier.sections.append(timeline_section(list(reversed(dossier.ledger_entries))))
    return dossier
