"""Reads of actions shared by screens, API, dashboard panels and dossiers.

Who may do what on an action (``allowed_steps``) lives here too, so the page shows exactly the
steps the services will accept, and "the one next step" for the person looking.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actions import origins
from actions.choices import ACTIVE_STATUSES, DEFAULT_DUE_DAYS, ActionStatus, Priority
from actions.models import Action, ActionUpdate, DuePolicy
from core import access, ledger
from core.models import ChasedItem

SORTS = {
    "due": ("due_on", "pk"),
    "-due": ("-due_on", "-pk"),
    "priority": ("priority_rank", "due_on", "pk"),
    "title": ("title", "pk"),
    "status": ("status", "due_on", "pk"),
    "-created": ("-created_at", "-pk"),
}
SCOPES = ("mine", "overdue", "to_verify")


def actions_visible_to(user):
    return access.visible_to(Action.objects.all(), user)


def action_for_user(user, pk, action: str = "view") -> Action:
    """One action the user may see (404 outside their units), then the role for ``action`` (403)."""
    queryset = Action.objects.select_related("unit", "owner", "created_by", "completed_by", "verified_by")
    return access.get_for_user(queryset, user, pk, action)


def _with_rank(queryset):
    from django.db.models import Case, IntegerField, Value, When

    return queryset.annotate(
        priority_rank=Case(
            When(priority=Priority.HIGH, then=Value(0)),
            When(priority=Priority.MEDIUM, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    )


def action_list(
    user,
    *,
    q: str = "",
    scope: str = "",
    status: str = "",
    unit=None,
    origin_type: str = "",
    origin_id: str = "",
    priority: str = "",
    kind: str = "",
    owner=None,
    sort: str = "due",
):
    """The actions the user may see, filtered as the list screen, the API and the CSV ask."""
    actions = actions_visible_to(user).select_related("unit", "owner")
    today = timezone.localdate()
    if q:
        condition = Q(title__icontains=q) | Q(description__icontains=q)
        reference = q.strip().upper().removeprefix("A-")
        if reference.isdigit():
            condition |= Q(pk=int(reference))
        actions = actions.filter(condition)
    if scope == "mine":
        actions = actions.filter(Q(owner=user) | Q(contributors=user)).distinct()
    elif scope == "overdue":
        actions = actions.filter(status__in=ACTIVE_STATUSES, due_on__lt=today)
    elif scope == "to_verify":
        verifiable = access.visible_to(
            Action.objects.filter(status=ActionStatus.DONE), user, roles=access.roles_for("action.verify")
        )
        actions = actions.filter(pk__in=verifiable.values("pk")).exclude(owner=user)
    if status == "active":
        actions = actions.filter(status__in=ACTIVE_STATUSES)
    elif status:
        actions = actions.filter(status=status)
    if unit is not None:
        actions = actions.filter(unit__path__startswith=unit.path)
    if origin_type == "none":
        actions = actions.filter(origin_type="")
    elif origin_type:
        actions = actions.filter(origin_type=origin_type)
        if origin_id:
            actions = actions.filter(origin_id=str(origin_id))
    if priority:
        actions = actions.filter(priority=priority)
    if kind:
        actions = actions.filter(kind=kind)
    if owner is not None:
        actions = actions.filter(owner=owner)
    return _with_rank(actions).order_by(*SORTS.get(sort, SORTS["due"]))


def actions_for_origin(obj):
    """The actions that came from a record (an inspection, a risk...), for its page and dossier."""
    return (
        Action.objects.filter(origin_type=ledger.label_for(obj), origin_id=str(obj.pk))
        .select_related("owner", "unit", "verified_by")
        .order_by("created_at", "pk")
    )


def action_log(action: Action):
    """The action's log (updates and comments), newest first, with their authors (one query)."""
    return ActionUpdate.objects.filter(action=action).select_related("author").order_by("-at", "-pk")


def action_timeline(action: Action):
    """Ledger entries of the action and of its log entries (the reminders sent name the action)."""
    return ledger.timeline(action)


def action_reminders(action: Action):
    return ChasedItem.objects.filter(target_type=ledger.label_for(action), target_id=str(action.pk)).select_related(
        "recipient"
    )


def action_origin(action: Action):
    """(record or None, url) of the action's origin; the record only when its app is installed."""
    record = origins.fetch(action)
    return record, origins.url_of(record) if record is not None else ""


def action_dossier_data(action: Action) -> dict:
    """Everything a dossier prints about one action: what it says, its origin, its log with the
    reasons, the postponements (old and new dates), its verification, its history rows, the
    reminders chased and the ledger entries behind it."""
    record, _url = action_origin(action)
    log = list(action_log(action))
    return {
        "action": action,
        "origin": {
            "type": action.origin_type,
            "id": action.origin_id,
            "label": action.origin_label,
            "record": record,
        },
        "contributors": list(action.contributors.order_by("last_name", "first_name")),
        "log": log,
        "postponements": [u for u in log if u.kind == "postponed"],
        "history": list(action.history.select_related("history_user").order_by("history_date")),
        "reminders": list(action_reminders(action)),
        "ledger": list(action_timeline(action)),
    }


def actions_as_of(unit, day: datetime.date):
    """The actions of a unit (and the units below) as they stood at the end of ``day``, rebuilt
    from the row history: status, owner and due date of that date, not today's."""
    from organisation.models import Unit

    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))
    unit_ids = list(Unit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True))
    return Action.history.as_of(moment).filter(unit_id__in=unit_ids).order_by("due_on", "pk")


def actions_open_as_of(unit, day: datetime.date):
    return actions_as_of(unit, day).filter(status__in=ACTIVE_STATUSES)


# ---------------------------------------------------------------------------- dashboard


def my_actions_due(user, limit: int = 10):
    """The person's own actions still to do, soonest first, and how many there are (2 queries)."""
    mine = Action.objects.filter(owner=user, status__in=ACTIVE_STATUSES)
    today = timezone.localdate()
    counts = mine.aggregate(total=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
    return list(mine.select_related("unit").order_by("due_on", "pk")[:limit]), counts


def actions_to_verify(user, limit: int = 10):
    """Done actions in the person's units that they may verify (not their own), 2 queries."""
    pending = access.visible_to(
        Action.objects.filter(status=ActionStatus.DONE), user, roles=access.roles_for("action.verify")
    ).exclude(owner=user)
    return list(pending.select_related("unit", "owner").order_by("completed_at", "pk")[:limit]), pending.count()


def overdue_in_units(user, limit: int = 10):
    """Overdue actions in the units a manager or QSE manager looks after (2 queries)."""
    overdue = access.visible_to(
        Action.objects.filter(status__in=ACTIVE_STATUSES, due_on__lt=timezone.localdate()),
        user,
        roles=access.roles_for("action.manage"),
    )
    return list(overdue.select_related("unit", "owner").order_by("due_on", "pk")[:limit]), overdue.count()


# ---------------------------------------------------------------------------- who may do what


def may(user, action: Action, step: str, contributor_ids=None) -> bool:
    """Whether the person's place (owner, contributor, role on the unit) lets them take this step
    at all, whatever the action's status; the services refuse a step that does not fit the status
    with a conflict (409), and an owner verifying their own action with a clear message."""
    if user is None or not user.is_authenticated:
        return False
    unit = action.unit
    if step in ("postpone", "edit", "cancel", "reassign"):
        return access.can(user, "action.manage", unit)
    if step == "verify":
        return access.can(user, "action.verify", unit)
    if contributor_ids is None:
        contributor_ids = set(action.contributors.values_list("pk", flat=True))
    worker = user.pk == action.owner_id or user.pk in contributor_ids or access.can(user, "action.manage", unit)
    if step in ("start", "complete"):
        return worker
    if step == "comment":
        return worker or access.can(user, "action.comment", unit)
    raise ValueError(step)


_FITS_STATUS = {
    "start": {ActionStatus.OPEN},
    "complete": {ActionStatus.IN_PROGRESS},
    "verify": {ActionStatus.DONE},
    "postpone": set(ACTIVE_STATUSES),
    "edit": set(ACTIVE_STATUSES),
    "cancel": {*ACTIVE_STATUSES, ActionStatus.DONE},
    "reassign": {*ACTIVE_STATUSES, ActionStatus.DONE},
    "comment": set(ActionStatus.values),
}


def allowed_steps(user, action: Action) -> set[str]:
    """The steps the services would accept from this person on this action now."""
    contributor_ids = set(action.contributors.values_list("pk", flat=True))
    steps = {
        step
        for step, statuses in _FITS_STATUS.items()
        if action.status in statuses and may(user, action, step, contributor_ids)
    }
    if user is not None and user.pk == action.owner_id:
        steps.discard("verify")
    return steps


NEXT_STEP_TEXT = {
    "start": _("Start the work when you begin: the owner and the unit see it in progress."),
    "complete": _("When the work is done, say what was done: someone else will then check it worked."),
    "verify": _("Check that the action worked: effective closes it, not effective sends it back to the owner."),
    "wait_verification": _("Done: waiting for someone other than the owner to check its effectiveness."),
    "wait_owner": _("Waiting for the owner to do the work."),
    "closed": _("Closed: the action was done and checked effective."),
    "cancelled": _("Cancelled."),
}


def next_step(user, action: Action, steps: set[str]) -> str:
    """The one thing the person looking should do (or what the action waits for)."""
    for step in ("verify", "complete", "start"):
        if step in steps:
            return step
    if action.status == ActionStatus.DONE:
        return "wait_verification"
    if action.status == ActionStatus.CLOSED:
        return "closed"
    if action.status == ActionStatus.CANCELLED:
        return "cancelled"
    return "wait_owner"


STEPPER = [
    ("open", _("Open")),
    ("in_progress", _("In progress")),
    ("done", _("Done")),
    ("verified", _("Verified")),
    ("closed", _("Closed")),
]
_STEP_INDEX = {"open": 0, "in_progress": 1, "done": 2, "closed": 4}


def stepper(action: Action) -> list[dict]:
    """The workflow as steps: done ones, the current one, the ones to come (cancelled: greyed)."""
    current = _STEP_INDEX.get(action.status, -1)
    result = []
    for index, (key, label) in enumerate(STEPPER):
        if action.status == ActionStatus.CANCELLED:
            state = "cancelled"
        elif index < current:
            state = "done"
        elif index == current:
            state = "current"
        else:
            state = "todo"
        result.append({"key": key, "label": label, "state": state})
    return result


# ---------------------------------------------------------------------------- policy


def due_policy() -> list[dict]:
    """Days to act by priority, as set by the administrators or by default."""
    set_days = dict(DuePolicy.objects.values_list("priority", "days"))
    return [
        {
            "priority": p,
            "label": p.label,
            "days": set_days.get(p.value, DEFAULT_DUE_DAYS[p]),
            "is_default": p.value not in set_days,
        }
        for p in Priority
    ]


def with_log(queryset):
    return queryset.prefetch_related(Prefetch("updates", queryset=ActionUpdate.objects.select_related("author")))
