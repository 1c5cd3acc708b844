"""Demo decisions and alarms: two signed decisions (one a risk acceptance when the risks app is
there), an alarm answered with a decision, and an alarm escalated because nobody answered.

The escalated alarm is given a deadline two seconds away and the loader waits for it to pass, so
the escalation is a real one computed from real times (no back-dated rows).
"""

import datetime
import time

from django.apps import apps
from django.utils import timezone

from core import demo
from decisions import services
from decisions.choices import DecisionKind
from decisions.models import Alarm, Decision
from organisation.demo import DEMO_PASSWORD


def _signed(*, actor, approver, unit, subject, text, **extra):
    existing = Decision.objects.filter(subject=subject).first()
    if existing:
        return existing
    made = services.decision_create(actor=actor, unit=unit, subject=subject, decision_text=text,
                                    approvers=[approver], **extra)
    services.decision_submit(actor=actor, decision=made)
    services.decision_sign(actor=approver, decision=made, approve=True, password=DEMO_PASSWORD,
                           comment="Validé en revue de direction.")
    return made


def _acceptable_risk(unit):
    if not apps.is_installed("risks"):
        return None
    risk_model = apps.get_model("risks", "Risk")
    return (risk_model.objects.filter(unit__path__startswith=unit.path, current_assessment__isnull=False)
            .exclude(status__in=("accepted", "closed")).order_by("pk").first())


@demo.register(70, "decisions")
def load(ctx):
    units, people = ctx["units"], ctx["people"]
    qse, director = people["qse.lyon"], people["dir.lyon"]
    today = timezone.localdate()
    planned = []
    if apps.is_installed("actions"):
        planned = [{"title": "Remplacer le carter de protection de la presse 3", "owner": people["chef.usinage"],
                    "due_on": today + datetime.timedelta(days=14), "priority": "high"}]
    repair = _signed(
        actor=qse, approver=director, unit=units["lyon-usinage"],
        subject="Arrêt de la presse 3 jusqu'au remplacement du carter",
        text="La presse 3 reste consignée jusqu'à la pose d'un carter neuf, contrôlé par la maintenance.",
        context="Le carter de protection de la presse 3 est fissuré (constat du 2 décembre).",
        options="1. Réparer le carter existant. 2. Remplacer le carter. 3. Continuer avec une consigne.",
        rationale="Code du travail L4121-1 : l'employeur prend les mesures nécessaires ; seule la pose "
                  "d'un carter neuf supprime le risque de happement.",
        planned_actions=planned,
    )
    risk = _acceptable_risk(units["lyon"])
    if risk is not None and not Decision.objects.filter(kind=DecisionKind.RISK_ACCEPTANCE).exists():
        _signed(
            actor=qse, approver=director, unit=risk.unit, subject=f"Acceptation du risque résiduel : {risk.title}",
            text="Le risque résiduel est accepté jusqu'à la prochaine revue, avec les mesures en place.",
            rationale="Les mesures existantes ramènent le risque à un niveau acceptable ; revue dans six mois.",
            kind=DecisionKind.RISK_ACCEPTANCE, review_on=today + datetime.timedelta(days=180),
            links=[f"risks.risk:{risk.pk}"],
        )

    if not Alarm.objects.filter(title="Carter de protection fissuré sur la presse 3").exists():
        warning = services.alarm_raise(
            actor=qse, unit=units["lyon-usinage"], title="Carter de protection fissuré sur la presse 3",
            description="Le carter de la presse 3 est fissuré ; les opérateurs sont exposés au happement.",
            severity="critical", respond_by=timezone.now() + datetime.timedelta(hours=48), addressees=[director],
            links=[f"decisions.decision:{repair.pk}"],
        )
        services.alarm_acknowledge(actor=director, alarm=warning)
        services.alarm_answer(actor=director, alarm=warning, decision=repair,
                              answer="Presse consignée ; carter neuf commandé, pose sous quinze jours.")

    if not Alarm.objects.filter(title="Fuite d'huile sous le four de fusion n°2").exists():
        services.alarm_raise(
            actor=qse, unit=units["lyon-fusion"], title="Fuite d'huile sous le four de fusion n°2",
            description="Une fuite d'huile hydraulique s'étend sous le four n°2 : risque d'incendie et de glissade.",
            severity="high", respond_by=timezone.now() + datetime.timedelta(seconds=2),
            addressees=[people["chef.fusion"]],
        )
        time.sleep(2.5)  # let the (real) deadline pass, then escalate as the periodic task would
        services.alarm_escalate_overdue()
