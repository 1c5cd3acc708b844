"""The shape every dossier is built into before rendering, and the generic pieces of it.

A ``Dossier`` is a list of ``Section`` objects (facts, blocks of lines, plain paragraphs,
subsections) plus what its integrity appendix and manifest need: the records it speaks of, their
ledger entries and the evidence files. Builders only read (selectors, history, ledger); templates
under ``templates/pdf/`` print it with every user-typed value escaped.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.ledger import label_for
from core.models import LedgerEntry


@dataclass
class Block:
    """One item of a list: a heading line and its detail lines (cheaper to lay out than a table row)."""

    title: str
    lines: list[str] = field(default_factory=list)
    text: str = ""  # a long text, printed as typed (escaped, line breaks kept)


@dataclass
class Section:
    title: str
    intro: str = ""
    facts: list[tuple[str, str]] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    text: str = ""
    subsections: list[Section] = field(default_factory=list)
    empty: str = ""
    # Records this section speaks of: their ledger entries and evidence join the dossier.
    related: list[models.Model] = field(default_factory=list)
    anchor: str = ""

    def is_empty(self) -> bool:
        return not (self.facts or self.blocks or self.text or self.subsections)


@dataclass
class Dossier:
    title: str
    kind_label: str
    scope_label: str
    as_of: datetime.datetime | None
    sections: list[Section] = field(default_factory=list)
    records: list[models.Model] = field(default_factory=list)
    ledger_entries: list[LedgerEntry] = field(default_factory=list)
    evidence: list = field(default_factory=list)

    def all_sections(self):
        stack = list(self.sections)
        while stack:
            section = stack.pop(0)
            yield section
            stack[0:0] = section.subsections

    def number_sections(self) -> None:
        for index, section in enumerate(self.all_sections(), start=1):
            section.anchor = f"s{index}"


# --- values --------------------------------------------------------------------------------------

def fmt_date(value) -> str:
    if value is None:
        return "—"
    return date_format(value, "Y-m-d")


def fmt_datetime(value) -> str:
    if value is None:
        return "—"
    return date_format(timezone.localtime(value), "Y-m-d H:i T")


def fmt(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return fmt_datetime(value)
    if isinstance(value, datetime.date):
        return fmt_date(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, dict | list):
        from core.ledger import canonical

        return canonical(value)
    return str(value)


SKIPPED_FIELDS = {"id", "path"}


def record_facts(obj, skip=()) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(short facts, long texts) of a record: every concrete field with its verbose name."""
    facts, texts = [], []
    for f in obj._meta.concrete_fields:
        if f.name in SKIPPED_FIELDS or f.name in skip or f.name.startswith("history_"):
            continue
        label = str(f.verbose_name).capitalize()
        if f.choices:
            value = getattr(obj, f"get_{f.name}_display")()
        elif isinstance(f, models.ForeignKey):
            try:
                value = getattr(obj, f.name)
            except models.ObjectDoesNotExist:
                value = getattr(obj, f.attname)
        else:
            value = getattr(obj, f.attname)
        if isinstance(f, models.TextField) and value:
            texts.append((label, str(value)))
        else:
            facts.append((label, fmt(value)))
    return facts, texts


def record_section(obj, title: str | None = None) -> Section:
    facts, texts = record_facts(obj)
    section = Section(title=title or _("The record"), facts=facts, related=[obj])
    for label, text in texts:
        section.blocks.append(Block(title=label, text=text))
    return section


def history_section(obj) -> Section:
    """Every saved version of the record (row history), oldest first, with what changed."""
    rows = list(obj.history.select_related("history_user").order_by("history_date", "history_id"))
    section = Section(title=_("Versions and history"), empty=_("No history rows."))
    previous = None
    kinds = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
    for row in rows:
        lines = [
            _("By %(who)s") % {"who": row.history_user or _("Siris (system)")},
            _("Reason: %(reason)s") % {"reason": row.history_change_reason or "—"},
        ]
        if previous is not None:
            try:
                delta = row.diff_against(previous)
                for change in delta.changes:
                    lines.append(f"{change.field}: {fmt(change.old)} → {fmt(change.new)}")
            except (TypeError, ValueError, AttributeError):
                lines.append(_("(changes could not be compared)"))
        section.blocks.append(Block(
            title=f"{fmt_datetime(row.history_date)} · {kinds.get(row.history_type, row.history_type)}"
                  f" · #{row.history_id}",
            lines=lines,
        ))
        previous = row
    return section


def target_pairs(objs) -> set[tuple[str, str]]:
    return {(label_for(o), str(o.pk)) for o in objs if o is not None and o.pk is not None}


def ledger_for(pairs, as_of=None) -> list[LedgerEntry]:
    """Ledger entries of the given records (grouped by type: one indexed condition per type)."""
    by_type: dict[str, list[str]] = {}
    for target_type, target_id in pairs:
        by_type.setdefault(target_type, []).append(target_id)
    if not by_type:
        return []
    condition = Q()
    for target_type, ids in by_type.items():
        condition |= Q(target_type=target_type, target_id__in=ids)
    entries = LedgerEntry.objects.filter(condition)
    if as_of is not None:
        entries = entries.filter(recorded_at__lte=as_of)
    return list(entries.order_by("seq"))


def ledger_blocks(entries) -> list[Block]:
    from core import events

    return [
        Block(
            title=f"#{e.seq} · {fmt_datetime(e.recorded_at)} · {events.label(e.event_type)}",
            lines=[
                f"{_('By')} {e.actor_label} · {e.target_type}:{e.target_id}",
                f"{_('Hash')} {e.hash}",
                f"{_('Previous')} {e.prev_hash}",
            ],
        )
        for e in entries
    ]


def timeline_section(entries, title=None) -> Section:
    from core import events

    section = Section(title=title or _("Timeline (ledger events, reminders and escalations)"),
                      empty=_("Nothing recorded."))
    for e in entries:
        reason = e.payload.get("reason") if isinstance(e.payload, dict) else ""
        lines = [f"{_('By')} {e.actor_label}"]
        if reason:
            lines.append(_("Reason: %(reason)s") % {"reason": reason})
        lines.append(f"{_('Ledger')} #{e.seq} · {e.hash}")
        section.blocks.append(Block(title=f"{fmt_datetime(e.recorded_at)} · {events.label(e.event_type)}",
                                    lines=lines))
    return section


def evidence_section(evidence, title=None) -> Section:
    section = Section(title=title or _("Evidence files"), empty=_("No evidence file attached."))
    for ev in evidence:
        lines = [
            _("Version %(v)s · %(type)s · %(size)s bytes · uploaded %(at)s by %(who)s") % {
                "v": ev.version, "type": ev.get_kind_display(), "size": ev.size, "at": fmt_datetime(ev.created_at),
                "who": ev.uploaded_by},
            _("Proves from %(start)s to %(end)s · expires %(exp)s") % {
                "start": fmt_date(ev.effective_on), "end": fmt_date(ev.effective_until), "exp": fmt_date(ev.expires_on)},
            _("For %(record)s") % {"record": ev.target_label},
            f"SHA-256 {ev.sha256}",
            _("Attached to this PDF as %(name)s") % {"name": attachment_name(ev)},
        ]
        section.blocks.append(Block(title=f"{ev.title} · {ev.original_name}", lines=lines))
    return section


def attachment_name(ev) -> str:
    return f"evidence-{ev.pk}-v{ev.version}-{ev.original_name}"


def evidence_for_pairs(pairs, as_of=None):
    from evidence.models import Evidence

    by_type: dict[str, list[str]] = {}
    for target_type, target_id in pairs:
        by_type.setdefault(target_type, []).append(target_id)
    if not by_type:
        return []
    condition = Q()
    for target_type, ids in by_type.items():
        condition |= Q(target_type=target_type, target_id__in=ids)
    found = Evidence.objects.filter(condition).select_related("uploaded_by")
    if as_of is not None:
        found = found.filter(created_at__lte=as_of)
    return list(found.order_by("target_type", "target_id", "title", "version"))


def integrity_section(dossier: Dossier, reference: str, verify_url: str) -> Section:
    """Part 9 of every dossier: the ledger entries behind the items, the files' hashes, its own hash."""
    section = Section(title=_("Integrity appendix"))
    section.text = _(
        "Every entry below is part of Siris's hash-chained ledger: its hash covers the previous entry's "
        "hash and its own content, so an entry changed, removed or inserted afterwards breaks the chain. "
        "This dossier's own SHA-256 is computed after it is written, registered in the ledger as "
        "\"Dossier issued\" for %(ref)s, and can be checked at %(url)s. The JSON manifest attached to "
        "this PDF lists every item with its hash."
    ) % {"ref": reference, "url": verify_url}
    section.subsections.append(Section(title=_("Ledger entries"), blocks=ledger_blocks(dossier.ledger_entries),
                                       empty=_("No ledger entry.")))
    files = Section(title=_("Evidence file hashes"), empty=_("No evidence file."))
    for ev in dossier.evidence:
        files.blocks.append(Block(title=attachment_name(ev), lines=[f"SHA-256 {ev.sha256}"]))
    section.subsections.append(files)
    return section


def fk_names(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]


def record_block(obj) -> Block:
    facts, texts = record_facts(obj)
    lines = ["; ".join(f"{label}: {value}" for label, value in facts if value != "—")]
    text = "\n\n".join(f"{label}: {value}" for label, value in texts)
    return Block(title=f"{obj._meta.verbose_name.capitalize()} #{obj.pk} · {obj}", lines=lines, text=text)


def records_section(title: str, objs, empty: str = "") -> Section:
    objs = list(objs)
    return Section(title=title, blocks=[record_block(o) for o in objs], related=objs,
                   empty=empty or _("None."))


def prefetch_fks(objs, as_of=None) -> list:
    """Fill every foreign key's cache with one query per field, for records from any queryset
    (row-history instances included, which select_related cannot reach). With ``as_of``, related
    records that keep history (units, people...) are read as they were at that moment too, so a
    name changed afterwards does not leak into an as-of dossier."""
    objs = list(objs)
    if not objs:
        return objs
    for f in objs[0]._meta.concrete_fields:
        if not isinstance(f, models.ForeignKey):
            continue
        ids = {getattr(o, f.attname) for o in objs} - {None}
        found = f.related_model._default_manager.in_bulk(ids) if ids else {}
        if ids and as_of is not None and hasattr(f.related_model, "history"):
            # On row history, "pk" is the history row's id: filter on the record's own id column.
            key = f"{f.related_model._meta.pk.attname}__in"
            found.update({r.pk: r for r in f.related_model.history.as_of(as_of).filter(**{key: ids})})
        for o in objs:
            value = found.get(getattr(o, f.attname))
            if value is not None:
                f.set_cached_value(o, value)
    return objs
