"""The planned-versus-performed report: per unit and period, the inspections due, done on time,
done late, missed, failed (and partial), and those still to come in the period.

Counted by the date each inspection was *due*:
- done on time / late: effective inspections (corrections replace what they correct) whose due
  date is in the period, performed on or before it / after it;
- missed: dates recorded as missed (a later date fell due first, or the control was rescheduled or
  retired), plus dates that passed with no inspection yet, computed today from the controls' next
  due dates (so the report is right the day after an outage). Such a date counts as missed as of
  today; if the inspection is then done before the next date falls due, it becomes "done late";
- to come: scheduled dates in the period that are today or later;
- due = on time + late + missed + to come; failed and partial count the done ones by result.

Five queries whatever the number of inspections: units, inspections, corrected inspections, missed
dates, controls.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from controls import schedule
from controls.choices import InspectionResult
from controls.models import Control, Inspection, MissedInspection
from core import access

COLUMNS = ("due", "on_time", "late", "missed", "upcoming", "failed", "partial")
MAX_DAYS = 366 * 5


@dataclass(frozen=True)
class UnitRef:
    pk: int
    name: str
    code: str
    path: str


def default_period(today=None) -> tuple[datetime.date, datetime.date]:
    """The last twelve months, to the end of the current month."""
    today = today or timezone.localdate()
    start = _months_back(today, 11)
    end = schedule.add(today.replace(day=1), 1, "month") - datetime.timedelta(days=1)
    return start, end


def _months_back(today, months) -> datetime.date:
    index = today.year * 12 + today.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _months(start, end) -> list[datetime.date]:
    months, current = [], _month(start)
    while current <= end:
        months.append(current)
        current = schedule.add(current, 1, "month")
    return months


def _blank() -> dict:
    return dict.fromkeys(COLUMNS, 0)


def planned_vs_performed(user, *, unit=None, start: datetime.date, end: datetime.date, today=None) -> dict:
    """The report for the units the user can see (under ``unit`` when given), ``start``..``end``."""
    today = today or timezone.localdate()
    units = access.units_visible_to(user)
    if unit is not None:
        units = units.filter(path__startswith=unit.path)
    unit_scope = units.values("id")
    units = {pk: UnitRef(pk, name, code, path) for pk, name, code, path in units.values_list("id", "name", "code", "path")}

    # Scoped by a sub-select of the visible units rather than a join per row: at 50,000 inspections
    # PostgreSQL then reads the (unit, due_on) index and hash-aggregates.
    unit_ids = unit_scope

    by_unit: dict[int, dict] = defaultdict(_blank)
    by_month: dict[datetime.date, dict] = defaultdict(_blank)

    def add(unit_id, month, column, n):
        by_unit[unit_id][column] += n
        by_month[month][column] += n

    def counted(queryset):
        return (queryset.annotate(month=TruncMonth("due_on")).values("unit_id", "month")
                .annotate(on_time=Count("pk", filter=Q(performed_at__date__lte=F("due_on"))),
                          late=Count("pk", filter=Q(performed_at__date__gt=F("due_on"))),
                          failed=Count("pk", filter=Q(result=InspectionResult.FAIL)),
                          partial=Count("pk", filter=Q(result=InspectionResult.PARTIAL)))
                .order_by())

    in_period = Inspection.objects.filter(unit_id__in=unit_ids, due_on__gte=start, due_on__lte=end)
    # Every record counts once, then those replaced by a correction are taken off again (corrections
    # are few: this is cheaper than an anti-join over every inspection).
    corrected = in_period.filter(pk__in=Inspection.objects.filter(corrects__isnull=False).values("corrects_id"))
    for sign, queryset in ((1, in_period), (-1, corrected)):
        for row in counted(queryset):
            month = _as_date(row["month"])
            for column in ("on_time", "late", "failed", "partial"):
                add(row["unit_id"], month, column, sign * row[column])
    missed = (
        MissedInspection.objects.filter(unit_id__in=unit_ids, due_on__gte=start, due_on__lte=end)
        .annotate(month=TruncMonth("due_on")).values("unit_id", "month").annotate(n=Count("pk")).order_by()
    )
    for row in missed:
        add(row["unit_id"], _as_date(row["month"]), "missed", row["n"])
    # Dates not inspected yet: from each active control's next due date to the end of the period.
    pending = Control.objects.active().filter(unit_id__in=unit_ids, next_due_on__lte=end).values_list(
        "unit_id", "next_due_on", "frequency_count", "frequency_unit")
    for unit_id, next_due_on, count, freq_unit in pending:
        for day in schedule.occurrences(next_due_on, count, freq_unit, until=end):
            if day < start:
                continue
            add(unit_id, _month(day), "missed" if day < today else "upcoming", 1)

    for counts in (*by_unit.values(), *by_month.values()):
        counts["due"] = counts["on_time"] + counts["late"] + counts["missed"] + counts["upcoming"]
    rows = [{"unit": units[pk], **counts} for pk, counts in by_unit.items() if pk in units]
    rows.sort(key=lambda r: r["unit"].path)
    total = _blank()
    for row in rows:
        for column in COLUMNS:
            total[column] += row[column]
    months = [{"month": m, **by_month.get(m, _blank())} for m in _months(start, end)]
    return {"rows": rows, "total": total, "months": months, "start": start, "end": end, "unit": unit,
            "chart": chart(months)}


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


# Tabler's palette; each bar also carries its number and the legend says the words.
COLOURS = {"on_time": "#2fb344", "late": "#f59f00", "missed": "#d63939", "upcoming": "#adb5bd"}


def chart(months: list[dict], width: int = 720, height: int = 240) -> dict:
    """Geometry of a stacked bar chart (on time, late, missed, to come) per month, with the
    failed count written above each bar. The template draws it as SVG; no script."""
    left, bottom, top = 36, 36, 24
    plot_h = height - bottom - top
    peak = max([m["due"] for m in months] + [1])
    slot = (width - left - 8) / max(len(months), 1)
    bar_w = max(min(slot * 0.7, 48), 4)
    bars = []
    for index, month in enumerate(months):
        x = left + index * slot + (slot - bar_w) / 2
        y = height - bottom
        segments = []
        for column in ("on_time", "late", "missed", "upcoming"):
            value = month[column]
            if not value:
                continue
            h = value / peak * plot_h
            y -= h
            segments.append({"x": round(x, 1), "y": round(y, 1), "w": round(bar_w, 1), "h": round(h, 1),
                             "fill": COLOURS[column], "column": column, "value": value})
        bars.append({"label": month["month"], "x_mid": round(x + bar_w / 2, 1), "segments": segments,
                     "top": round(y - 4, 1), "due": month["due"], "failed": month["failed"]})
    ticks = []
    for fraction in (0, 0.5, 1):
        value = round(peak * fraction)
        ticks.append({"value": value, "y": round(height - bottom - value / peak * plot_h, 1)})
    legend = [
        {"label": _("Done on time"), "fill": COLOURS["on_time"]},
        {"label": _("Done late"), "fill": COLOURS["late"]},
        {"label": _("Missed"), "fill": COLOURS["missed"]},
        {"label": _("To come"), "fill": COLOURS["upcoming"]},
    ]
    for i, item in enumerate(legend):
        item["x"] = left + i * 150
    return {"width": width, "height": height, "bars": bars, "ticks": ticks, "legend": legend,
            "axis_y": height - bottom, "left": left, "right": width - 8, "label_y": height - bottom + 16}


def csv_rows(report: dict):
    for row in [*report["rows"]]:
        yield [row["unit"].name, *(row[c] for c in COLUMNS)]
    yield [_("Total"), *(report["total"][c] for c in COLUMNS)]
