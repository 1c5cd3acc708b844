from django.core.management.base import BaseCommand
from django.db import transaction

from core import demo


class Command(BaseCommand):
    help = "Load the demo company (idempotent: a second run adds nothing)."

    def handle(self, *args, **options):
        ctx: dict = {}
        for _order, name, step in demo.steps():
            with transaction.atomic():
                step(ctx)
            self.stdout.write(f"demo: {name} ready")
