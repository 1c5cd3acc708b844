from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DelegationsConfig(AppConfig):
    name = "delegations"
    verbose_name = _("Delegations of authority")

    def ready(self):
        from core import access, events, nav
        from delegations import dashboard, demo  # noqa: F401 (register the panel and the demo step)
        from organisation.choices import Role

        # Managers delegate (the service checks they hold the powers); administrators record them.
        access.register_action("delegation.propose", {Role.MANAGER, Role.ADMINISTRATOR})

        events.register({
            "DELEGATION_PROPOSED": _("Delegation proposed"),
            "DELEGATION_ACCEPTED": _("Delegation accepted and signed"),
            "DELEGATION_REFUSED": _("Delegation refused"),
            "DELEGATION_REVOKED": _("Delegation revoked"),
        })
        nav.register(nav.NavItem(_("Delegations"), "delegations:delegation_list", "hierarchy-2", order=60))
        nav.register(nav.NavItem(_("Responsibility map"), "delegations:responsibility_map", "map", order=61))
