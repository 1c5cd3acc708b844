"""Demo requirements: three sources, four requirements, one communication in progress with a mix
of answers (acknowledged, declined, exempted, pending). Idempotent: skipped when already there."""

import datetime

from django.utils import timezone

from core import demo
from requirements import services
from requirements.choices import SourceKind
from requirements.models import Requirement, Source

SOURCES = [
    (SourceKind.LAW, "Code du travail L4121-1", "Obligation générale de sécurité de l'employeur"),
    (SourceKind.STANDARD, "ISO 45001:2018 7.4", "Communication interne sur la santé et la sécurité"),
    (SourceKind.INTERNAL, "RI-EPI-01", "Règle interne : équipements de protection individuelle"),
]
REQUIREMENTS = [
    (
        "EPI-COULEE",
        "Port de l'écran facial et des guêtres en zone de coulée",
        "RI-EPI-01",
        "En zone de coulée, chaque personne porte :\n\n- l'écran facial aluminisé ;\n- les guêtres et gants "
        "de fondeur ;\n- la veste ignifugée.\n\nAucune dérogation sans accord écrit du chef d'atelier.",
    ),
    (
        "SECU-GENERALE",
        "Mesures de prévention de l'employeur",
        "Code du travail L4121-1",
        "L'employeur prend les mesures nécessaires pour assurer la sécurité et protéger la santé physique "
        "et mentale des travailleurs : prévention, information et formation, organisation adaptée.",
    ),
    (
        "COM-QSE",
        "Diffusion des consignes QSE aux équipes",
        "ISO 45001:2018 7.4",
        "Chaque nouvelle consigne est diffusée à l'équipe concernée et chaque personne confirme l'avoir lue.",
    ),
]


@demo.register(20, "requirements")
def load(ctx):
    units, people = ctx["units"], ctx["people"]
    qse = people["qse"]
    if Requirement.objects.filter(reference="EPI-COULEE").exists():
        return
    sources = {}
    for kind, ref, title in SOURCES:
        sources[ref] = Source.objects.filter(reference=ref).first() or services.source_create(
            actor=qse, unit=units["fonderie"], kind=kind, reference=ref, title=title
        )
    made = {}
    for ref, title, source, text in REQUIREMENTS:
        req = services.requirement_create(
            actor=qse, unit=units["lyon"], reference=ref, title=title, owner=qse, source=sources[source], text=text
        )
        services.version_approve(actor=qse, version=req.versions.get())
        made[ref] = req
    services.applicability_set(
        actor=qse,
        requirement=made["EPI-COULEE"],
        unit=units["lyon"],
        applicable=False,
        reason="Seule la fusion coule du métal",
    )
    services.applicability_set(actor=qse, requirement=made["EPI-COULEE"], unit=units["lyon-fusion"], applicable=True)
    today = timezone.localdate()
    services.evaluation_record(
        actor=qse,
        requirement=made["SECU-GENERALE"],
        unit=units["lyon-usinage"],
        result="compliant",
        evaluated_on=today - datetime.timedelta(days=40),
    )
    services.evaluation_record(
        actor=qse,
        requirement=made["COM-QSE"],
        unit=units["lyon"],
        result="partly",
        comment="Les intérimaires ne sont pas toujours inclus.",
    )
    comm = services.requirement_communicate(
        actor=qse,
        version=made["EPI-COULEE"].versions.get(),
        units=[units["lyon-fusion"]],
        due_on=today + datetime.timedelta(days=10),
        message="Nouvelle règle après le presque-accident du 3 mars.",
    )
    acks = {a.person.username: a for a in comm.acknowledgements.select_related("person")}
    for username in ("nathan.girard", "oceane.bonnet"):
        if username in acks:
            services.acknowledgement_confirm(
                actor=acks[username].person, ack=acks[username], ip_address="10.1.2.3", user_agent="Demo"
            )
    if "paul.dupont" in acks:
        services.acknowledgement_decline(
            actor=acks["paul.dupont"].person, ack=acks["paul.dupont"], reason="Pas de guêtres à ma taille au magasin."
        )
    if "quentin.lambert" in acks:
        services.acknowledgement_exempt(actor=qse, ack=acks["quentin.lambert"], reason="Arrêt maladie longue durée")
    services.requirement_communicate(
        actor=qse,
        version=made["COM-QSE"].versions.get(),
        units=[units["lyon"]],
        due_on=today + datetime.timedelta(days=20),
    )
