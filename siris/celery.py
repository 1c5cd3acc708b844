"""Celery application. Tasks take ids only and are enqueued after commit (see core.tasks)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siris.settings")

app = Celery("siris")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
