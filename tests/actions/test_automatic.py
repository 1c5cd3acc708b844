"""Automatic actions through the real services of the apps that record inspections and evaluations."""

import datetime

import pytest
from django.utils import timezone

from actions.models import Action
from core.exceptions import DomainError
from organisation.services import person_deactivate

pytestmark = pytest.mark.django_db


def _control(org, owner):
    from controls.services import control_create

    return control_create(
        actor=org.qse,
        unit=org.assembly,
        owner=owner,
        title="Press 4 guard check",
        kind="preventive",
        next_due_on=timezone.localdate() + datetime.timedelta(days=3),
    )


def test_failed_inspection_opens_an_action_for_the_control_owner(org, client_for):
    from controls.models import Inspection
    from controls.services import inspection_record

    control = _control(org, org.manager)
    inspection = inspection_record(
        actor=org.staff, control=control, performed_at=timezone.now(), result="fail", findings="Guard bolts missing"
    )
    action = Action.objects.get()
    assert action.owner == org.manager and action.unit == org.assembly and action.priority == "high"
    assert action.due_on == timezone.localdate() + datetime.timedelta(days=7)
    assert (action.origin_type, action.origin_id) == ("controls.inspection", str(inspection.pk))
    assert "Guard bolts missing" in action.description
    assert Inspection.objects.count() == 1
    # The action page links to the inspection.
    page = client_for(org.qse).get(f"/actions/{action.pk}/").content.decode()
    assert f'href="/controls/inspections/{inspection.pk}/"' in page
    # And the list by origin finds it.
    listed = client_for(org.qse).get(f"/actions/?origin_type=controls.inspection&origin_id={inspection.pk}")
    assert f"A-{action.pk}" in listed.content.decode()
    # A passed inspection opens none; a partial one opens a medium-priority action.
    inspection_record(actor=org.staff, control=control, performed_at=timezone.now(), result="pass")
    inspection_record(actor=org.staff, control=control, performed_at=timezone.now(), result="partial")
    assert sorted(Action.objects.values_list("priority", flat=True)) == ["high", "medium"]


def test_inspection_is_not_recorded_when_its_action_cannot_open(org):
    from controls.models import Inspection
    from controls.services import inspection_record

    control = _control(org, org.manager)
    person_deactivate(actor=org.admin, person=org.manager, reason="Left the company")
    with pytest.raises(DomainError):
        inspection_record(actor=org.staff, control=control, performed_at=timezone.now(), result="fail")
    assert Inspection.objects.count() == 0 and Action.objects.count() == 0


def test_not_compliant_evaluation_opens_an_action_for_the_requirement_owner(org):
    from requirements.services import evaluation_record, requirement_create

    requirement = requirement_create(
        actor=org.qse,
        unit=org.lyon,
        reference="L4121-1",
        title="General safety duty",
        owner=org.manager,
        text="The employer takes the measures needed.",
    )
    evaluation = evaluation_record(
        actor=org.qse,
        requirement=requirement,
        unit=org.assembly,
        result="not_compliant",
        comment="No risk assessment for the new press",
    )
    action = Action.objects.get()
    assert action.owner == org.manager and action.unit == org.assembly and action.priority == "high"
    assert (action.origin_type, action.origin_id) == ("requirements.evaluation", str(evaluation.pk))
    assert "new press" in action.description
