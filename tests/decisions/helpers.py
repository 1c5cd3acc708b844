"""Builders for decision and alarm tests, through the services like real data."""

import datetime

from django.utils import timezone

from decisions import services


def decision(org, *, actor=None, unit=None, approvers=None, submit=False, **extra):
    made = services.decision_create(
        actor=actor or org.qse, unit=unit or org.assembly, subject=extra.pop("subject", "Replace the guard"),
        decision_text=extra.pop("decision_text", "We replace the press guard this week."),
        context=extra.pop("context", "The guard of press 3 is broken."),
        options=extra.pop("options", "Stop the press; repair; replace."), rationale="Safety first.",
        approvers=approvers if approvers is not None else [org.manager], **extra,
    )
    if submit:
        made = services.decision_submit(actor=actor or org.qse, decision=made)
    return made


def alarm(org, *, actor=None, unit=None, addressees=None, hours=48, **extra):
    return services.alarm_raise(
        actor=actor or org.qse, unit=unit or org.assembly, title=extra.pop("title", "Broken machine guard"),
        description=extra.pop("description", "The guard of press 3 is broken; operators are exposed."),
        severity=extra.pop("severity", "high"), respond_by=timezone.now() + datetime.timedelta(hours=hours),
        addressees=addressees if addressees is not None else [org.manager], **extra,
    )
