"""The Evidence card (files and the Proof dossier button) of the evidence app, when installed.

Rendered here rather than with ``{% load evidence %}`` so the decision and alarm pages still work
on an installation without the evidence app.
"""

from django.apps import apps
from django.middleware.csrf import get_token
from django.template.loader import render_to_string


def evidence_card(request, obj) -> str:
    if not apps.is_installed("evidence"):
        return ""
    from evidence.templatetags.evidence import evidence_panel

    context = evidence_panel({"request": request, "csrf_token": get_token(request)}, obj)
    return render_to_string("evidence/_record_panel.html", context)
