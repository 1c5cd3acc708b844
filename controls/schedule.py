"""Date arithmetic of inspection schedules: "every N days, weeks, months or years".

Months and years keep the day of the month, clamped to the month's last day (31 January + 1 month
is 28 or 29 February). Occurrences are always counted from one base date (base + k x frequency),
so a monthly control due on the 31st comes back to the 31st after a short month.
"""

from __future__ import annotations

import calendar
import datetime

from controls.choices import FrequencyUnit

DUE_SOON_DAYS = 7


def add(day: datetime.date, count: int, unit: str, times: int = 1) -> datetime.date:
    """``day`` moved forward by ``times`` x (``count`` ``unit``)."""
    steps = count * times
    if unit == FrequencyUnit.DAY:
        return day + datetime.timedelta(days=steps)
    if unit == FrequencyUnit.WEEK:
        return day + datetime.timedelta(weeks=steps)
    months = steps if unit == FrequencyUnit.MONTH else steps * 12
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def occurrences(base: datetime.date, count: int, unit: str, *, until: datetime.date, limit: int = 5000):
    """base, base + f, base + 2f, ... while <= ``until`` (at most ``limit`` dates)."""
    found = []
    k = 0
    while k < limit:
        day = add(base, count, unit, k)
        if day > until:
            break
        found.append(day)
        k += 1
    return found


def first_after(base: datetime.date, count: int, unit: str, after: datetime.date) -> datetime.date:
    """The first occurrence base + k x f (k >= 1) strictly after ``after``."""
    k = 1
    while True:
        day = add(base, count, unit, k)
        if day > after:
            return day
        k += 1


def approx_days(count: int, unit: str) -> int:
    return count * {FrequencyUnit.DAY: 1, FrequencyUnit.WEEK: 7, FrequencyUnit.MONTH: 30,
                    FrequencyUnit.YEAR: 365}[unit]
