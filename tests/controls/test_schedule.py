import datetime

from controls import schedule

D = datetime.date


def test_months_keep_the_day_clamped_to_the_month_end():
    assert schedule.add(D(2026, 1, 31), 1, "month") == D(2026, 2, 28)
    assert schedule.add(D(2026, 1, 31), 1, "month", times=2) == D(2026, 3, 31)
    assert schedule.add(D(2024, 2, 29), 1, "year") == D(2025, 2, 28)
    assert schedule.add(D(2026, 11, 15), 3, "month") == D(2027, 2, 15)


def test_days_and_weeks():
    assert schedule.add(D(2026, 1, 1), 10, "day") == D(2026, 1, 11)
    assert schedule.add(D(2026, 1, 1), 2, "week", times=3) == D(2026, 2, 12)


def test_occurrences_and_first_after():
    assert schedule.occurrences(D(2026, 1, 5), 1, "month", until=D(2026, 3, 5)) == [
        D(2026, 1, 5), D(2026, 2, 5), D(2026, 3, 5)]
    assert schedule.occurrences(D(2026, 1, 5), 1, "month", until=D(2026, 1, 4)) == []
    assert schedule.first_after(D(2026, 1, 5), 1, "month", after=D(2026, 3, 10)) == D(2026, 4, 5)
    assert schedule.first_after(D(2026, 1, 5), 1, "month", after=D(2026, 1, 1)) == D(2026, 2, 5)
