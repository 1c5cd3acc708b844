import datetime
import zoneinfo

import pytest

from reminders import policy
from reminders.choices import Anchor
from reminders.policy import Schedule, escalation_due, next_after

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def at(day, hour=8, minute=0):
    return datetime.datetime(2027, 3, day, hour, minute, tzinfo=PARIS)


ACK = policy.DEFAULTS["acknowledgement"]


def test_acknowledgement_default_is_day_3_day_7_then_weekly_escalating_after_the_second():
    assert ACK == Schedule(Anchor.OPENED, (3, 7), 7, 2, 4)
    opened = at(1, 10, 30)
    points, now = [], opened
    for _ in range(5):
        now = next_after(ACK, due_at=at(20), opened_at=opened, after=now)
        points.append(now)
    assert points == [at(4), at(8), at(15), at(22), at(29)]


def test_catch_up_after_an_outage_gives_the_next_point_after_now_not_every_missed_one():
    opened = at(1, 10)
    # Down from the 3rd to the 17th: the scan on the 17th at noon sends one, the next is on the 22nd.
    assert next_after(ACK, due_at=at(20), opened_at=opened, after=at(17, 12)) == at(22)


def test_due_anchored_schedule_counts_days_before_the_due_date():
    action = policy.DEFAULTS["action"]
    due = at(20, 23, 59)
    assert next_after(action, due_at=due, opened_at=at(1), after=at(1)) == at(17)
    assert next_after(action, due_at=due, opened_at=at(1), after=at(17)) == at(20)
    assert next_after(action, due_at=due, opened_at=at(1), after=at(20)) == at(27)


def test_no_repeat_and_disabled_stop_the_reminders():
    once = Schedule(Anchor.DUE, (0,), 0, 0, 0)
    assert next_after(once, due_at=at(5), opened_at=at(1), after=at(5, 9)) is None
    off = Schedule(Anchor.DUE, (0,), 7, 2, 4, enabled=False)
    assert next_after(off, due_at=at(5), opened_at=at(1), after=at(1)) is None


@pytest.mark.parametrize(
    ("sent", "level", "expected"),
    [
        (0, 0, 0),
        (1, 0, 0),
        (2, 0, 1),
        (3, 1, 0),
        (5, 1, 0),
        (6, 1, 2),
        (9, 2, 0),
    ],
)
def test_escalation_levels(sent, level, expected):
    assert escalation_due(ACK, reminders_sent=sent, level=level) == expected


def test_never_escalates_when_the_policy_says_zero():
    assert escalation_due(Schedule(Anchor.DUE, (0,), 1, 0, 0), reminders_sent=50, level=0) == 0


def test_company_id_of_unit_path():
    assert policy.company_id_of("/4/9/12/") == 4
    assert policy.company_id_of("") is None
