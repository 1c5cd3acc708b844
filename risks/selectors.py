"""Reads of risks shared by screens, the API, dossiers and the DUERP.

Busy reads run a fixed number of queries whatever the number of risks: the register is one query
(the current assessment is a denormalised pointer), counts of linked controls and open actions are
subqueries, and the heat map is three aggregate queries.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import CharField, Count, F, Func, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from core import access
from organisation.models import Unit
from risks.choices import RiskStatus
from risks.models import Assessment, Risk, RiskMatrix

RISK_TYPE = "risks.risk"


# --- linked apps (built beside this one) ---------------------------------------------------------


def controls_relation():
    """The reverse relation from controls to risks (the M2M lives on the controls side), or None
    when the controls app is not installed."""
    if not apps.is_installed("controls"):
        return None
    for rel in Risk._meta.related_objects:
        if rel.related_model._meta.app_label == "controls" and rel.many_to_many:
            return rel
    return None


def action_model():
    if not apps.is_installed("actions"):
        return None
    try:
        return apps.get_model("actions", "Action")
    except LookupError:
        return None


def _open_actions_of_risk():
    Action = action_model()
    if Action is None:
        return None
    from actions.choices import ACTIVE_STATUSES

    return Action.objects.filter(
        origin_type=RISK_TYPE,
        origin_id=Cast(OuterRef("pk"), CharField()),
        status__in=[str(s) for s in ACTIVE_STATUSES],
    )


def _count_subquery(qs):
    # COUNT as a plain function, not an aggregate: no GROUP BY, one row per outer risk.
    return Coalesce(
        Subquery(
            qs.order_by().annotate(c=Func(F("pk"), function="COUNT")).values("c"), output_field=IntegerField()
        ),
        0,
    )


def with_counts(qs):
    """Annotate ``controls_count`` and ``open_actions_count`` (0 when the app is not installed)."""
    rel = controls_relation()
    if rel is not None:
        through = rel.field.remote_field.through
        source = rel.field.m2m_reverse_field_name()  # the column pointing at the risk
        linked = through.objects.filter(**{source: OuterRef("pk")})
        qs = qs.annotate(controls_count=_count_subquery(linked))
    else:
        qs = qs.annotate(controls_count=Value(0, output_field=IntegerField()))
    actions = _open_actions_of_risk()
    if actions is not None:
        qs = qs.annotate(open_actions_count=_count_subquery(actions))
    else:
        qs = qs.annotate(open_actions_count=Value(0, output_field=IntegerField()))
    return qs


# --- matrix ---------------------------------------------------------------------------------------


def current_matrix(company) -> RiskMatrix | None:
    """The highest version of the company's matrix (None before the first risk is recorded)."""
    company_id = company.pk if isinstance(company, Unit) else company
    return RiskMatrix.objects.filter(company_id=company_id).order_by("-version").first()


def matrix_versions(company):
    return (
        RiskMatrix.objects.filter(company=company)
        .select_related("created_by")
        .annotate(assessments_count=Count("assessments"))
        .order_by("-version")
    )


# --- register -------------------------------------------------------------------------------------


def _register_base():
    return Risk.objects.select_related("unit", "owner", "current_assessment", "current_assessment__matrix")


def risks_visible_to(user):
    return access.visible_to(_register_base(), user)


def risk_register(unit: Unit, *, include_closed: bool = True):
    """The risks of a unit and the units below it, with their current assessment and the counts of
    linked controls and open actions: one query, whatever the number of risks."""
    qs = with_counts(_register_base().filter(unit__path__startswith=unit.path))
    if not include_closed:
        qs = qs.exclude(status=RiskStatus.CLOSED)
    return qs.order_by("unit__path", "title", "id")


def risk_for_user(user, pk, action="view"):
    return access.get_for_user(with_counts(_register_base()), user, pk, action)


def assessments_of(risk):
    return risk.assessments.select_related("assessor", "matrix", "recorded_by").order_by(
        "-assessed_on", "-id"
    )


def controls_of(risk):
    """The controls linked to the risk (empty when the controls app is not installed)."""
    rel = controls_relation()
    if rel is None:
        return None
    return getattr(risk, rel.get_accessor_name()).select_related("owner", "unit").order_by("title")


def open_actions_of(risk):
    Action = action_model()
    if Action is None:
        return None
    from actions.choices import FINAL_STATUSES

    return (
        Action.objects.filter(origin_type=RISK_TYPE, origin_id=str(risk.pk))
        .exclude(status__in=[str(s) for s in FINAL_STATUSES])
        .select_related("owner")
        .order_by("due_on")
    )


# --- heat map -------------------------------------------------------------------------------------


@dataclass
class HeatMap:
    """Counts per (likelihood, severity) cell of one matrix, for the inherent and residual ratings.

    Only risks whose current assessment was made with this matrix version are placed; the others
    (an earlier version, or not assessed yet) are counted apart so nobody reads a partial map as whole.
    """

    matrix: RiskMatrix | None
    inherent: dict = field(default_factory=dict)  # {(likelihood, severity): count}
    residual: dict = field(default_factory=dict)
    not_assessed: int = 0
    other_version: int = 0

    @property
    def placed(self) -> int:
        return sum(self.residual.values())


def heat_map(risks, matrix: RiskMatrix | None) -> HeatMap:
    """Three aggregate queries over the given risk queryset (already filtered by unit and access)."""
    result = HeatMap(matrix=matrix)
    risks = risks.order_by()
    if matrix is not None:
        on_matrix = risks.filter(current_assessment__matrix=matrix)
        for basis, target in (("inherent", result.inherent), ("residual", result.residual)):
            rows = on_matrix.values(
                f"current_assessment__{basis}_likelihood", f"current_assessment__{basis}_severity"
            ).annotate(n=Count("id"))
            for row in rows:
                target[
                    (
                        row[f"current_assessment__{basis}_likelihood"],
                        row[f"current_assessment__{basis}_severity"],
                    )
                ] = row["n"]
    totals = risks.aggregate(
        not_assessed=Count("id", filter=Q(current_assessment__isnull=True)),
        other=Count("id", filter=Q(current_assessment__isnull=False) & ~Q(current_assessment__matrix=matrix))
        if matrix is not None
        else Count("id", filter=Q(current_assessment__isnull=False)),
    )
    result.not_assessed, result.other_version = totals["not_assessed"], totals["other"]
    return result


# --- as of a date, dossiers, DUERP ----------------------------------------------------------------


def _end_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def latest_assessments(risk_ids, *, on: datetime.date | None = None) -> dict[int, Assessment]:
    """The latest assessment of each risk (as of the end of ``on``, counting only assessments
    dated by then and already recorded in Siris by then). One query (DISTINCT ON)."""
    qs = Assessment.objects.filter(risk_id__in=list(risk_ids)).select_related("matrix", "assessor")
    if on is not None:
        qs = qs.filter(assessed_on__lte=on, created_at__lte=_end_of(on))
    qs = qs.order_by("risk_id", "-assessed_on", "-id").distinct("risk_id")
    return {a.risk_id: a for a in qs}


def risks_as_of(unit: Unit, day: datetime.date) -> list[dict]:
    """The register of a unit (and below) as Siris held it at the end of ``day``, from row history:
    each risk as it read then (owner, status, review date) and its latest assessment by then.

    Two queries. Risks recorded after ``day`` are absent; those closed by then show as closed.
    """
    moment = _end_of(day)
    rows = list(
        Risk.history.as_of(moment)
        .filter(unit__path__startswith=unit.path)
        .select_related("unit", "owner")
        .order_by("unit__path", "title", "id")
    )
    latest = latest_assessments([r.pk for r in rows], on=day)
    return [{"risk": r, "assessment": latest.get(r.pk)} for r in rows]


def risk_dossier_data(risk: Risk) -> dict:
    """Everything a risk's proof dossier prints: facts, every assessment with its matrix version,
    linked controls and open actions, and the ledger entries (timeline)."""
    from core.ledger import timeline

    controls = controls_of(risk)
    actions = open_actions_of(risk)
    return {
        "risk": risk,
        "assessments": list(assessments_of(risk)),
        "controls": list(controls) if controls is not None else None,
        "open_actions": list(actions) if actions is not None else None,
        "timeline": list(timeline(risk)),
    }


@dataclass
class DuerpUnit:
    unit: Unit
    rows: list = field(default_factory=list)


def duerp_data(unit: Unit, *, on: datetime.date | None = None) -> list[DuerpUnit]:
    """The DUERP content of a unit and the units below it, grouped by work unit (R4121-1): for each
    open risk the hazard, the situation, the inherent and residual levels of its latest assessment,
    the measures in place (assessment measures and linked controls), and the actions planned.

    A fixed number of queries: risks, controls (one prefetch) and actions (one query).
    """
    qs = _register_base().filter(unit__path__startswith=unit.path).exclude(status=RiskStatus.CLOSED)
    rel = controls_relation()
    if rel is not None:
        qs = qs.prefetch_related(Prefetch(rel.get_accessor_name(), to_attr="linked_controls"))
    risks = list(qs.order_by("unit__path", "title", "id"))
    planned: dict[str, list] = {}
    Action = action_model()
    if Action is not None and risks:
        from actions.choices import FINAL_STATUSES

        for action in (
            Action.objects.filter(origin_type=RISK_TYPE, origin_id__in=[str(r.pk) for r in risks])
            .exclude(status__in=[str(s) for s in FINAL_STATUSES])
            .select_related("owner")
            .order_by("due_on")
        ):
            planned.setdefault(action.origin_id, []).append(action)
    groups: dict[int, DuerpUnit] = {}
    for risk in risks:
        group = groups.setdefault(risk.unit_id, DuerpUnit(unit=risk.unit))
        assessment = risk.current_assessment
        group.rows.append(
            {
                "risk": risk,
                "assessment": assessment,
                "inherent_level": assessment.inherent_level if assessment else "",
                "residual_level": assessment.residual_level if assessment else "",
                "measures": assessment.existing_measures if assessment else "",
                "controls": [c.title for c in getattr(risk, "linked_controls", [])],
                "actions": planned.get(str(risk.pk), []),
            }
        )
    return list(groups.values())


# --- dashboard ------------------------------------------------------------------------------------


def reviews_due(user, *, today=None, limit=10):
    """Risks the user owns whose review date has passed (open, treated or accepted)."""
    today = today or timezone.localdate()
    return (
        Risk.objects.filter(owner=user, next_review_on__lt=today)
        .exclude(status=RiskStatus.CLOSED)
        .select_related("unit")
        .order_by("next_review_on")[:limit]
    )


def stale_counts(user, *, today=None) -> dict:
    """For QSE managers: in their units, risks never assessed and risks past their review date."""
    today = today or timezone.localdate()
    qs = access.visible_to(
        Risk.objects.exclude(status=RiskStatus.CLOSED), user, roles={"qse_manager", "administrator"}
    )
    return qs.aggregate(
        never=Count("id", filter=Q(current_assessment__isnull=True)),
        overdue=Count("id", filter=Q(next_review_on__lt=today)),
    )
