import datetime

import pytest
from django.utils import timezone

from actions import services


@pytest.fixture
def make_action(org):
    """``make_action(**overrides)``: an action on Assembly owned by the staff member, opened by QSE."""

    def make(**overrides):
        values = {
            "actor": org.qse,
            "title": "Fix the guard on press 4",
            "description": "The guard is loose.",
            "unit": org.assembly,
            "owner": org.staff,
            "due_on": timezone.localdate() + datetime.timedelta(days=10),
            "priority": "high",
            "kind": "corrective",
        }
        values.update(overrides)
        return services.action_open(**values)

    return make
