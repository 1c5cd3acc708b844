"""Reads of requirements shared by screens, API, CSV exports and dossiers.

Every list here runs a fixed number of queries whatever the number of rows (pinned by tests).
"""

from __future__ import annotations

import datetime

from django.db.models import CharField, Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.utils import timezone

from core import access
from core.ledger import label_for
from core.models import ChasedItem, LedgerEntry
from organisation.choices import Role
from organisation.models import Membership, Unit, User
from requirements.choices import AckStatus, AudienceKind, CommunicationStatus
from requirements.models import (
    Acknowledgement,
    Applicability,
    Communication,
    Evaluation,
    Requirement,
    RequirementVersion,
    Source,
)

AUDIENCE_ROLES = [r for r in Role.values if r != Role.AUDITOR]  # auditors read; they are never asked


# --- Library --------------------------------------------------------------------------------------


def sources_visible_to(user):
    return access.visible_to(Source.objects.select_related("unit"), user)


def sources_for_unit(unit):
    """Sources usable by a requirement of this unit: kept in it or in a unit above."""
    return Source.objects.filter(unit_id__in=unit.ancestor_ids()).order_by("reference")


def requirement_list(user, *, q="", unit=None, source_kind="", sort="reference"):
    current = RequirementVersion.objects.filter(requirement=OuterRef("pk"), approved_at__isnull=False).order_by(
        "-number"
    )
    qs = access.visible_to(Requirement.objects.select_related("unit", "source", "owner"), user).filter(is_active=True)
    if q:
        qs = qs.filter(Q(reference__icontains=q) | Q(title__icontains=q) | Q(source__reference__icontains=q))
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if source_kind:
        qs = qs.filter(source__kind=source_kind)
    qs = qs.annotate(current_number=Subquery(current.values("number")[:1]))
    order = {
        "reference": ["reference", "id"],
        "-reference": ["-reference", "-id"],
        "title": ["title", "id"],
        "review": ["next_review_on", "id"],
        "-review": ["-next_review_on", "-id"],
    }
    return qs.order_by(*order.get(sort, order["reference"]))


def current_version(requirement) -> RequirementVersion | None:
    return requirement.versions.filter(approved_at__isnull=False).order_by("-number").first()


def versions_of(requirement):
    return requirement.versions.select_related("approved_by", "created_by").order_by("-number")


def is_applicable(requirement, unit) -> bool:
    """The nearest decision on the unit or above it wins; without one, it applies within its scope."""
    if not unit.path.startswith(requirement.unit.path):
        return False
    row = (
        Applicability.objects.filter(requirement=requirement, unit_id__in=unit.ancestor_ids())
        .order_by("-unit__path")
        .first()
    )
    return True if row is None else row.applicable


def applicability_tree(requirement):
    """Every active unit of the requirement's scope, its effective applicability and where that comes from."""
    units = list(Unit.objects.filter(path__startswith=requirement.unit.path, is_active=True).order_by("path"))
    rows = {a.unit_id: a for a in requirement.applicability.select_related("decided_by")}
    result, inherited = [], {}
    for unit in units:
        own = rows.get(unit.pk)
        parent = inherited.get(unit.parent_id)
        if own is not None:
            effective = (own.applicable, own.reason, unit, own)
        elif parent is not None:
            effective = (parent[0], parent[1], parent[2], None)
        else:
            effective = (True, "", None, None)
        inherited[unit.pk] = effective
        result.append(
            {
                "unit": unit,
                "applicable": effective[0],
                "reason": effective[1],
                "decided_in": effective[2],
                "own": effective[3],
            }
        )
    return result


def latest_evaluations(requirement):
    """The latest evaluation per unit (PostgreSQL DISTINCT ON), with whether the next one is overdue."""
    rows = list(
        Evaluation.objects.filter(requirement=requirement)
        .select_related("unit", "evaluator")
        .order_by("unit_id", "-evaluated_on", "-id")
        .distinct("unit_id")
    )
    today = timezone.localdate()
    for row in rows:
        row.overdue = row.next_due_on < today
    return sorted(rows, key=lambda e: e.unit.path)


def evaluations_of(requirement, limit=50):
    return Evaluation.objects.filter(requirement=requirement).select_related("unit", "evaluator")[:limit]


# --- Audience -------------------------------------------------------------------------------------


def people_in_scope(unit):
    """Active people holding a non-auditor role on the unit or below."""
    memberships = (
        Membership.objects.active()
        .filter(unit__path__startswith=unit.path, user=OuterRef("pk"))
        .exclude(role=Role.AUDITOR)
    )
    return User.objects.filter(Exists(memberships), is_active=True)


def audience_resolve(entries) -> dict[int, int | None]:
    """{person id: their unit id} of everyone an audience reaches today, in one query.

    Whole units take every non-auditor role on the unit and below; a role entry takes that role
    only; explicit people are taken as they are (their unit is their first role's unit).
    """
    condition = Q()
    people = set()
    for entry in entries:
        if entry.kind == AudienceKind.PERSON:
            people.add(entry.person_id)
        elif entry.kind == AudienceKind.UNIT:
            condition |= Q(unit__path__startswith=entry.unit.path, role__in=AUDIENCE_ROLES)
        elif entry.kind == AudienceKind.ROLE:
            condition |= Q(unit__path__startswith=entry.unit.path, role=entry.role)
    if people:
        condition |= Q(user_id__in=people, role__in=AUDIENCE_ROLES)
    result: dict[int, int | None] = {}
    if condition:
        rows = (
            Membership.objects.active()
            .filter(condition, user__is_active=True, unit__is_active=True)
            .order_by("user_id", "-unit__path")
            .values_list("user_id", "unit_id")
        )
        for user_id, unit_id in rows:
            result.setdefault(user_id, unit_id)  # the deepest unit: a work unit rather than its site
    for person_id in User.objects.filter(pk__in=people, is_active=True).values_list("pk", flat=True):
        result.setdefault(person_id, None)
    return result


# --- Communications and acknowledgements ----------------------------------------------------------


def communications_visible_to(user):
    return access.visible_to(
        Communication.objects.select_related("requirement__unit", "version", "sent_by"),
        user,
        "requirement__unit",
    )


def communications_of(requirement):
    return (
        requirement.communications.select_related("version", "sent_by")
        .annotate(
            done=Count("acknowledgements", filter=Q(acknowledgements__status=AckStatus.ACKNOWLEDGED)),
        )
        .order_by("-sent_at")
    )


def acknowledgements_visible_to(user):
    """Requests the user may see: their own, and those of requirements in their units."""
    scoped = access.visible_to(Acknowledgement.objects.all(), user, "communication__requirement__unit")
    return Acknowledgement.objects.filter(Q(pk__in=scoped.values("pk")) | Q(person=user)).select_related(
        "communication__requirement", "version", "person", "unit"
    )


def my_pending(user, limit=None):
    """What I must read: my pending requests of open communications, soonest due first."""
    qs = (
        Acknowledgement.objects.filter(
            person=user, status=AckStatus.PENDING, communication__status=CommunicationStatus.OPEN
        )
        .select_related("communication__requirement__source", "version")
        .order_by("communication__due_on", "pk")
    )
    return qs[:limit] if limit else qs


def my_requests(user):
    return (
        Acknowledgement.objects.filter(person=user)
        .select_related("communication__requirement", "version")
        .order_by("-communication__sent_at", "-pk")
    )


def newer_request(ack):
    """The person's request in the communication that replaced this one (following the chain)."""
    communication = ack.communication
    seen = set()
    while communication.superseded_by_id and communication.pk not in seen:
        seen.add(communication.pk)
        communication = Communication.objects.select_related("version").get(pk=communication.superseded_by_id)
    found = (
        Acknowledgement.objects.filter(communication=communication, person_id=ack.person_id)
        .select_related("version")
        .first()
    )
    return found if found and found.pk != ack.pk else None


STATUSES = [AckStatus.ACKNOWLEDGED, AckStatus.DECLINED, AckStatus.EXEMPTED, AckStatus.PENDING]
# WCAG AA contrast against white for the bar (the legend carries the words and numbers too).
BAR_COLOURS = {"acknowledged": "#2b7a2f", "declined": "#b42318", "exempted": "#5b6170", "pending": "#d9dde3"}


def status_counts(acks) -> dict:
    row = acks.aggregate(total=Count("pk"), **{s.value: Count("pk", filter=Q(status=s)) for s in STATUSES})
    total = row["total"] or 0
    row["percent"] = {s.value: (round(100 * row[s.value] / total, 1) if total else 0) for s in STATUSES}
    row["answered"] = total - row[AckStatus.PENDING]
    # Segments of the server-drawn SVG progress bar (x and width in percent of the bar).
    x, segments = 0.0, []
    for status in STATUSES:
        width = 100 * row[status.value] / total if total else 0
        if width:
            segments.append(
                {
                    "status": status.value,
                    "label": status.label,
                    "x": round(x, 3),
                    "width": round(width, 3),
                    "fill": BAR_COLOURS[status.value],
                }
            )
        x += width
    row["segments"] = segments
    return row


def tracking_summary(communication) -> dict:
    """Counts by status (one query) and by unit (one query) of a communication."""
    acks = communication.acknowledgements.all()
    by_unit = list(
        acks.values("unit_id", "unit__name", "unit__path")
        .annotate(total=Count("pk"), **{s.value: Count("pk", filter=Q(status=s)) for s in STATUSES})
        .order_by("unit__path")
    )
    for row in by_unit:
        row["percent"] = round(100 * row[AckStatus.ACKNOWLEDGED] / row["total"], 1) if row["total"] else 0
    return {"counts": status_counts(acks), "by_unit": by_unit}


def tracking_people(communication, *, status="", unit=None, q=""):
    """The people of a communication (the pending ones by default on screen), with their manager,
    unit and the reminders sent: one query per page whatever the audience size."""
    # By target only (its index): only acknowledgement items target a request, and a filter on the
    # kind too lets the planner pick the kind's index and read every open acknowledgement item for
    # each row of the page (80 ms of a 5,000-person tracking page).
    reminders = (
        ChasedItem.objects.filter(
            target_type=label_for(Acknowledgement),
            target_id=Cast(OuterRef("pk"), output_field=CharField()),
        )
        .order_by("-opened_at")
        .values("reminders_sent")[:1]
    )
    qs = communication.acknowledgements.select_related("person__manager", "unit").annotate(
        reminders_sent=Subquery(reminders)
    )
    if status:
        qs = qs.filter(status=status)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if q:
        qs = qs.filter(
            Q(person__first_name__icontains=q)
            | Q(person__last_name__icontains=q)
            | Q(person__username__icontains=q)
            | Q(person__email__icontains=q)
        )
    return qs.order_by("person__last_name", "person__first_name", "pk")


def tracking_page(people, number, per_page: int = 50):
    """One page of ``tracking_people`` in two queries whatever the audience size (count, rows).

    The page's ids are chosen by the light query (the requests joined to the people's names only,
    sorted), and the page's rows are read with their manager, unit and reminders for those ids:
    sorting 5,000 fully joined rows to keep 50 was most of a big tracking page's time.
    """
    from django.contrib.postgres.expressions import ArraySubquery
    from django.core.paginator import Paginator
    from django.db.models import BooleanField, F, Func

    page = Paginator(people.values("pk"), per_page).get_page(number)
    # ``id = ANY(ARRAY(<the page's ids>))``: the ids are computed once, first (an init plan), then
    # read by primary key, whatever the planner believes about the table's size.
    on_page = Func(
        F("pk"),
        ArraySubquery(page.object_list),
        arg_joiner=" = ANY(",
        template="(%(expressions)s))",
        output_field=BooleanField(),
    )
    page.object_list = list(people.filter(on_page))
    return page


def requirement_acknowledgement_status(requirement, limit=100) -> dict:
    """Who acknowledged the current version, and who only an older one (and must read the new one)."""
    current = current_version(requirement)
    acked = Acknowledgement.objects.filter(communication__requirement=requirement, status=AckStatus.ACKNOWLEDGED)
    if current is None:
        return {"current": None, "current_count": 0, "older_only": [], "older_only_count": 0}
    on_current = acked.filter(version=current)
    older_only = (
        acked.filter(version__number__lt=current.number)
        .exclude(person_id__in=on_current.values("person_id"))
        .order_by("person_id", "-version__number")
        .distinct("person_id")
        .select_related("person", "version", "unit")
    )
    return {
        "current": current,
        "current_count": on_current.values("person_id").distinct().count(),
        "older_only": list(older_only[:limit]),
        "older_only_count": older_only.count(),
    }


def requirement_timeline(requirement, limit=200):
    """Ledger events of the requirement, its communications and its requests, newest first (one query)."""
    ack_ids = (
        Acknowledgement.objects.filter(communication__requirement=requirement)
        .annotate(sid=Cast("pk", CharField()))
        .values("sid")
    )
    comm_ids = requirement.communications.annotate(sid=Cast("pk", CharField())).values("sid")
    return LedgerEntry.objects.filter(
        Q(target_type=label_for(Requirement), target_id=str(requirement.pk))
        | Q(target_type=label_for(Communication), target_id__in=comm_ids)
        | Q(target_type=label_for(Acknowledgement), target_id__in=ack_ids)
    ).order_by("-seq")[:limit]


def communication_timeline(communication, limit=100):
    ack_ids = communication.acknowledgements.annotate(sid=Cast("pk", CharField())).values("sid")
    return LedgerEntry.objects.filter(
        Q(target_type=label_for(Communication), target_id=str(communication.pk))
        | Q(target_type=label_for(Acknowledgement), target_id__in=ack_ids)
    ).order_by("-seq")[:limit]


# --- Dossiers -------------------------------------------------------------------------------------


def requirement_dossier_data(requirement) -> dict:
    """Everything a requirement's proof dossier prints: versions with their text and hash, the
    applicability, the latest evaluations, each communication with every request (name, status,
    time, hash, channel) and the ledger entries behind them."""
    communications = list(requirement.communications.select_related("version", "sent_by").order_by("sent_at"))
    acks = (
        Acknowledgement.objects.filter(communication__requirement=requirement)
        .select_related("person", "unit", "version", "exempted_by")
        .order_by("communication_id", "person__last_name", "person__first_name")
    )
    by_comm: dict[int, list] = {}
    for ack in acks:
        by_comm.setdefault(ack.communication_id, []).append(ack)
    return {
        "requirement": requirement,
        "versions": list(versions_of(requirement)),
        "applicability": applicability_tree(requirement),
        "evaluations": latest_evaluations(requirement),
        "communications": [
            {
                "communication": c,
                "requests": by_comm.get(c.pk, []),
                "counts": status_counts(c.acknowledgements.all()),
            }
            for c in communications
        ],
        "ledger": list(requirement_timeline(requirement, limit=10000)),
    }


def acknowledgements_as_of(unit, moment: datetime.datetime):
    """The requests of people in ``unit`` (and below) as they stood at ``moment`` (row history)."""
    history = Acknowledgement.history.as_of(moment)
    return history.filter(unit__path__startswith=unit.path).select_related("person", "version__requirement")


def requirements_as_of(unit, moment: datetime.datetime):
    """Requirements of the unit and the units above it, as they stood at ``moment``."""
    return Requirement.history.as_of(moment).filter(unit_id__in=unit.ancestor_ids())
