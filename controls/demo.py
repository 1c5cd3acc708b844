"""Demo controls: 25 periodic checks over the work units, with a year of inspections recorded
through the services (some late, some failed or partial, some dates missed, a few controls
overdue today). Random choices use a fixed seed, so every load gives the same register."""

import datetime
import random

from django.utils import timezone

from controls.choices import ControlKind as K
from controls.choices import FrequencyUnit as F
from controls.models import Control
from controls.services import control_create, control_set_links, inspection_record
from core import demo

P, D, X = K.PREVENTIVE, K.DETECTIVE, K.PROTECTIVE

# unit code, title, kind, (count, unit), checklist (text, required), risk keyword, stops early (overdue today)
CONTROLS = [
    ("lyon-fusion", "Vérification périodique des extincteurs", X, (1, F.MONTH),
     [("Manomètre dans le vert", True), ("Scellé et goupille en place", True), ("Accès dégagé", True),
      ("Étiquette de vérification lisible", False)], "incendie", False),
    ("lyon-fusion", "Contrôle des EPI de coulée (écrans, tabliers aluminisés)", X, (1, F.MONTH),
     [("Écrans faciaux sans fissure", True), ("Tabliers aluminisés intacts", True), ("Guêtres disponibles", True)],
     "projection", False),
    ("lyon-fusion", "Mesure d'exposition au bruit (dosimétrie)", D, (6, F.MONTH), [], "bruit", False),
    ("lyon-fusion", "Contrôle des captages de fumées de fusion", P, (3, F.MONTH),
     [("Débit d'aspiration conforme", True), ("Gaines sans fuite", True)], "fumées", False),
    ("lyon-fusion", "Vérification générale des ponts roulants et élingues", P, (3, F.MONTH),
     [("Crochets et linguets", True), ("Élingues marquées et sans torons cassés", True),
      ("Fins de course fonctionnels", True)], "levage", True),
    ("lyon-usinage", "Contrôle des carters de protection des machines", P, (1, F.MONTH),
     [("Carters en place sur tours et fraiseuses", True), ("Interverrouillages fonctionnels", True),
      ("Écrans anti-copeaux présents", False)], "machine", False),
    ("lyon-usinage", "Test des arrêts d'urgence", D, (1, F.MONTH),
     [("Chaque coup-de-poing arrête la machine", True), ("Réarmement volontaire nécessaire", True)], "machine",
     False),
    ("lyon-usinage", "Vérification des EPI (lunettes, gants anti-coupure)", X, (1, F.MONTH),
     [("Stock de lunettes suffisant", True), ("Gants anti-coupure niveau adapté", True)], "coupure", False),
    ("lyon-usinage", "Mesure de bruit aux postes d'usinage", D, (6, F.MONTH), [], "bruit", False),
    ("lyon-usinage", "Contrôle des fluides de coupe (concentration, bactéries)", P, (1, F.MONTH),
     [("Concentration dans la plage", True), ("Test bactérien négatif", True)], "chimique", False),
    ("lyon-maintenance", "Consignation : contrôle des cadenas et du registre", P, (1, F.MONTH),
     [("Cadenas nominatifs complets", True), ("Registre de consignation à jour", True)], "électrique", False),
    ("lyon-maintenance", "Vérification des échafaudages et échelles", P, (3, F.MONTH),
     [("Échelles sans barreau endommagé", True), ("Garde-corps d'échafaudage complets", True)], "chute", True),
    ("lyon-maintenance", "Vérification des appareils de levage portatifs", P, (6, F.MONTH),
     [("Palans : frein et crochet", True)], "levage", False),
    ("lyon-maintenance", "Vérification des installations électriques", D, (1, F.YEAR), [], "électrique", False),
    ("lyon-maintenance", "Contrôle des armoires de produits chimiques", P, (1, F.MONTH),
     [("Rétentions propres", True), ("Fiches de données de sécurité affichées", True)], "chimique", False),
    ("lille-logistique", "Contrôle des chariots élévateurs (CACES, prise de poste)", P, (1, F.WEEK),
     [("Freins et frein de parc", True), ("Avertisseur sonore et gyrophare", True), ("Fourches sans fissure", True),
      ("Ceinture de sécurité", True)], "chariot", False),
    ("lille-logistique", "Vérification des racks de stockage", P, (3, F.MONTH),
     [("Lisses et échelles non déformées", True), ("Plaques de charge affichées", True)], "stockage", False),
    ("lille-logistique", "Contrôle des quais de chargement et cales", P, (1, F.MONTH),
     [("Cales de roues disponibles", True), ("Feux de quai fonctionnels", True)], "chariot", True),
    ("lille-logistique", "Vérification périodique des extincteurs", X, (1, F.MONTH),
     [("Manomètre dans le vert", True), ("Scellé et goupille en place", True), ("Accès dégagé", True)],
     "incendie", False),
    ("lille-logistique", "Contrôle du balisage des allées piétons", P, (1, F.MONTH),
     [("Marquage au sol visible", True), ("Barrières en place", True)], "circulation", False),
    ("lille-peinture", "Contrôle de la cabine de peinture (ventilation, filtres)", P, (1, F.MONTH),
     [("Dépression de la cabine conforme", True), ("Filtres changés selon le plan", True)], "solvant", False),
    ("lille-peinture", "Vérification des EPI respiratoires (cartouches, masques)", X, (2, F.WEEK),
     [("Cartouches dans leur date", True), ("Masques nettoyés et rangés", True)], "solvant", False),
    ("lille-peinture", "Contrôle du stockage des solvants (rétention, ATEX)", P, (1, F.MONTH),
     [("Rétention sans fuite", True), ("Matériel ATEX en zone", True), ("Quantités sous le seuil", True)],
     "incendie", True),
    ("lille-peinture", "Mesure d'exposition aux COV", D, (6, F.MONTH), [], "solvant", False),
    ("lille-peinture", "Vérification des douches de sécurité et rince-œil", D, (1, F.MONTH),
     [("Débit suffisant", True), ("Eau claire après écoulement", True)], "chimique", False),
]

OWNERS = {"lyon-fusion": "chef.fusion", "lyon-usinage": "chef.usinage", "lyon-maintenance": "chef.maint",
          "lille-logistique": "chef.log", "lille-peinture": "chef.peinture"}
QSE = {"lyon": "qse.lyon", "lille": "qse.lille"}
FINDINGS = {
    "fail": ["Non-conformité constatée, mise en sécurité immédiate.", "Équipement hors service, retiré du poste.",
             "Défaut majeur : intervention de la maintenance demandée."],
    "partial": ["Écart mineur, à corriger sous huit jours.", "Un point à reprendre, le reste est conforme."],
}


def _at(day: datetime.date, rng) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(rng.randint(7, 15), rng.choice([0, 30]))))


def _find_risk(unit, keyword):
    try:
        from risks.models import Risk
    except ImportError:
        return None
    return (Risk.objects.filter(unit=unit, title__icontains=keyword).first()
            or Risk.objects.filter(unit=unit, hazard__icontains=keyword).first())


def _inspect_for_a_year(control, performers, rng, stop_early: bool):
    """Walk the schedule: most dates done on the day or a little late, a few missed."""
    today = timezone.localdate()
    last_day = today - datetime.timedelta(days=45 if stop_early else 1)
    from controls import schedule

    due = control.next_due_on
    last_at = None
    while due <= last_day:
        if rng.random() < 0.08:  # this date passes without an inspection
            due = schedule.add(due, control.frequency_count, control.frequency_unit)
            continue
        delay = rng.choice([0, 0, 0, -1, 1, 2, 6]) if rng.random() < 0.35 else 0
        day = min(max(due + datetime.timedelta(days=delay), control.in_service_since), last_day)
        roll = rng.random()
        result = "fail" if roll < 0.07 else "partial" if roll < 0.15 else "pass"
        items = list(control.checklist_items.filter(is_active=True).order_by("position"))
        answers = {str(i.pk): {"answer": "ok"} for i in items}
        if result != "pass" and items:
            bad = rng.choice([i for i in items if i.required] or items)
            answers[str(bad.pk)] = {"answer": "not_ok", "note": rng.choice(FINDINGS[result])}
        performed_at = _at(day, rng)
        if last_at is not None and performed_at <= last_at:  # inspections are recorded in order
            performed_at = last_at + datetime.timedelta(hours=1)
        last_at = performed_at
        inspection_record(actor=rng.choice(performers), control=control, performed_at=performed_at, result=result,
                          answers=answers, findings=rng.choice(FINDINGS[result]) if result != "pass" else "")
        control.refresh_from_db()
        due = control.next_due_on


@demo.register(40, "controls")
def load(ctx):
    units, people = ctx["units"], ctx["people"]
    rng = random.Random(20261204)  # noqa: S311 (demo data, not security)
    today = timezone.localdate()
    for index, (code, title, kind, (count, freq), checklist, keyword, stop_early) in enumerate(CONTROLS):
        unit = units[code]
        if Control.objects.filter(unit=unit, title=title).exists():
            continue
        owner = people[OWNERS[code]]
        qse = people[QSE[code.split("-")[0]]]
        control = control_create(
            actor=qse, unit=unit, owner=owner, title=title, kind=kind, frequency_count=count, frequency_unit=freq,
            description="", in_service_since=today - datetime.timedelta(days=400),
            next_due_on=today - datetime.timedelta(days=365 - index % 20),
            checklist=[{"text": text, "required": required} for text, required in checklist])
        risk = _find_risk(unit, keyword)
        if risk is not None:
            control_set_links(actor=qse, control=control, risks=[risk], reason="mesure de maîtrise du risque")
        _inspect_for_a_year(control, [owner, owner, qse], rng, stop_early)
