import datetime

import pytest
from django.utils import timezone

from risks import services


@pytest.fixture
def make_risk(org):
    def make(unit=None, title="Projections de métal", owner=None, **kwargs):
        return services.risk_create(
            actor=org.qse,
            unit=unit or org.assembly,
            title=title,
            hazard=kwargs.pop("hazard", "Molten metal"),
            owner=owner or org.manager,
            **kwargs,
        )

    return make


@pytest.fixture
def assess(org):
    def do(risk, il=3, is_=4, rl=2, rs=3, days_ago=10, actor=None, **kwargs):
        return services.risk_assess(
            actor=actor or org.qse,
            risk=risk,
            assessed_on=timezone.localdate() - datetime.timedelta(days=days_ago),
            inherent_likelihood=il,
            inherent_severity=is_,
            residual_likelihood=rl,
            residual_severity=rs,
            rationale=kwargs.pop("rationale", "Seen on the shop floor."),
            **kwargs,
        )

    return do
