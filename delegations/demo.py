"""Demo delegation chain: the managing director to the Lyon site director, who hands part of it
to the head of the melting shop; both accepted with their signature."""

import datetime
from decimal import Decimal

from django.utils import timezone

from core import demo
from delegations import services
from delegations.models import Delegation
from organisation.demo import DEMO_PASSWORD


@demo.register(75, "delegations")
def load(ctx):
    units, people = ctx["units"], ctx["people"]
    dg, director, chef = people["dg"], people["dir.lyon"], people["chef.fusion"]
    if Delegation.objects.filter(delegator=dg, delegate=director).exists():
        return
    today = timezone.localdate()
    site = services.delegation_propose(
        actor=dg, delegator=dg, delegate=director, units=[units["lyon"]], domains=["safety", "environment"],
        competence="Ingénieur, 15 ans de direction industrielle ; formation santé-sécurité des dirigeants (2025).",
        authority="Organiser la prévention sur le site de Lyon, arrêter toute installation dangereuse, "
                  "sanctionner les manquements aux règles de sécurité, représenter l'entreprise auprès de "
                  "l'inspection du travail.",
        means="L'équipe QSE du site, le service maintenance, et le budget ci-dessous sans autorisation préalable.",
        budget=Decimal("250000"), starts_on=today, ends_on=today + datetime.timedelta(days=730),
    )
    services.delegation_accept(actor=director, delegation=site, password=DEMO_PASSWORD)
    shop = services.delegation_propose(
        actor=director, delegator=director, delegate=chef, units=[units["lyon-fusion"]], domains=["safety"],
        parent=site,
        competence="Chef d'atelier fusion depuis 8 ans ; habilitations fours et ponts roulants.",
        authority="Faire respecter les consignes de sécurité de l'atelier fusion, arrêter un four, "
                  "refuser l'accès à une personne non équipée.",
        means="Les équipes de l'atelier et un budget d'intervention de 30 000 EUR.",
        budget=Decimal("30000"), starts_on=today, ends_on=today + datetime.timedelta(days=365),
    )
    services.delegation_accept(actor=chef, delegation=shop, password=DEMO_PASSWORD)
