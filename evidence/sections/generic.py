"""Turn an app's ``<entity>_dossier_data(obj)`` dict into dossier sections, for apps whose parts
need no layout of their own: each list of records becomes a section of record blocks (and joins the
dossier, so its ledger entries, reminders and escalations included, are printed too)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _

from evidence.dossiers.base import Block, Section, fmt, prefetch_fks, record_block

SKIPPED_KEYS = {"timeline", "ledger"}


def _title(key: str) -> str:
    return key.replace("_", " ").capitalize()


def _dict_block(item: dict) -> tuple[Block, list]:
    related = [v for v in item.values() if isinstance(v, models.Model)]
    head = related[0] if related else None
    title = f"{head._meta.verbose_name.capitalize()} #{head.pk} · {head}" if head is not None else ""
    lines = []
    for key, value in item.items():
        if value is head:
            continue
        if isinstance(value, list | tuple):
            value = ", ".join(fmt(v) for v in value) or "—"
        lines.append(f"{_title(key)}: {fmt(value)}")
    return Block(title=title or _("Item"), lines=lines), related


def sections_from_data(data: dict, record) -> list[Section]:
    result = []
    for key, value in data.items():
        if key in SKIPPED_KEYS or value is None or value is record:
            continue
        if isinstance(value, models.Model):
            result.append(Section(title=_title(key), blocks=[record_block(value)], related=[value]))
        elif isinstance(value, list | tuple | models.QuerySet):
            items = list(value)
            section = Section(title=_title(key), empty=_("None."))
            models_only = [i for i in items if isinstance(i, models.Model)]
            if models_only and len(models_only) == len(items):
                prefetch_fks(models_only)
                section.blocks = [record_block(i) for i in models_only]
                section.related = models_only
            else:
                for item in items:
                    if isinstance(item, dict):
                        block, related = _dict_block(item)
                        section.blocks.append(block)
                        section.related.extend(related)
                    else:
                        section.blocks.append(Block(title=fmt(item)))
            result.append(section)
        elif isinstance(value, dict):
            result.append(Section(title=_title(key), facts=[(_title(k), fmt(v)) for k, v in value.items()]))
    return result
