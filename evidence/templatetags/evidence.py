"""Template tags other apps put on their record pages.

    {% load evidence %}
    {% evidence_panel record %}     the Evidence card: files (all versions), Attach, Proof dossier
"""

from django import template

from core import access
from core.ledger import label_for

register = template.Library()


@register.inclusion_tag("evidence/_record_panel.html", takes_context=True)
def evidence_panel(context, obj):
    from evidence import selectors, targets

    user = context["request"].user
    unit = targets.unit_of(obj)
    return {
        "request": context["request"], "csrf_token": context.get("csrf_token"),
        "target": f"{label_for(obj)}:{obj.pk}", "files": list(selectors.evidence_for_record(obj)),
        "can_upload": access.can(user, "evidence.upload", unit),
        "can_dossier": access.can(user, "dossier.request", unit),
    }
