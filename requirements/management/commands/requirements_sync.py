from django.core.management.base import BaseCommand

from requirements.tasks import send_pending_invitations, sync_open_communications


class Command(BaseCommand):
    help = "Give requests to newcomers of open communications and send invitations that never left."

    def handle(self, *args, **options):
        created = sync_open_communications()
        retried = send_pending_invitations(min_age_seconds=0)
        self.stdout.write(f"{created} request(s) created for newcomers; {retried} communication(s) invited again.")
