import datetime

import pytest
from django.utils import timezone

from requirements import services


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def requirement(org):
    return services.requirement_create(
        actor=org.qse,
        unit=org.lyon,
        reference="CT L4121-1",
        title="General safety duty",
        owner=org.qse,
        text="The employer takes the **measures** needed to ensure safety.",
    )


@pytest.fixture
def approved(org, requirement):
    version = requirement.versions.get()
    return services.version_approve(actor=org.qse, version=version)


@pytest.fixture
def communicate(org, approved, today):
    def send(units=(), people=(), roles=(), due=None, version=None):
        return services.requirement_communicate(
            actor=org.qse,
            version=version or approved,
            units=units,
            people=people,
            roles=roles,
            due_on=due or today + datetime.timedelta(days=14),
            message="Please read it.",
        )

    return send
