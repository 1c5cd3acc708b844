"""Demo register: about 40 risks over the work units and sites of the Fonderie du Rhône, with 1 to 3
assessments each over the past year. The assessments are dated in the past (when the assessment was
made); Siris records them today, which their history and ledger entries say honestly."""

import datetime

from django.utils import timezone

from core import demo
from risks import services
from risks.choices import RiskCategory as C
from risks.models import Risk

S, H, E, Q = C.SAFETY, C.HEALTH, C.ENVIRONMENT, C.QUALITY

# unit code -> [(title, hazard, situation, consequences, category, [(days ago, il, is, rl, rs, measures)])]
RISKS = {
    "lyon-fusion": [
        (
            "Projections de métal en fusion",
            "Métal liquide à 1 450 °C",
            "Coulée en poche près du four à induction",
            "Brûlures graves, décès",
            S,
            [
                (330, 3, 4, 2, 4, "EPI aluminisés, écran de coulée"),
                (120, 3, 4, 2, 3, "EPI aluminisés, écran de coulée, zone balisée"),
            ],
        ),
        (
            "Brûlures au décrassage",
            "Surfaces et outils chauds",
            "Décrassage manuel du four",
            "Brûlures des mains et avant-bras",
            S,
            [(300, 3, 3, 2, 2, "Gants longs, outils à manche long")],
        ),
        (
            "Explosion par contact eau / métal",
            "Humidité dans les charges",
            "Chargement de ferrailles humides",
            "Explosion, projections, décès",
            S,
            [(280, 2, 4, 1, 4, "Séchage des charges, contrôle visuel")],
        ),
        (
            "Exposition aux fumées métalliques",
            "Fumées et poussières de fonderie",
            "Coulée et décochage",
            "Maladies respiratoires",
            H,
            [(250, 3, 3, 2, 3, "Captage à la source, masques FFP3")],
        ),
        (
            "Contrainte thermique",
            "Chaleur rayonnante",
            "Postes proches des fours en été",
            "Coup de chaleur, malaise",
            H,
            [(200, 3, 2, 2, 2, "Pauses, eau fraîche, rotation des postes")],
        ),
        (
            "Chute de poche de coulée",
            "Charge suspendue",
            "Déplacement de la poche au pont roulant",
            "Écrasement, brûlures",
            S,
            [
                (310, 2, 4, 1, 4, "Vérification périodique du pont, balisage"),
                (90, 2, 4, 1, 3, "Télécommande, zone d'exclusion"),
            ],
        ),
        (
            "Bruit au décochage",
            "Grille vibrante de décochage",
            "Décochage des moules",
            "Surdité professionnelle",
            H,
            [(180, 4, 2, 2, 2, "Bouchons moulés, cabine")],
        ),
    ],
    "lyon-usinage": [
        (
            "Happement par le mandrin du tour",
            "Pièces en rotation",
            "Réglage du tour sans arrêt de la broche",
            "Happement, amputation",
            S,
            [
                (340, 2, 4, 1, 4, "Carter avec interverrouillage"),
                (150, 2, 4, 1, 3, "Carter interverrouillé, formation au réglage"),
                (20, 2, 4, 1, 2, "Carter interverrouillé, mode réglage vitesse réduite"),
            ],
        ),
        (
            "Bruit des centres d'usinage",
            "Bruit > 85 dB(A)",
            "Usinage d'ébauche en continu",
            "Surdité professionnelle",
            H,
            [(260, 4, 2, 3, 2, "Bouchons d'oreille"), (60, 4, 2, 2, 2, "Capotage, bouchons moulés")],
        ),
        (
            "Projection de copeaux",
            "Copeaux chauds et coupants",
            "Usinage sans écran",
            "Blessure aux yeux",
            S,
            [(230, 3, 2, 2, 2, "Lunettes, écrans")],
        ),
        (
            "Exposition aux fluides de coupe",
            "Huiles solubles",
            "Contact cutané et brouillards",
            "Dermatoses, irritation respiratoire",
            H,
            [(210, 3, 2, 2, 2, "Gants nitrile, aspiration des brouillards")],
        ),
        (
            "Manutention des pièces brutes",
            "Charges de 15 à 25 kg",
            "Chargement manuel des machines",
            "Troubles musculo-squelettiques",
            H,
            [(190, 3, 2, 2, 2, "Potence de levage")],
        ),
        (
            "Coupure à l'ébavurage",
            "Arêtes vives",
            "Ébavurage manuel",
            "Coupures",
            S,
            [(170, 3, 1, 2, 1, "Gants anticoupure")],
        ),
        (
            "Non-conformité dimensionnelle livrée",
            "Dérive des outils",
            "Série sans contrôle intermédiaire",
            "Réclamation client, rappel de pièces",
            Q,
            [(140, 2, 3, 1, 3, "Contrôle SPC toutes les 50 pièces")],
        ),
    ],
    "lyon-maintenance": [
        (
            "Électrisation lors d'une intervention",
            "Armoires électriques sous tension",
            "Intervention sans consignation électrique",
            "Électrisation, électrocution",
            S,
            [
                (350, 2, 4, 1, 4, "Habilitations électriques"),
                (100, 2, 4, 1, 3, "Habilitations, procédure de consignation"),
            ],
        ),
        (
            "Chute de hauteur",
            "Travail en hauteur",
            "Intervention sur pont roulant et toiture",
            "Chute, décès",
            S,
            [(320, 3, 4, 2, 4, "Nacelle, harnais"), (45, 3, 4, 1, 4, "Nacelle, harnais, permis de travail")],
        ),
        (
            "Redémarrage intempestif",
            "Énergies mécaniques et hydrauliques",
            "Maintenance sans consignation des énergies",
            "Écrasement, happement",
            S,
            [(240, 2, 4, 1, 4, "Cadenas individuels")],
        ),
        (
            "Exposition à l'amiante",
            "Anciens joints de four",
            "Démontage d'éléments anciens",
            "Maladies graves à long terme",
            H,
            [(220, 1, 4, 1, 4, "Repérage amiante avant travaux")],
        ),
        (
            "Travail isolé",
            "Intervention seul la nuit",
            "Astreinte de maintenance",
            "Secours tardifs",
            S,
            [(160, 2, 3, 2, 2, "Dispositif d'alarme travailleur isolé")],
        ),
        (
            "Incendie au point chaud",
            "Soudage et meulage",
            "Travaux par points chauds",
            "Incendie",
            S,
            [(130, 2, 3, 1, 3, "Permis de feu, extincteur au poste")],
        ),
    ],
    "lille-logistique": [
        (
            "Collision avec un chariot élévateur",
            "Chariots élévateurs",
            "Circulation piétons et chariots dans l'entrepôt",
            "Écrasement, fractures",
            S,
            [
                (335, 3, 4, 2, 4, "Marquage au sol"),
                (110, 3, 4, 2, 3, "Marquage, allées piétonnes séparées, CACES"),
                (10, 3, 4, 1, 3, "Allées séparées, détection de piétons"),
            ],
        ),
        (
            "Renversement de chariot",
            "Chariot élévateur en charge",
            "Virage en charge haute",
            "Écrasement du conducteur",
            S,
            [(290, 2, 4, 1, 4, "Ceinture, formation CACES")],
        ),
        (
            "Manutention manuelle des colis",
            "Colis lourds",
            "Préparation de commandes",
            "Lombalgies, TMS",
            H,
            [
                (270, 4, 2, 3, 2, "Formation gestes et postures"),
                (80, 4, 2, 2, 2, "Table élévatrice, formation"),
            ],
        ),
        (
            "Chute de charges depuis les racks",
            "Stockage en hauteur",
            "Rayonnages endommagés",
            "Blessures graves",
            S,
            [(245, 2, 3, 1, 3, "Inspection annuelle des racks")],
        ),
        (
            "Quai de chargement",
            "Départ du camion pendant le chargement",
            "Chargement au quai",
            "Chute du chariot, écrasement",
            S,
            [(205, 2, 4, 1, 4, "Cales, feux de quai")],
        ),
        (
            "Travail au froid",
            "Quai ouvert en hiver",
            "Expédition en période froide",
            "Affections liées au froid",
            H,
            [(175, 3, 1, 2, 1, "Vêtements chauds, local de pause chauffé")],
        ),
        (
            "Casse lors du transport",
            "Emballage insuffisant",
            "Expédition de pièces usinées",
            "Pièces abîmées, réclamation",
            Q,
            [(150, 2, 2, 1, 2, "Emballage renforcé")],
        ),
    ],
    "lille-peinture": [
        (
            "Exposition aux solvants (COV)",
            "Peintures solvantées",
            "Application au pistolet en cabine",
            "Intoxication, atteintes neurologiques",
            H,
            [
                (345, 3, 3, 2, 3, "Cabine ventilée"),
                (95, 3, 3, 2, 2, "Cabine ventilée, masques à cartouche A2"),
            ],
        ),
        (
            "Incendie ou explosion en cabine (ATEX)",
            "Atmosphère explosive",
            "Vapeurs de solvants en cabine",
            "Incendie, explosion, décès",
            S,
            [
                (325, 2, 4, 1, 4, "Matériel ATEX, zonage"),
                (55, 2, 4, 1, 3, "Matériel ATEX, zonage, détection de gaz"),
            ],
        ),
        (
            "Stockage des produits inflammables",
            "Liquides inflammables",
            "Stockage en bidons à l'atelier",
            "Incendie",
            S,
            [(265, 2, 4, 1, 3, "Armoire coupe-feu ventilée")],
        ),
        (
            "Déversement de peinture",
            "Produits dangereux pour l'environnement",
            "Transvasement des fûts",
            "Pollution des sols et des eaux",
            E,
            [(225, 2, 3, 1, 2, "Bacs de rétention, kit antipollution")],
        ),
        (
            "Rejets de COV à l'atmosphère",
            "Émissions de solvants",
            "Fonctionnement des cabines",
            "Dépassement des valeurs limites d'émission",
            E,
            [(185, 3, 2, 2, 2, "Plan de gestion des solvants")],
        ),
        (
            "Projection de produit dans les yeux",
            "Produits de nettoyage",
            "Nettoyage des pistolets",
            "Lésion oculaire",
            S,
            [(155, 2, 2, 1, 2, "Lunettes, lave-œil")],
        ),
        (
            "Défaut d'aspect de la peinture",
            "Poussière en cabine",
            "Application sans filtres changés",
            "Retouches, rebuts",
            Q,
            [(125, 3, 2, 2, 1, "Changement des filtres planifié")],
        ),
    ],
}

OWNERS = {
    "lyon-fusion": "chef.fusion",
    "lyon-usinage": "chef.usinage",
    "lyon-maintenance": "chef.maint",
    "lille-logistique": "chef.log",
    "lille-peinture": "chef.peinture",
}
ASSESSORS = {"lyon": "qse.lyon", "lille": "qse.lille"}


@demo.register(30, "risks")
def load(ctx):
    units, people = ctx["units"], ctx["people"]
    today = timezone.localdate()
    actor = people["qse"]
    # 34 risks over the five work units, then 4 site-wide risks: 38 in all.
    for code, risks in RISKS.items():
        unit = units[code]
        site = "lyon" if code.startswith("lyon") else "lille"
        assessor = people[ASSESSORS[site]]
        for title, hazard, situation, consequences, category, assessments in risks:
            if Risk.objects.filter(unit=unit, title=title).exists():
                continue
            risk = services.risk_create(
                actor=actor,
                unit=unit,
                title=title,
                hazard=hazard,
                situation=situation,
                consequences=consequences,
                category=category,
                owner=people[OWNERS[code]],
            )
            for days, il, is_, rl, rs, measures in sorted(assessments, reverse=True):
                services.risk_assess(
                    actor=assessor,
                    risk=risk,
                    assessed_on=today - datetime.timedelta(days=days),
                    inherent_likelihood=il,
                    inherent_severity=is_,
                    residual_likelihood=rl,
                    residual_severity=rs,
                    existing_measures=measures,
                    rationale=f"Évaluation en atelier avec l'équipe : {measures}.",
                )
    site_risks = [
        (
            "lyon",
            "Circulation sur le site de Lyon",
            "Véhicules et piétons",
            "Livraisons dans la cour",
            "Heurt de piéton",
            S,
            [(200, 3, 3, 2, 3, "Plan de circulation, gilets")],
        ),
        (
            "lyon",
            "Risque routier des déplacements",
            "Conduite de véhicules",
            "Déplacements entre les sites",
            "Accident de la route",
            S,
            [(160, 2, 4, 2, 3, "Politique de déplacements, visioconférence")],
        ),
        (
            "lille",
            "Inondation du site de Lille",
            "Crue de la Deûle",
            "Fortes pluies",
            "Pollution, arrêt de production",
            E,
            [(210, 1, 3, 1, 3, "Produits stockés en hauteur")],
        ),
        (
            "lille",
            "Rupture d'approvisionnement en gaz",
            "Alimentation des étuves",
            "Coupure réseau",
            "Retards de livraison",
            Q,
            [(140, 2, 2, 2, 2, "Contrat de secours")],
        ),
    ]
    for code, title, hazard, situation, consequences, category, assessments in site_risks:
        unit = units[code]
        if Risk.objects.filter(unit=unit, title=title).exists():
            continue
        risk = services.risk_create(
            actor=actor,
            unit=unit,
            title=title,
            hazard=hazard,
            situation=situation,
            consequences=consequences,
            category=category,
            owner=people[f"dir.{code}"],
        )
        for days, il, is_, rl, rs, measures in assessments:
            services.risk_assess(
                actor=people[ASSESSORS[code]],
                risk=risk,
                assessed_on=today - datetime.timedelta(days=days),
                inherent_likelihood=il,
                inherent_severity=is_,
                residual_likelihood=rl,
                residual_severity=rs,
                existing_measures=measures,
                rationale=f"Évaluation annuelle du site : {measures}.",
            )
