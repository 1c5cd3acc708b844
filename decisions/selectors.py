"""Reads of decisions and alarms shared by screens, API, dashboards and dossiers."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from core import access, ledger
from decisions import links as link_registry
from decisions.choices import AlarmStatus, DecisionStatus, SignatureMeaning
from decisions.models import Alarm, AlarmAddressee, AlarmEscalation, Decision, DecisionApprover, Signature
from organisation.choices import Role

ALARM_READERS = frozenset({Role.ADMINISTRATOR, Role.QSE_MANAGER, Role.AUDITOR})


# --- decisions ---------------------------------------------------------------------------------

def decisions_visible_to(user):
    """Decisions of the units the user holds a role on, and those they are asked to sign."""
    scoped = access.visible_to(Decision.objects.all(), user)
    if access.is_superuser(user) or not user.is_authenticated:
        return scoped
    asked = DecisionApprover.objects.filter(decision=OuterRef("pk"), approver=user)
    return Decision.objects.filter(Q(pk__in=scoped.values("pk")) | Exists(asked))


def get_decision_for_user(user, pk) -> Decision:
    try:
        return decisions_visible_to(user).select_related("unit", "author", "previous").get(pk=pk)
    except (Decision.DoesNotExist, ValueError, TypeError):
        raise Http404("No such decision.") from None


def _with_signatures(queryset):
    return queryset.prefetch_related(
        Prefetch("approvers", queryset=DecisionApprover.objects.select_related("approver")),
        Prefetch("signatures", queryset=Signature.objects.select_related("signer")),
    )


def decision_list(user, *, q="", status="", unit=None, kind="", mine="", sort="-created_at"):
    decisions = decisions_visible_to(user).select_related("unit", "author")
    if q:
        decisions = decisions.filter(Q(subject__icontains=q) | Q(decision_text__icontains=q))
    if status:
        decisions = decisions.filter(status=status)
    if kind:
        decisions = decisions.filter(kind=kind)
    if unit is not None:
        decisions = decisions.filter(unit__path__startswith=unit.path)
    if mine == "sign":
        decisions = decisions.filter(status=DecisionStatus.SUBMITTED, approvers__approver=user).exclude(
            signatures__signer=user)
    allowed = {"created_at", "-created_at", "subject", "-subject", "status", "-status", "decided_at", "-decided_at"}
    return _with_signatures(decisions.order_by(sort if sort in allowed else "-created_at", "-id"))


def approver_states(decision: Decision) -> list[dict]:
    """Each approver with their signature (name, time, meaning), from prefetched rows if present."""
    signatures = {s.signer_id: s for s in decision.signatures.all()}
    return [{"approver": a.approver, "signature": signatures.get(a.approver_id)} for a in decision.approvers.all()]


def decisions_to_sign(user, limit=20):
    pending = DecisionApprover.objects.filter(approver=user, decision__status=DecisionStatus.SUBMITTED).exclude(
        decision__signatures__signer=user)
    return list(Decision.objects.filter(pk__in=pending.values("decision_id")).select_related("unit")
                .order_by("submitted_at")[:limit])


def link_rows(owner) -> list[dict]:
    return [{"type": link.target_type, "type_label": link_registry.label_of(link.target_type),
             "id": link.target_id, "label": link.label, "url": link_registry.url_of(link.target_type, link.target_id)}
            for link in owner.links.all()]


def decision_revisions(decision: Decision) -> list[Decision]:
    """All revisions of the decision, oldest first (walks the chain both ways)."""
    chain = []
    walker = decision
    while walker.previous_id:
        walker = Decision.objects.select_related("previous").get(pk=walker.previous_id)
        chain.insert(0, walker)
    chain.append(decision)
    walker = decision
    while True:
        nxt = Decision.objects.filter(previous=walker).first()
        if nxt is None:
            break
        chain.append(nxt)
        walker = nxt
    return chain


def decision_dossier_data(decision: Decision) -> dict:
    """Everything a proof dossier prints about a decision: content, signatures, links, ledger."""
    from decisions.services import decision_content, decision_content_hash

    decision = _with_signatures(Decision.objects.select_related("unit", "author", "previous")).get(pk=decision.pk)
    return {
        "decision": decision,
        "content": decision_content(decision),
        "content_hash_now": decision_content_hash(decision),
        "content_hash_submitted": decision.content_hash,
        "approvers": approver_states(decision),
        "signatures": [
            {"signer": s.signer.get_full_name() or s.signer.username, "signer_id": s.signer_id,
             "meaning": s.meaning, "meaning_label": s.get_meaning_display(), "signed_at": s.signed_at,
             "comment": s.comment, "content_hash": s.content_hash}
            for s in decision.signatures.all()
        ],
        "links": link_rows(decision),
        "planned_actions": list(decision.planned_actions.select_related("owner")),
        "revisions": [{"id": d.pk, "revision": d.revision, "status": d.status} for d in decision_revisions(decision)],
        "ledger": list(ledger.timeline(decision)),
    }


def decisions_as_of(unit, on: datetime.date) -> list[dict]:
    """Decisions of the unit and below as they stood at the end of day ``on``, with signatures then."""
    moment = _end_of(on)
    rows = list(Decision.history.as_of(moment).filter(unit__path__startswith=unit.path).order_by("id"))
    signatures = Signature.history.as_of(moment).filter(decision_id__in=[d.pk for d in rows])
    by_decision: dict[int, list] = {}
    for s in signatures:
        by_decision.setdefault(s.decision_id, []).append(s)
    return [{"decision": d, "signatures": by_decision.get(d.pk, [])} for d in rows]


def _end_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


# --- alarms ------------------------------------------------------------------------------------

def alarms_visible_to(user):
    """Alarms are sensitive: their author, their addressees, and QSE managers, administrators and
    auditors of the unit see them; nobody else learns they exist."""
    if access.is_superuser(user):
        return Alarm.objects.all()
    if not user.is_authenticated:
        return Alarm.objects.none()
    scoped = access.visible_to(Alarm.objects.all(), user, roles=ALARM_READERS)
    addressed = AlarmAddressee.objects.filter(alarm=OuterRef("pk"), person=user)
    return Alarm.objects.filter(Q(pk__in=scoped.values("pk")) | Q(author=user) | Exists(addressed))


def get_alarm_for_user(user, pk) -> Alarm:
    try:
        return alarms_visible_to(user).select_related("unit", "author").get(pk=pk)
    except (Alarm.DoesNotExist, ValueError, TypeError):
        raise Http404("No such alarm.") from None


def alarm_list(user, *, q="", status="", unit=None, severity="", mine="", sort="-raised_at"):
    alarms = alarms_visible_to(user).select_related("unit", "author").annotate(
        addressee_count=Count("addressees", distinct=True),
        read_count=Count("addressees", filter=Q(addressees__acknowledged_at__isnull=False), distinct=True),
        answer_count=Count("addressees", filter=Q(addressees__answered_at__isnull=False), distinct=True),
        escalation_count=Count("escalations", distinct=True),
    )
    if q:
        alarms = alarms.filter(Q(title__icontains=q) | Q(description__icontains=q))
    if status:
        alarms = alarms.filter(status=status)
    if severity:
        alarms = alarms.filter(severity=severity)
    if unit is not None:
        alarms = alarms.filter(unit__path__startswith=unit.path)
    if mine == "to_me":
        alarms = alarms.filter(addressees__person=user)
    elif mine == "raised":
        alarms = alarms.filter(author=user)
    allowed = {"raised_at", "-raised_at", "respond_by", "-respond_by", "severity", "-severity", "title", "-title"}
    return alarms.order_by(sort if sort in allowed else "-raised_at", "-id")


def addressee_rows(alarm: Alarm) -> list[AlarmAddressee]:
    return list(alarm.addressees.select_related("person", "answer_decision", "escalated_from__person",
                                                "escalation__to_person"))


def alarms_for_dashboard(user, limit=10) -> list[AlarmAddressee]:
    """Alarms waiting for this person's answer, most urgent first."""
    return list(
        AlarmAddressee.objects.filter(person=user, answered_at__isnull=True,
                                      alarm__status__in=(AlarmStatus.OPEN, AlarmStatus.ANSWERED))
        .select_related("alarm__unit", "alarm__author").order_by("respond_by")[:limit]
    )


def alarms_raised_open(user, limit=10):
    return list(alarm_list(user, mine="raised").filter(status__in=(AlarmStatus.OPEN, AlarmStatus.ANSWERED))[:limit])


def alarm_dossier_data(alarm: Alarm) -> dict:
    """What a dossier prints about an alarm: the warning, who received, read, answered, escalations."""
    alarm = Alarm.objects.select_related("unit", "author").get(pk=alarm.pk)
    return {
        "alarm": alarm,
        "addressees": addressee_rows(alarm),
        "escalations": list(AlarmEscalation.objects.filter(alarm=alarm).select_related(
            "from_addressee__person", "to_person")),
        "links": link_rows(alarm),
        "ledger": list(ledger.timeline(alarm)),
    }


def alarms_as_of(unit, on: datetime.date) -> list[dict]:
    """Alarms of the unit and below as they stood at the end of day ``on``, with their addressees."""
    moment = _end_of(on)
    rows = list(Alarm.history.as_of(moment).filter(unit__path__startswith=unit.path).order_by("id"))
    people = AlarmAddressee.history.as_of(moment).filter(alarm_id__in=[a.pk for a in rows])
    by_alarm: dict[int, list] = {}
    for p in people:
        by_alarm.setdefault(p.alarm_id, []).append(p)
    return [{"alarm": a, "addressees": by_alarm.get(a.pk, [])} for a in rows]


def signature_meaning_label(meaning: str) -> str:
    return str(SignatureMeaning(meaning).label)
