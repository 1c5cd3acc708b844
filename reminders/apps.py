from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = _("Reminders")

    def ready(self):
        from core import access, chase, events, inbox, nav
        from organisation.choices import Role
        from reminders import demo, policy, selectors  # noqa: F401 (demo registers its step)

        chase.set_first_reminder(policy.first_reminder)
        inbox.set_provider(selectors.unread_for)
        access.register_action("reminders.policy.edit", {Role.ADMINISTRATOR})
        access.register_action("reminders.remind", {Role.ADMINISTRATOR, Role.QSE_MANAGER})
        events.register(
            {
                "REMINDER_SENT": _("Reminder sent"),
                "ESCALATION_SENT": _("Escalation sent to the manager"),
                "REMINDER_REQUESTED": _("Reminder requested"),
                "REMINDER_POLICY_CHANGED": _("Reminder policy changed"),
            }
        )
        nav.register(
            nav.NavItem(
                _("Reminder policies"),
                "reminders:policy_list",
                "bell-cog",
                order=92,
                visible=lambda user: access.can_anywhere(user, "reminders.policy.edit"),
            )
        )
