from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "risks"
    verbose_name = _("Risks")

    def ready(self):
        from core import access, events, nav
        from organisation.choices import Role
        from risks import dashboard, demo  # noqa: F401 (register the panels and the demo step)

        # Record and change risks of a unit.
        access.register_action("risk.manage", {Role.ADMINISTRATOR, Role.QSE_MANAGER})
        # Record an assessment of a risk.
        access.register_action("risk.assess", {Role.ADMINISTRATOR, Role.QSE_MANAGER})
        # Record a new version of a company's risk matrix.
        access.register_action("risk.matrix.manage", {Role.ADMINISTRATOR})
        events.register(
            {
                "RISK_MATRIX_VERSIONED": _("Risk matrix version recorded"),
                "RISK_CREATED": _("Risk recorded"),
                "RISK_UPDATED": _("Risk changed"),
                "RISK_CLOSED": _("Risk closed"),
                "RISK_ASSESSED": _("Risk assessed"),
                "RISK_ACCEPTED": _("Risk accepted by a decision"),
            }
        )
        nav.register(nav.NavItem(_("Risks"), "risks:register", "alert-triangle", order=30))
