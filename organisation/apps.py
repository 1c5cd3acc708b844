from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "organisation"
    verbose_name = _("Organisation")

    def ready(self):
        from core import access, nav
        from organisation import dashboard, demo  # noqa: F401 (register the panel and demo step)
        from organisation.choices import Role

        access.register_action("organisation.manage", {Role.ADMINISTRATOR})
        nav.register(nav.NavItem(_("Organisation"), "organisation:unit_list", "sitemap", order=90,
                                 visible=lambda user: access.can_anywhere(user, "organisation.manage")))
        nav.register(nav.NavItem(_("Ledger"), "core:ledger", "lock", order=95,
                                 visible=lambda user: access.can_anywhere(user, "ledger.view")))
