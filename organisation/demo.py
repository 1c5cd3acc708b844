"""Demo organisation: one company, 2 sites, 6 work units, about 30 people in every role."""

import datetime

from django.utils import timezone

from core import demo
from organisation.choices import Role, UnitKind
from organisation.demo_logins import DEMO_PASSWORD
from organisation.models import Membership, Unit, User
from organisation.services import membership_grant, person_create, unit_create

UNITS = [
    # code, kind, name, parent code, headcount
    ("fonderie", UnitKind.COMPANY, "Fonderie du Rhône", None, 240),
    ("lyon", UnitKind.SITE, "Site de Lyon-Gerland", "fonderie", 150),
    ("lyon-fusion", UnitKind.WORK_UNIT, "Fusion et coulée", "lyon", 45),
    ("lyon-usinage", UnitKind.WORK_UNIT, "Usinage", "lyon", 60),
    ("lyon-maintenance", UnitKind.WORK_UNIT, "Maintenance", "lyon", 25),
    ("lille", UnitKind.SITE, "Site de Lille-Lomme", "fonderie", 90),
    ("lille-logistique", UnitKind.WORK_UNIT, "Logistique et expédition", "lille", 40),
    ("lille-peinture", UnitKind.WORK_UNIT, "Peinture et finition", "lille", 35),
]

# username, first, last, job title, language, manager username, [(unit code, role)]
PEOPLE = [
    ("admin", "Alice", "Martin", "Responsable SI", "fr", None, [("fonderie", Role.ADMINISTRATOR)]),
    ("dg", "Bernard", "Lefèvre", "Directeur général", "fr", None, [("fonderie", Role.MANAGER)]),
    ("qse", "Claire", "Dubois", "Responsable QSE groupe", "fr", "dg",
     [("fonderie", Role.QSE_MANAGER)]),
    ("dir.lyon", "Denis", "Moreau", "Directeur de site Lyon", "fr", "dg", [("lyon", Role.MANAGER)]),
    ("qse.lyon", "Emma", "Laurent", "Animatrice QSE Lyon", "fr", "dir.lyon", [("lyon", Role.QSE_MANAGER)]),
    ("dir.lille", "Fabrice", "Simon", "Directeur de site Lille", "fr", "dg", [("lille", Role.MANAGER)]),
    ("qse.lille", "Grace", "Walker", "QSE coordinator Lille", "en", "dir.lille", [("lille", Role.QSE_MANAGER)]),
    ("chef.fusion", "Hugo", "Michel", "Chef d'atelier fusion", "fr", "dir.lyon", [("lyon-fusion", Role.MANAGER)]),
    ("chef.usinage", "Inès", "Garcia", "Cheffe d'atelier usinage", "fr", "dir.lyon",
     [("lyon-usinage", Role.MANAGER)]),
    ("chef.maint", "Jules", "David", "Responsable maintenance", "fr", "dir.lyon",
     [("lyon-maintenance", Role.MANAGER)]),
    ("chef.log", "Karim", "Bertrand", "Responsable logistique", "fr", "dir.lille",
     [("lille-logistique", Role.MANAGER)]),
    ("chef.peinture", "Laura", "Roux", "Cheffe d'atelier peinture", "fr", "dir.lille",
     [("lille-peinture", Role.MANAGER)]),
    ("auditeur", "Marc", "Fontaine", "Auditeur externe ISO 45001", "fr", None, []),
]
STAFF = [
    ("lyon-fusion", "chef.fusion", [("Nathan", "Girard"), ("Océane", "Bonnet"), ("Paul", "Dupont"),
                                    ("Quentin", "Lambert"), ("Rose", "Fontaine")]),
    ("lyon-usinage", "chef.usinage", [("Samuel", "Rousseau"), ("Théo", "Vincent"), ("Ugo", "Muller"),
                                      ("Valentine", "Lefebvre")]),
    ("lyon-maintenance", "chef.maint", [("William", "Faure"), ("Xavier", "André"), ("Yasmine", "Mercier")]),
    ("lille-logistique", "chef.log", [("Zoé", "Blanc"), ("Adam", "Guerin"), ("Bilal", "Boyer")]),
    ("lille-peinture", "chef.peinture", [("Camille", "Garnier"), ("Dylan", "Chevalier"), ("Elsa", "François")]),
]



def _person(actor, username, first, last, job, language, manager, people):
    existing = User.objects.filter(username=username).first()
    if existing:
        return existing
    person = person_create(
        actor=actor, username=username, email=f"{username}@fonderie-du-rhone.example", first_name=first,
        last_name=last, job_title=job, language=language, manager=people.get(manager), password=DEMO_PASSWORD,
    )
    return person


@demo.register(10, "organisation")
def load(ctx):
    root = User.objects.filter(username="siris").first()
    if root is None:
        root = User.objects.create_superuser("siris", "siris@fonderie-du-rhone.example", DEMO_PASSWORD)
    ctx["root"] = root
    units = {}
    for code, kind, name, parent, headcount in UNITS:
        unit = Unit.objects.filter(code=code).first() or unit_create(
            actor=root, kind=kind, name=name, code=code, parent=units.get(parent), headcount=headcount
        )
        units[code] = unit
    people = {}
    today = timezone.localdate()
    for username, first, last, job, language, manager, roles in PEOPLE:
        people[username] = _person(root, username, first, last, job, language, manager, people)
        for unit_code, role in roles:
            if not Membership.objects.filter(user=people[username], unit=units[unit_code], role=role).exists():
                membership_grant(actor=root, user=people[username], unit=units[unit_code], role=role,
                                 starts_on=today - datetime.timedelta(days=400))
    for unit_code, manager, names in STAFF:
        for first, last in names:
            username = f"{first}.{last}".lower().replace("é", "e").replace("ç", "c").replace("è", "e")
            username = username.replace("ï", "i").replace("ô", "o")
            person = _person(root, username, first, last, "Opérateur·rice", "fr", manager, people)
            people[username] = person
            if not Membership.objects.filter(user=person, unit=units[unit_code]).exists():
                membership_grant(actor=root, user=person, unit=units[unit_code], role=Role.STAFF,
                                 starts_on=today - datetime.timedelta(days=300))
    auditor = people["auditeur"]
    if not Membership.objects.filter(user=auditor, role=Role.AUDITOR).exists():
        membership_grant(actor=root, user=auditor, unit=units["lyon"], role=Role.AUDITOR,
                         ends_on=today + datetime.timedelta(days=13), note="Audit de certification ISO 45001")
    ctx["units"] = units
    ctx["people"] = people
