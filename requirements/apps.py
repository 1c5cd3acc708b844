from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequirementsConfig(AppConfig):
    name = "requirements"
    verbose_name = _("Requirements")

    def ready(self):
        from core import access, events, nav
        from organisation import hooks
        from organisation.choices import Role
        from requirements import dashboard, demo  # noqa: F401 (register the panels and the demo step)
        from requirements.communication import on_membership_granted

        # A newcomer to an open communication's audience gets a request in the same transaction.
        if on_membership_granted not in hooks.membership_granted:
            hooks.membership_granted.append(on_membership_granted)

        qse = {Role.QSE_MANAGER, Role.ADMINISTRATOR}
        access.register_action("requirement.edit", qse)
        access.register_action("requirement.approve", qse)
        access.register_action("requirement.communicate", qse)
        access.register_action("requirement.evaluate", qse)
        access.register_action("acknowledgement.exempt", qse)
        nav.register(
            nav.NavItem(
                _("Requirements"),
                "requirements:requirement_list",
                "book",
                order=20,
                visible=lambda user: access.can_anywhere(user, "view") and not _staff_only(user),
            )
        )
        nav.register(nav.NavItem(_("What I must read"), "requirements:my_requests", "checklist", order=15))
        events.register(
            {
                "REQUIREMENT_SOURCE_CREATED": _("Source created"),
                "REQUIREMENT_SOURCE_UPDATED": _("Source changed"),
                "REQUIREMENT_CREATED": _("Requirement created"),
                "REQUIREMENT_UPDATED": _("Requirement changed"),
                "REQUIREMENT_VERSION_DRAFTED": _("Version drafted"),
                "REQUIREMENT_VERSION_CHANGED": _("Draft version changed"),
                "REQUIREMENT_VERSION_APPROVED": _("Version approved"),
                "REQUIREMENT_APPLICABILITY_SET": _("Applicability decided"),
                "REQUIREMENT_EVALUATED": _("Compliance evaluated"),
                "REQUIREMENTS_IMPORTED": _("Requirements imported"),
                "REQUIREMENT_COMMUNICATED": _("Version communicated"),
                "COMMUNICATION_AUDIENCE_GREW": _("Newcomers added to the audience"),
                "COMMUNICATION_SUPERSEDED": _("Communication replaced by a newer version"),
                "COMMUNICATION_CLOSED": _("Communication closed"),
                "COMMUNICATION_INVITATIONS_SENT": _("Invitation e-mails sent"),
                "ACKNOWLEDGEMENT_CONFIRMED": _("Acknowledged"),
                "ACKNOWLEDGEMENT_DECLINED": _("Declined"),
                "ACKNOWLEDGEMENT_EXEMPTED": _("Exempted"),
            }
        )


def _staff_only(user) -> bool:
    from core import access
    from organisation.choices import Role

    held = {g.role for g in access.grants(user)}
    return bool(held) and held <= {Role.STAFF} and not access.is_superuser(user)
