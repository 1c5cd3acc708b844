"""Import of requirements from CSV (csv module) and XLSX (openpyxl).

1. ``parse`` reads the file and checks every row without writing anything: the dry run lists
   each bad row with its line number and reason.
2. ``requirements_import`` writes all the rows in one transaction, or none (any bad row refuses
   the whole file), with bulk inserts that write history rows and one ledger entry.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core import access
from core.exceptions import DomainError
from core.services import record_event
from organisation.models import Unit
from requirements.choices import TextFormat
from requirements.models import Applicability, Requirement, RequirementVersion, Source
from requirements.services import add_months
from requirements.text import normalise_text, text_sha256

COLUMNS = ["reference", "title", "source", "text", "units"]
REQUIRED = ["reference", "title", "text"]
MAX_ROWS = 20_000
MAX_BYTES = 10 * 1024 * 1024


@dataclass
class Row:
    line: int
    reference: str
    title: str
    source: Source | None
    text: str
    units: list = field(default_factory=list)


@dataclass
class Parsed:
    rows: list[Row] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, reason); 0 = the whole file

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def _cell(value) -> str:
    return "" if value is None else str(value).strip()


def _read_csv(data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError(
            _("The file is not UTF-8 text. Save it as CSV UTF-8 (or as XLSX) and try again."), field="file"
        ) from None
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return csv.reader(io.StringIO(text, newline=""), dialect)


def _read_xlsx(data: bytes):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise DomainError(
            _("This is not a readable XLSX file (%(why)s).") % {"why": exc.__class__.__name__}, field="file"
        ) from None
    sheet = workbook.worksheets[0]
    return ([_cell(v) for v in row] for row in sheet.iter_rows(values_only=True))


def parse(data: bytes, filename: str, *, unit: Unit) -> Parsed:
    """Check a whole file against the unit it is imported into. Raises DomainError for a file that
    cannot be read at all (encoding, format, columns, size); returns every bad row otherwise."""
    if len(data) > MAX_BYTES:
        raise DomainError(_("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)}, field="file")
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        reader = _read_xlsx(data)
    elif name.endswith((".csv", ".txt")):
        reader = _read_csv(data)
    else:
        raise DomainError(_("Give a .csv or .xlsx file."), field="file")
    try:
        header = [_cell(h).lower() for h in next(iter(reader))]
    except StopIteration:
        raise DomainError(_("The file is empty."), field="file") from None
    except csv.Error as exc:
        raise DomainError(_("The file is not valid CSV: %(why)s") % {"why": exc}, field="file") from None
    missing = [c for c in REQUIRED if c not in header]
    unknown = [h for h in header if h and h not in COLUMNS]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(_("missing columns: %(c)s") % {"c": ", ".join(missing)})
        if unknown:
            parts.append(_("unknown columns: %(c)s") % {"c": ", ".join(unknown)})
        raise DomainError(
            _("Wrong columns (%(what)s). Expected: %(cols)s.") % {"what": "; ".join(parts), "cols": ", ".join(COLUMNS)},
            field="file",
        )
    index = {name: header.index(name) for name in COLUMNS if name in header}

    sources = {s.reference.lower(): s for s in Source.objects.filter(unit_id__in=unit.ancestor_ids())}
    units = {u.code.lower(): u for u in Unit.objects.filter(path__startswith=unit.path, is_active=True)}
    taken = {r.lower() for r in Requirement.objects.filter(unit=unit).values_list("reference", flat=True)}
    parsed, seen = Parsed(), {}
    line = 1
    try:
        for raw in reader:
            line += 1
            if not any(_cell(v) for v in raw):
                continue
            if len(parsed.rows) + len(parsed.errors) >= MAX_ROWS:
                raise DomainError(
                    _("The file has more than %(max)s rows; split it into smaller files.") % {"max": f"{MAX_ROWS:,}"},
                    field="file",
                )
            values = {name: _cell(raw[i]) if i < len(raw) else "" for name, i in index.items()}
            problems = [_("%(c)s is empty") % {"c": c} for c in REQUIRED if not values.get(c)]
            ref = values.get("reference", "")
            if len(ref) > 100:
                problems.append(_("reference longer than 100 characters"))
            if len(values.get("title", "")) > 300:
                problems.append(_("title longer than 300 characters"))
            if ref and ref.lower() in taken:
                problems.append(_("reference %(ref)s already exists in this unit") % {"ref": ref})
            if ref and ref.lower() in seen:
                problems.append(_("reference %(ref)s repeats line %(n)s") % {"ref": ref, "n": seen[ref.lower()]})
            source = None
            if values.get("source"):
                source = sources.get(values["source"].lower())
                if source is None:
                    problems.append(_("unknown source %(s)s") % {"s": values["source"]})
            row_units = []
            for code in [c.strip() for c in values.get("units", "").replace(";", ",").split(",") if c.strip()]:
                found = units.get(code.lower())
                if found is None:
                    problems.append(_("unknown unit %(c)s (or outside %(u)s)") % {"c": code, "u": unit.name})
                else:
                    row_units.append(found)
            if problems:
                parsed.errors.append((line, "; ".join(problems)))
                continue
            seen[ref.lower()] = line
            parsed.rows.append(Row(line, ref, values["title"], source, normalise_text(values["text"]), row_units))
    except csv.Error as exc:
        raise DomainError(_("Line %(n)s is not valid CSV: %(why)s") % {"n": line, "why": exc}, field="file") from None
    if not parsed.rows and not parsed.errors:
        parsed.errors.append((0, _("The file has a header but no rows.")))
    return parsed


@transaction.atomic
def requirements_import(*, actor, unit: Unit, parsed: Parsed, approve: bool = False) -> list[Requirement]:
    """Write every row, or none: a file with a bad row is refused whole."""
    access.require(actor, "requirement.edit", unit)
    if approve:
        access.require(actor, "requirement.approve", unit)
    if not parsed.ok:
        raise DomainError(
            _("The file has %(n)s bad row(s); nothing was imported.") % {"n": len(parsed.errors)},
            field="file",
        )
    today, now = timezone.localdate(), timezone.now()
    requirements = bulk_create_with_history(
        [
            Requirement(
                unit=unit,
                reference=r.reference,
                title=r.title,
                source=r.source,
                owner=actor,
                review_every_months=12,
                next_review_on=add_months(today, 12),
            )
            for r in parsed.rows
        ],
        Requirement,
        batch_size=1000,
        default_user=actor,
        default_change_reason="imported",
    )
    versions = bulk_create_with_history(
        [
            RequirementVersion(
                requirement=req,
                number=1,
                text=r.text,
                text_format=TextFormat.MARKDOWN,
                text_sha256=text_sha256(r.text),
                effective_on=today,
                created_by=actor,
                approved_by=actor if approve else None,
                approved_at=now if approve else None,
            )
            for req, r in zip(requirements, parsed.rows, strict=True)
        ],
        RequirementVersion,
        batch_size=1000,
        default_user=actor,
        default_change_reason="imported",
    )
    applicability = []
    for req, r in zip(requirements, parsed.rows, strict=True):
        listed = [u for u in r.units if u.pk != unit.pk]
        if listed:
            names = ", ".join(u.name for u in listed)
            applicability.append(
                Applicability(
                    requirement=req,
                    unit=unit,
                    applicable=False,
                    decided_by=actor,
                    reason=_("Imported: applies only in %(u)s") % {"u": names},
                )
            )
            applicability += [Applicability(requirement=req, unit=u, applicable=True, decided_by=actor) for u in listed]
    if applicability:
        bulk_create_with_history(
            applicability,
            Applicability,
            batch_size=1000,
            default_user=actor,
            default_change_reason="imported",
        )
    ids = ",".join(str(r.pk) for r in requirements)
    record_event(
        actor=actor,
        event_type="REQUIREMENTS_IMPORTED",
        target=unit,
        payload={
            "count": len(requirements),
            "approved": approve,
            "requirements_sha256": hashlib.sha256(ids.encode()).hexdigest(),
            "texts_sha256": hashlib.sha256("".join(v.text_sha256 for v in versions).encode()).hexdigest(),
            "first": requirements[0].pk,
            "last": requirements[-1].pk,
        },
    )
    return requirements
