import datetime

import pytest
from django.db import IntegrityError, InternalError, ProgrammingError, connection, transaction
from django.utils import timezone

from core.exceptions import ConflictError, DomainError
from core.models import ChasedItem, LedgerEntry
from risks import matrix_spec, selectors, services
from risks.choices import RiskStatus
from risks.models import Assessment, Risk, RiskMatrix

pytestmark = pytest.mark.django_db


def events(obj, event_type):
    return LedgerEntry.objects.filter(
        target_type=f"risks.{obj._meta.model_name}", target_id=str(obj.pk), event_type=event_type
    )


def test_first_risk_records_the_default_matrix(org, make_risk):
    risk = make_risk()
    matrix = selectors.current_matrix(org.company)
    assert matrix.version == 1 and matrix.likelihood_steps == 4 and matrix.severity_steps == 4
    assert matrix.likelihood_labels[3] == {"en": "Almost certain", "fr": "Quasi certain"}
    assert [t["level"] for t in matrix.thresholds] == ["low", "medium", "high", "critical"]
    assert events(matrix, "RISK_MATRIX_VERSIONED").count() == 1
    assert matrix.history.count() == 1
    entry = events(risk, "RISK_CREATED").get()
    assert entry.actor == org.qse and entry.payload["owner"] == org.manager.pk
    assert risk.history.get().history_user == org.qse


def test_default_colours_meet_wcag_aa():
    for t in matrix_spec.DEFAULT_THRESHOLDS:
        assert matrix_spec.contrast_ratio(t["colour"], t["text_colour"]) >= 4.5


def test_assessment_scores_levels_pointer_history_and_ledger(org, make_risk, assess):
    risk = make_risk()
    a = assess(risk, il=3, is_=4, rl=2, rs=3)
    risk.refresh_from_db()
    assert (a.inherent_score, a.inherent_level, a.residual_score, a.residual_level) == (12, "critical", 6, "medium")
    assert risk.current_assessment == a and a.matrix.version == 1
    assert risk.next_review_on == a.assessed_on + datetime.timedelta(days=365)
    entry = events(risk, "RISK_ASSESSED").get()
    assert entry.payload["inherent"] == [3, 4, 12, "critical"] and entry.payload["residual"] == [2, 3, 6, "medium"]
    assert entry.payload["matrix_version"] == 1 and entry.payload["current"] is True
    assert a.history.get().history_type == "+"
    # The pointer change is a history row of the risk, by the assessor.
    assert risk.history.first().current_assessment_id == a.pk
    assert risk.history.first().history_user == org.qse
    # The owner is chased for the next review.
    item = ChasedItem.objects.get(target_type="risks.risk", target_id=str(risk.pk), closed_at__isnull=True)
    assert item.recipient == org.manager and item.kind == "risk_review"


def test_latest_assessment_is_current_and_backdated_one_is_not(make_risk, assess):
    risk = make_risk()
    first = assess(risk, days_ago=100)
    second = assess(risk, il=2, is_=2, rl=1, rs=1, days_ago=5)
    old_paper = assess(risk, days_ago=300)
    risk.refresh_from_db()
    assert risk.current_assessment == second
    assert list(selectors.assessments_of(risk)) == [second, first, old_paper]
    assert events(risk, "RISK_ASSESSED").filter(payload__current=False).count() == 1


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"il": 5}, "inherent_likelihood"),
        ({"is_": 0}, "inherent_severity"),
        ({"rl": "x"}, "residual_likelihood"),
        ({"rs": 7}, "residual_severity"),
        ({"il": 1, "is_": 1, "rl": 2, "rs": 2}, "residual_severity"),
        ({"days_ago": -1}, "assessed_on"),
        ({"rationale": "  "}, "rationale"),
    ],
)
def test_bad_assessments_are_refused_and_nothing_is_written(make_risk, assess, kwargs, field):
    risk = make_risk()
    before = LedgerEntry.objects.count()
    with pytest.raises(DomainError) as exc:
        assess(risk, **kwargs)
    assert exc.value.field == field
    assert Assessment.objects.count() == 0 and LedgerEntry.objects.count() == before


def test_future_date_message_is_clear(make_risk, assess):
    with pytest.raises(DomainError, match="future"):
        assess(make_risk(), days_ago=-3)


def test_database_refuses_to_change_or_delete_an_assessment(make_risk, assess):
    a = assess(make_risk())
    for sql in (
        "UPDATE risks_assessment SET rationale = 'x' WHERE id = %s",
        "DELETE FROM risks_assessment WHERE id = %s",
    ):
        with pytest.raises((InternalError, ProgrammingError)), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, [a.pk])
    a.refresh_from_db()
    assert a.rationale == "Seen on the shop floor."


def test_database_constraints_hold_scores(make_risk, assess):
    a = assess(make_risk())
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(
            risk=a.risk,
            matrix=a.matrix,
            assessed_on=a.assessed_on,
            assessor=a.assessor,
            inherent_likelihood=1,
            inherent_severity=1,
            residual_likelihood=2,
            residual_severity=2,
            inherent_score=1,
            residual_score=4,
            inherent_level="low",
            residual_level="medium",
            rationale="x",
        )


def new_version(org, **overrides):
    spec = {
        "likelihood_labels": [{"en": f"L{i}", "fr": f"P{i}"} for i in range(1, 6)],
        "severity_labels": [{"en": f"S{i}", "fr": f"G{i}"} for i in range(1, 6)],
        "thresholds": [
            {"level": "low", "min_score": 1, "colour": "#2e7d32", "text_colour": "#ffffff", "en": "Low", "fr": "Bas"},
            {
                "level": "high",
                "min_score": 10,
                "colour": "#b71c1c",
                "text_colour": "#ffffff",
                "en": "High",
                "fr": "Haut",
            },
        ],
        "reason": "5 x 5 for the group",
    }
    spec.update(overrides)
    return services.risk_matrix_create(actor=org.admin, company=org.company, **spec)


def test_a_new_matrix_version_never_changes_past_assessments(org, make_risk, assess):
    risk = make_risk()
    old = assess(risk, il=3, is_=4, rl=2, rs=3)
    matrix = new_version(org)
    assert matrix.version == 2 and matrix.likelihood_steps == 5
    old.refresh_from_db()
    assert old.matrix.version == 1 and old.residual_level == "medium"
    new = assess(risk, il=5, is_=5, rl=2, rs=5, days_ago=0)
    assert new.matrix == matrix and new.inherent_level == "high" and new.residual_level == "high"
    assert RiskMatrix.objects.filter(company=org.company).count() == 2
    # A form drawn with version 1 is refused with 409 once version 2 exists.
    with pytest.raises(ConflictError):
        assess(risk, matrix_version=1)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"likelihood_labels": [{"en": "a", "fr": "a"}] * 2}, "likelihood_labels"),
        ({"severity_labels": [{"en": "a", "fr": "a"}] * 7}, "severity_labels"),
        ({"likelihood_labels": [{"en": "a", "fr": ""}] * 4}, "likelihood_labels"),
        (
            {
                "thresholds": [
                    {"level": "low", "min_score": 1, "colour": "#ffff00", "text_colour": "#ffffff"},
                    {"level": "high", "min_score": 9, "colour": "#000000", "text_colour": "#ffffff"},
                ]
            },
            "thresholds",
        ),
        (
            {
                "thresholds": [
                    {"level": "high", "min_score": 1, "colour": "#000000", "text_colour": "#ffffff"},
                    {"level": "low", "min_score": 9, "colour": "#000000", "text_colour": "#ffffff"},
                ]
            },
            "thresholds",
        ),
        (
            {
                "thresholds": [
                    {"level": "low", "min_score": 2, "colour": "#000000", "text_colour": "#ffffff"},
                    {"level": "high", "min_score": 9, "colour": "#000000", "text_colour": "#ffffff"},
                ]
            },
            "thresholds",
        ),
        (
            {
                "thresholds": [
                    {"level": "low", "min_score": 1, "colour": "#000000", "text_colour": "#ffffff"},
                    {"level": "high", "min_score": 99, "colour": "#000000", "text_colour": "#ffffff"},
                ]
            },
            "thresholds",
        ),
    ],
)
def test_bad_matrices_are_refused(org, overrides, field):
    with pytest.raises(DomainError) as exc:
        new_version(org, **overrides)
    assert exc.value.field == field
    assert not RiskMatrix.objects.exists()


def test_matrix_belongs_to_a_company(org):
    with pytest.raises(DomainError):
        services.risk_matrix_create(
            actor=org.admin, company=org.lyon, likelihood_labels=[], severity_labels=[], thresholds=[]
        )


def test_owner_must_hold_a_role_on_the_unit(org, make_risk):
    with pytest.raises(DomainError) as exc:
        make_risk(owner=org.outsider)
    assert exc.value.field == "owner"
    with pytest.raises(DomainError) as exc:
        make_risk(unit=org.company)
    assert exc.value.field == "unit"
    assert not Risk.objects.exists()


def test_update_close_and_accept_rules(org, make_risk, assess):
    risk = make_risk()
    with pytest.raises(DomainError) as exc:
        services.risk_update(actor=org.qse, risk=risk, status=RiskStatus.ACCEPTED)
    assert exc.value.field == "status"
    services.risk_update(actor=org.qse, risk=risk, title="Projections", reason="clearer")
    assert events(risk, "RISK_UPDATED").get().payload["changes"]["title"][1] == "Projections"
    # A no-op writes nothing.
    services.risk_update(actor=org.qse, risk=risk, title="Projections")
    assert events(risk, "RISK_UPDATED").count() == 1

    decision = org.company  # any saved record stands in for the decisions app's decision here
    with pytest.raises(DomainError, match="Assess"):
        services.risk_accept(actor=org.admin, risk=risk, decision=decision, until=timezone.localdate())
    assess(risk)
    with pytest.raises(DomainError) as exc:
        services.risk_accept(actor=org.admin, risk=risk, decision=decision, until=timezone.localdate())
    assert exc.value.field == "until"
    until = timezone.localdate() + datetime.timedelta(days=90)
    services.risk_accept(actor=org.admin, risk=risk, decision=decision, until=until)
    risk.refresh_from_db()
    assert risk.status == RiskStatus.ACCEPTED and risk.accepted_until == until
    assert risk.accepted_by_decision_id == decision.pk and risk.acceptance_in_force
    assert events(risk, "RISK_ACCEPTED").get().payload["decision"] == decision.pk

    with pytest.raises(DomainError) as exc:
        services.risk_update(actor=org.qse, risk=risk, status=RiskStatus.CLOSED)
    assert exc.value.field == "reason"
    services.risk_update(actor=org.qse, risk=risk, status=RiskStatus.CLOSED, reason="Machine scrapped")
    assert events(risk, "RISK_CLOSED").count() == 1
    assert not ChasedItem.objects.filter(target_id=str(risk.pk), target_type="risks.risk", closed_at__isnull=True)
    with pytest.raises(DomainError):
        assess(risk)


def test_risks_as_of_reads_history(org, make_risk, assess, django_assert_num_queries):
    import time_machine

    today = timezone.localdate()
    risk = make_risk()
    assess(risk, il=3, is_=3, rl=2, rs=2, days_ago=0)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=10)):
        services.risk_update(actor=org.qse, risk=risk, owner=org.qse, reason="new owner")
        assess(risk, il=2, is_=2, rl=1, rs=1, days_ago=0)
        make_risk(title="Later risk")
    with django_assert_num_queries(2):
        then = selectors.risks_as_of(org.lyon, today)
    assert [row["risk"].title for row in then] == ["Projections de métal"]
    assert then[0]["risk"].owner == org.manager and then[0]["assessment"].residual_score == 4
    later = selectors.risks_as_of(org.lyon, today + datetime.timedelta(days=10))
    assert len(later) == 2
    row = next(r for r in later if r["risk"].pk == risk.pk)
    assert row["assessment"].residual_score == 1 and row["risk"].owner == org.qse
    assert selectors.risks_as_of(org.lyon, today - datetime.timedelta(days=1)) == []


def test_duerp_data_groups_by_work_unit(org, make_risk, assess, django_assert_max_num_queries):
    a = make_risk(title="A")
    assess(a, existing_measures="Carter")
    make_risk(unit=org.paint, title="B", owner=org.qse)
    make_risk(unit=org.warehouse, title="C", owner=org.admin)
    with django_assert_max_num_queries(4):
        groups = selectors.duerp_data(org.lyon)
    assert [g.unit for g in groups] == [org.assembly, org.paint]
    row = groups[0].rows[0]
    assert row["inherent_level"] == "critical" and row["residual_level"] == "medium" and row["measures"] == "Carter"
    assert groups[1].rows[0]["assessment"] is None
