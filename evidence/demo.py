"""Demo evidence: the Lyon site's ISO 45001 certificate summary and a fire-drill record, as text files.

Real files of the demo company would be scans; these small text files stand in for them and say
so in their own content. Idempotent: a second run attaches nothing.
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core import demo
from evidence.models import Evidence
from evidence.services import evidence_attach

FILES = [
    ("lyon", "qse.lyon", "Exercice d'évacuation incendie 2026", "exercice-evacuation-2026.txt",
     "Compte rendu d'exercice d'évacuation (fichier de démonstration Siris).\n"
     "Site de Lyon-Gerland. Durée d'évacuation : 4 min 10 s. 148 personnes comptées au point de rassemblement.\n",
     120, None),
    ("lyon-fusion", "qse.lyon", "Vérification périodique du pont roulant", "verification-pont-roulant.csv",
     "date;organisme;resultat\n2026-03-02;Organisme agréé (démo);conforme\n", 90, 275),
]


@demo.register(80, "evidence")
def load(ctx):
    units, people = ctx["units"], ctx["people"]
    today = timezone.localdate()
    for unit_code, username, title, name, text, days_ago, valid_days in FILES:
        unit = units[unit_code]
        if Evidence.objects.filter(target_type="organisation.unit", target_id=str(unit.pk), title=title).exists():
            continue
        effective = today - datetime.timedelta(days=days_ago)
        evidence_attach(
            actor=people[username], target=unit, upload=SimpleUploadedFile(name, text.encode("utf-8")),
            title=title, effective_on=effective,
            expires_on=effective + datetime.timedelta(days=valid_days) if valid_days else None,
        )
