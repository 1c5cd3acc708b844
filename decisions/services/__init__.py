"""Every write to decisions and alarms (re-exported so callers import ``decisions.services``)."""

from decisions.services.alarms import (  # noqa: F401
    alarm_acknowledge,
    alarm_answer,
    alarm_close,
    alarm_escalate_overdue,
    alarm_raise,
    alarm_withdraw,
    can_raise_alarm,
)
from decisions.services.decisions import (  # noqa: F401
    decision_content,
    decision_content_hash,
    decision_create,
    decision_revise,
    decision_sign,
    decision_submit,
    decision_update,
    decision_withdraw,
)
