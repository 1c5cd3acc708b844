from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "decisions"
    verbose_name = _("Decisions and alarms")

    def ready(self):
        from core import access, events, nav
        from decisions import dashboard, demo  # noqa: F401 (register the panels and the demo step)
        from organisation.choices import Role

        writers = {Role.ADMINISTRATOR, Role.QSE_MANAGER, Role.MANAGER}
        access.register_action("decision.create", writers)
        access.register_action("decision.approve", writers)
        access.register_action("decision.manage", {Role.ADMINISTRATOR, Role.QSE_MANAGER})
        access.register_action("alarm.raise", {Role.ADMINISTRATOR, Role.QSE_MANAGER})
        access.register_action("alarm.raise_any", writers | {Role.STAFF})
        events.register({
            "DECISION_DRAFTED": _("Decision drafted"),
            "DECISION_EDITED": _("Draft decision edited"),
            "DECISION_SUBMITTED": _("Decision submitted for signature"),
            "DECISION_SIGNED": _("Decision signed"),
            "DECISION_APPROVED": _("Decision approved"),
            "DECISION_REJECTED": _("Decision rejected"),
            "DECISION_WITHDRAWN": _("Decision withdrawn"),
            "DECISION_REVISED": _("New revision of a decision"),
            "SIGNATURE_REFUSED": _("Signature refused: wrong password"),
            "ALARM_RAISED": _("Alarm raised"),
            "ALARM_ACKNOWLEDGED": _("Alarm read"),
            "ALARM_ANSWERED": _("Alarm answered"),
            "ALARM_ESCALATED": _("Alarm escalated"),
            "ALARM_CLOSED": _("Alarm closed"),
            "ALARM_WITHDRAWN": _("Alarm withdrawn"),
        })
        nav.register(nav.NavItem(_("Decisions"), "decisions:decision_list", "gavel", order=50))
        nav.register(nav.NavItem(_("Alarms"), "decisions:alarm_list", "alert-triangle", order=51))
