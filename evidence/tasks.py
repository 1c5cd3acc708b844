"""Celery tasks of the dossiers queue (routed by the "evidence.*" rule in settings).

Tasks take ids only. ``dossier_requeue_stale`` is for Celery beat (every 5 minutes): it hands
over requests that stayed queued because the broker was down when they were made.
"""

import datetime

from celery import shared_task
from django.utils import timezone

STALE_QUEUED = datetime.timedelta(minutes=2)


@shared_task(name="evidence.tasks.dossier_render", acks_late=True)
def dossier_render(request_id: int) -> str:
    from evidence import render

    req = render.run(request_id)
    return req.reference if req is not None else "skipped"


@shared_task(name="evidence.tasks.dossier_requeue_stale")
def dossier_requeue_stale() -> int:
    """Re-enqueue requests queued for a while (broker down at request time) or stuck rendering."""
    from evidence import services
    from evidence.choices import DossierStatus
    from evidence.models import DossierRequest

    now = timezone.now()
    queued = DossierRequest.objects.filter(status=DossierStatus.QUEUED, progress__updated_at__lt=now - STALE_QUEUED)
    stuck = DossierRequest.objects.filter(status=DossierStatus.RENDERING,
                                          started_at__lt=now - services.STALE_RENDERING)
    count = 0
    for req in list(queued.select_related("progress")) + list(stuck.select_related("progress")):
        if services.enqueue_render(req.pk):
            count += 1
            # Not again on the next run while a busy worker has yet to reach it.
            services.set_progress(req, req.progress.percent, req.progress.step)
    return count
