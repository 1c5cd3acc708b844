"""Demo actions in every state over the work units of the demo company (idempotent: an action
already there, found by its title and unit, is left as it is)."""

import datetime

from django.utils import timezone

from actions import services
from actions.models import Action
from core import demo

# title, unit code, owner, opened by, priority, kind, days to due date, steps
# steps: start, complete:<note>, verify:<note>, reopen:<reason>, postpone:<days>:<reason>, cancel:<reason>
ACTIONS = [
    (
        "Remplacer les gants anti-chaleur usés du poste de coulée",
        "lyon-fusion",
        "chef.fusion",
        "qse.lyon",
        "high",
        "corrective",
        5,
        [],
    ),
    (
        "Installer un rideau lumineux sur le tour n° 3",
        "lyon-usinage",
        "chef.usinage",
        "qse.lyon",
        "high",
        "corrective",
        12,
        ["start"],
    ),
    (
        "Mettre à jour la procédure de consignation du compresseur",
        "lyon-maintenance",
        "chef.maint",
        "qse.lyon",
        "medium",
        "preventive",
        20,
        [
            "start",
            "complete:Procédure PR-MAINT-07 révisée, affichée au poste et expliquée aux 3 techniciens.",
        ],
    ),
    (
        "Matérialiser les allées piétonnes du quai de chargement",
        "lille-logistique",
        "chef.log",
        "qse.lille",
        "high",
        "corrective",
        15,
        [
            "start",
            "complete:Marquage au sol jaune posé le long des quais 1 à 4, panneaux installés.",
            "verify:Visite du quai : allées respectées par les caristes, aucun croisement observé.",
        ],
    ),
    (
        "Réparer l'extraction de la cabine de peinture n° 2",
        "lille-peinture",
        "chef.peinture",
        "qse.lille",
        "high",
        "corrective",
        10,
        [
            "start",
            "complete:Filtres changés.",
            "reopen:Mesure du débit d'air toujours sous le seuil : le moteur du ventilateur est en cause.",
        ],
    ),
    (
        "Acheter un second préchauffeur de poche",
        "lyon-fusion",
        "chef.fusion",
        "qse.lyon",
        "low",
        "improvement",
        60,
        ["cancel:Remplacé par la révision du préchauffeur existant, décidée en revue."],
    ),
    (
        "Former les nouveaux opérateurs à la fiche de sécurité du liquide de coupe",
        "lyon-usinage",
        "samuel.rousseau",
        "chef.usinage",
        "medium",
        "preventive",
        8,
        ["start", "postpone:30:Les deux intérimaires arrivent le mois prochain ; formation groupée."],
    ),
    (
        "Vérifier les extincteurs de la zone d'expédition",
        "lille-logistique",
        "zoe.blanc",
        "chef.log",
        "medium",
        "preventive",
        0,
        [],
    ),
]


@demo.register(60, "actions")
def load(ctx):
    units, people = ctx["units"], ctx["people"]
    today = timezone.localdate()
    for title, unit_code, owner, opener, priority, kind, days, steps in ACTIONS:
        unit = units[unit_code]
        if Action.objects.filter(title=title, unit=unit).exists():
            continue
        verifier = people["qse"]
        action = services.action_open(
            actor=people[opener],
            title=title,
            unit=unit,
            owner=people[owner],
            priority=priority,
            kind=kind,
            due_on=today + datetime.timedelta(days=days),
        )
        worker = people[owner]
        for step in steps:
            name, _sep, rest = step.partition(":")
            if name == "start":
                action = services.action_start(actor=worker, action=action)
            elif name == "complete":
                action = services.action_complete(actor=worker, action=action, note=rest)
            elif name == "verify":
                action = services.action_verify(actor=verifier, action=action, effective=True, note=rest)
            elif name == "reopen":
                action = services.action_verify(actor=verifier, action=action, effective=False, note=rest)
            elif name == "postpone":
                extra, _sep, reason = rest.partition(":")
                action = services.action_postpone(
                    actor=people[opener],
                    action=action,
                    reason=reason,
                    new_due_on=action.due_on + datetime.timedelta(days=int(extra)),
                )
            elif name == "cancel":
                action = services.action_cancel(actor=people[opener], action=action, reason=rest)
        if title.startswith("Installer"):
            services.action_comment(
                actor=people["qse.lyon"],
                action=action,
                text="Devis reçu du fournisseur, pose prévue la semaine prochaine.",
            )
    ctx["actions"] = list(Action.objects.filter(title__in=[a[0] for a in ACTIONS]))
