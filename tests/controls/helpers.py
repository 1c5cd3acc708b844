import datetime

from django.utils import timezone

from controls.choices import ControlKind, FrequencyUnit
from controls.services import control_create


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def make_control(org, *, unit=None, owner=None, next_due_on=None, since=400, count=1,
                 unit_of_time=FrequencyUnit.MONTH, checklist=None, title="Fire extinguishers"):
    return control_create(
        actor=org.qse, unit=unit or org.assembly, owner=owner or org.manager, title=title,
        kind=ControlKind.DETECTIVE, frequency_count=count, frequency_unit=unit_of_time,
        in_service_since=days_ago(since), next_due_on=next_due_on or days_ago(since - 10),
        checklist=checklist if checklist is not None else [
            {"text": "Pressure gauge in the green", "required": True},
            {"text": "Seal intact", "required": True},
            {"text": "Label legible", "required": False},
        ],
    )


def ok_answers(control) -> dict:
    return {str(i.pk): {"answer": "ok"} for i in control.checklist_items.filter(is_active=True)}
