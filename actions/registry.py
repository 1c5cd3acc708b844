"""What the actions app declares to the kernel: object actions, events, navigation, panels, demo,
and the handlers that open an action automatically when an inspection or an evaluation fails."""

from importlib.util import find_spec

from django.apps import apps
from django.utils.translation import gettext_lazy as _

_installed = False


def install() -> None:
    global _installed
    if _installed:
        return
    _installed = True
    from core import access
    from organisation.choices import Role

    managers = {Role.ADMINISTRATOR, Role.QSE_MANAGER, Role.MANAGER}
    # Open, edit, postpone, cancel and reassign actions on a unit.
    access.register_action("action.manage", managers)
    # Check the effectiveness of a done action (never the owner: see services.action_verify).
    access.register_action("action.verify", managers)
    # Add a comment to an action's log.
    access.register_action("action.comment", managers | {Role.STAFF})
    # Be named owner or contributor of an action on a unit.
    access.register_action("action.own", managers | {Role.STAFF})
    # Change the due-date policy by priority.
    access.register_action("action.policy", {Role.ADMINISTRATOR})

    from core import events

    events.register(
        {
            "ACTION_OPENED": _("Action opened"),
            "ACTION_STARTED": _("Action started"),
            "ACTION_COMPLETED": _("Action marked as done"),
            "ACTION_VERIFIED": _("Action verified effective and closed"),
            "ACTION_REOPENED": _("Action verified not effective and reopened"),
            "ACTION_POSTPONED": _("Action postponed"),
            "ACTION_CANCELLED": _("Action cancelled"),
            "ACTION_REASSIGNED": _("Action owner changed"),
            "ACTION_UPDATED": _("Action changed"),
            "ACTION_COMMENTED": _("Comment added to an action"),
            "ACTION_DUE_POLICY_SET": _("Due-date policy changed"),
        }
    )

    from core import nav

    nav.register(nav.NavItem(_("Actions"), "actions:action_list", "checklist", order=40))
    nav.register(
        nav.NavItem(
            _("Due-date policy"),
            "actions:due_policy",
            "calendar-cog",
            order=92,
            visible=lambda user: access.can_anywhere(user, "action.policy"),
        )
    )

    from actions import dashboard, demo  # noqa: F401 (register the panel and the demo step)

    _install_hooks()


def _install_hooks() -> None:
    """Register the automatic actions in the inspection and evaluation hooks when those apps are
    installed (they are built beside this one; without them there is nothing to hook)."""
    from actions import automatic

    for app_label, module_name, handler in (
        ("controls", "controls.hooks", automatic.action_open_for_inspection),
        ("requirements", "requirements.hooks", automatic.action_open_for_evaluation),
    ):
        if not apps.is_installed(app_label) or find_spec(module_name) is None:
            continue
        module = __import__(module_name, fromlist=["_"])
        hooks = getattr(
            module, "inspection_needs_action" if app_label == "controls" else "evaluation_needs_action", None
        )
        if hooks is not None and handler not in hooks:
            hooks.append(handler)
