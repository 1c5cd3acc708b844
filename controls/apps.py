from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ControlsConfig(AppConfig):
    name = "controls"
    verbose_name = _("Controls and inspections")

    def ready(self):
        from controls import dashboard, demo  # noqa: F401 (register the panel and the demo step)
        from core import access, events, nav
        from organisation.choices import Role

        # Changing a control, its checklist or its schedule.
        access.register_action("control.manage", {Role.ADMINISTRATOR, Role.QSE_MANAGER})
        # Recording an inspection: QSE managers and managers of the unit; a control's owner may
        # always record its inspections (checked in controls.selectors.can_inspect).
        access.register_action("inspection.record", {Role.ADMINISTRATOR, Role.QSE_MANAGER, Role.MANAGER})
        events.register({
            "CONTROL_CREATED": _("Control created"),
            "CONTROL_UPDATED": _("Control changed"),
            "CONTROL_CHECKLIST_SET": _("Checklist changed"),
            "CONTROL_RESCHEDULED": _("Next inspection rescheduled"),
            "CONTROL_RETIRED": _("Control retired"),
            "CONTROL_LINKS_SET": _("Risks and requirements covered changed"),
            "INSPECTION_RECORDED": _("Inspection recorded"),
            "INSPECTION_CORRECTED": _("Inspection corrected"),
        })
        nav.register(nav.NavItem(_("Controls"), "controls:control_list", "checklist", order=40))
