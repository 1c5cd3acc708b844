"""Writes to decisions: draft, submit (content frozen), sign (approve or reject), withdraw, revise.

Rules:
1. Only a draft can be edited. A submitted, approved or rejected decision is changed by making a
   new revision, whose signatures start again (a submitted one is withdrawn in favour of it).
2. All approvers must approve; one rejection rejects. Each signature asks for the password again
   and records the SHA-256 of the canonical content signed.
3. On approval, the planned actions are opened and a risk acceptance is applied to its risk.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import access, chase
from core.exceptions import ConflictError, DomainError
from core.services import apply_changes, governed_save, record_event
from decisions import signing
from decisions.choices import DecisionKind, DecisionStatus, Priority, SignatureMeaning
from decisions.models import Decision, DecisionApprover, PlannedAction, RecordLink, Signature
from decisions.services.common import actions_installed, open_action, risks_installed, save_links

CONTENT_FIELDS = ("subject", "context", "options", "decision_text", "rationale", "review_on")
SIGNING_DAYS = 7  # how long approvers have to sign before the reminders chase them


def decision_content(decision: Decision) -> dict:
    """The canonical rendering of what is signed: content, approvers, links and planned actions."""
    return {
        "id": decision.pk,
        "revision": decision.revision,
        "previous": decision.previous_id,
        "unit": {"id": decision.unit_id, "name": decision.unit.name},
        "kind": decision.kind,
        "subject": decision.subject,
        "context": decision.context,
        "options": decision.options,
        "decision": decision.decision_text,
        "rationale": decision.rationale,
        "review_on": decision.review_on.isoformat() if decision.review_on else None,
        "approvers": [
            {"id": a.approver_id, "name": a.approver.get_full_name() or a.approver.username}
            for a in decision.approvers.select_related("approver").order_by("position", "id")
        ],
        "links": sorted(f"{link.target_type}:{link.target_id}" for link in decision.links.all()),
        "planned_actions": [
            {"title": p.title, "description": p.description, "owner": p.owner_id,
             "due_on": p.due_on.isoformat(), "priority": p.priority}
            for p in decision.planned_actions.order_by("id")
        ],
    }


def decision_content_hash(decision: Decision) -> str:
    return signing.sha256_of(decision_content(decision))


def _check_approvers(approvers, unit) -> list:
    people = list(dict.fromkeys(approvers or ()))
    if not people:
        raise DomainError(_("Name at least one approver."), field="approvers")
    for person in people:
        if not person.is_active:
            raise DomainError(_("%(name)s is deactivated.") % {"name": person}, field="approvers")
        if not access.can(person, "decision.approve", unit):
            raise DomainError(
                _("%(name)s has no role on %(unit)s that allows approving decisions.") % {"name": person, "unit": unit},
                field="approvers")
    return people


def _check_kind(kind: str, review_on, link_refs) -> None:
    if kind != DecisionKind.RISK_ACCEPTANCE:
        return
    if not risks_installed():
        raise DomainError(_("A risk acceptance needs the risks app."), field="kind")
    if review_on is None:
        raise DomainError(_("A risk acceptance needs a review date."), field="review_on")
    if review_on <= timezone.localdate():
        raise DomainError(_("The review date must be in the future."), field="review_on")
    risks = [ref for ref in link_refs or () if (ref.split(":")[0] if isinstance(ref, str) else ref[0]) == "risks.risk"]
    if len(risks) != 1:
        raise DomainError(_("A risk acceptance links exactly one risk."), field="links")


def _check_planned(planned, unit) -> list[dict]:
    rows = [dict(p) for p in planned or ()]
    if rows and not actions_installed():
        raise DomainError(_("Actions cannot be planned: the actions app is not installed."), field="actions")
    for row in rows:
        if not str(row.get("title", "")).strip():
            raise DomainError(_("Give each action a title."), field="actions")
        owner = row.get("owner")
        if owner is None or not owner.is_active or not access.can(owner, "view", unit):
            raise DomainError(_("Each action needs an owner who works on this unit."), field="actions")
        if not isinstance(row.get("due_on"), datetime.date):
            raise DomainError(_("Each action needs a due date."), field="actions")
        row.setdefault("priority", Priority.MEDIUM)
        if row["priority"] not in Priority.values:
            raise DomainError(_("Unknown priority."), field="actions")
    return rows


def _save_children(*, actor, decision, approvers, link_refs, planned, reason) -> list:
    saved = []
    for position, person in enumerate(approvers):
        row = DecisionApprover(decision=decision, approver=person, position=position)
        governed_save(row, actor=actor, reason=reason)
        saved.append(row)
    saved += save_links(actor=actor, owner_field="decision", owner=decision, refs=link_refs, reason=reason)
    for row in planned:
        item = PlannedAction(decision=decision, title=row["title"].strip(), description=row.get("description", ""),
                             owner=row["owner"], due_on=row["due_on"], priority=row["priority"])
        governed_save(item, actor=actor, reason=reason)
        saved.append(item)
    return saved


@transaction.atomic
def decision_create(*, actor, unit, subject: str, decision_text: str, approvers, context: str = "",
                    options: str = "", rationale: str = "", kind: str = DecisionKind.DECISION, review_on=None,
                    links=(), planned_actions=()) -> Decision:
    """Write a draft decision. Only QSE managers, managers and administrators of the unit may."""
    access.require(actor, "decision.create", unit)
    if not subject.strip():
        raise DomainError(_("Give the decision a subject."), field="subject")
    if not decision_text.strip():
        raise DomainError(_("Write the decision itself."), field="decision_text")
    if kind not in DecisionKind.values:
        raise DomainError(_("Unknown kind of decision."), field="kind")
    people = _check_approvers(approvers, unit)
    _check_kind(kind, review_on, links)
    planned = _check_planned(planned_actions, unit)
    decision = Decision(unit=unit, kind=kind, subject=subject.strip(), context=context, options=options,
                        decision_text=decision_text, rationale=rationale, review_on=review_on, author=actor)
    governed_save(decision, actor=actor, reason="decision drafted")
    saved = [decision, *_save_children(actor=actor, decision=decision, approvers=people, link_refs=links,
                                       planned=planned, reason="decision drafted")]
    record_event(actor=actor, event_type="DECISION_DRAFTED", target=decision,
                 payload={"subject": decision.subject, "kind": kind, "approvers": [p.pk for p in people],
                          "links": [f"{li.target_type}:{li.target_id}" for li in decision.links.all()]},
                 saved=saved)
    return decision


def _require_editor(actor, decision) -> None:
    if decision.author_id != actor.pk and not access.can(actor, "decision.manage", decision.unit):
        raise PermissionDenied(_("Only the author or a QSE manager of the unit may change this decision."))


def _lock(decision) -> Decision:
    return Decision.objects.select_for_update().select_related("unit").get(pk=decision.pk)


@transaction.atomic
def decision_update(*, actor, decision: Decision, approvers=None, links=None, planned_actions=None,
                    **data) -> Decision:
    """Edit a draft. A submitted decision is frozen: make a new revision instead."""
    decision = _lock(decision)
    _require_editor(actor, decision)
    if decision.status != DecisionStatus.DRAFT:
        raise ConflictError(_("This decision is %(status)s: its content is frozen. Make a new revision to change it.")
                            % {"status": decision.get_status_display().lower()})
    unknown = set(data) - set(CONTENT_FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be changed: %(f)s") % {"f": ", ".join(sorted(unknown))})
    if "subject" in data and not data["subject"].strip():
        raise DomainError(_("Give the decision a subject."), field="subject")
    if "decision_text" in data and not data["decision_text"].strip():
        raise DomainError(_("Write the decision itself."), field="decision_text")
    link_refs = links if links is not None else [(li.target_type, li.target_id) for li in decision.links.all()]
    _check_kind(decision.kind, data.get("review_on", decision.review_on), link_refs)
    changes = apply_changes(decision, data)
    saved = []
    if approvers is not None:
        people = _check_approvers(approvers, decision.unit)
        old = list(decision.approvers.values_list("approver_id", flat=True))
        if old != [p.pk for p in people]:
            changes["approvers"] = [old, [p.pk for p in people]]
            _replace(decision.approvers.all(), actor)
            for position, person in enumerate(people):
                row = DecisionApprover(decision=decision, approver=person, position=position)
                governed_save(row, actor=actor, reason="approvers changed")
                saved.append(row)
    if links is not None:
        old = sorted(f"{li.target_type}:{li.target_id}" for li in decision.links.all())
        _replace(decision.links.all(), actor)
        saved += save_links(actor=actor, owner_field="decision", owner=decision, refs=links, reason="links changed")
        new = sorted(f"{li.target_type}:{li.target_id}" for li in decision.links.all())
        if old != new:
            changes["links"] = [old, new]
    if planned_actions is not None:
        planned = _check_planned(planned_actions, decision.unit)
        _replace(decision.planned_actions.all(), actor)
        for row in planned:
            item = PlannedAction(decision=decision, title=row["title"].strip(), description=row.get("description", ""),
                                 owner=row["owner"], due_on=row["due_on"], priority=row["priority"])
            governed_save(item, actor=actor, reason="planned actions changed")
            saved.append(item)
        changes["planned_actions"] = [None, len(planned)]
    if not changes:
        return decision
    if {"subject", "context", "options", "decision_text", "rationale", "review_on"} & set(changes):
        governed_save(decision, actor=actor, reason="draft edited")
        saved.insert(0, decision)
    record_event(actor=actor, event_type="DECISION_EDITED", target=decision, payload={"changes": changes},
                 saved=saved)
    return decision


def _replace(queryset, actor) -> None:
    """Drop a draft's child rows (history keeps them: a delete is a history row too)."""
    for row in queryset:
        row._history_user = actor
        row._change_reason = "replaced in the draft"
        row.delete()


@transaction.atomic
def decision_submit(*, actor, decision: Decision) -> Decision:
    """Freeze the content and ask the approvers to sign. Its hash is what they will sign."""
    decision = _lock(decision)
    _require_editor(actor, decision)
    if decision.status != DecisionStatus.DRAFT:
        raise ConflictError(_("Only a draft can be submitted; this decision is %(status)s.")
                            % {"status": decision.get_status_display().lower()})
    approvers = list(decision.approvers.select_related("approver"))
    if not approvers:
        raise DomainError(_("Name at least one approver."), field="approvers")
    _check_approvers([a.approver for a in approvers], decision.unit)
    decision.status = DecisionStatus.SUBMITTED
    decision.submitted_at = timezone.now()
    decision.content_hash = decision_content_hash(decision)
    governed_save(decision, actor=actor, reason="submitted for signature")
    due = decision.submitted_at + datetime.timedelta(days=SIGNING_DAYS)
    url = reverse("decisions:decision_detail", kwargs={"pk": decision.pk})
    for row in approvers:
        chase.open(kind="decision", target=decision, recipient=row.approver, due_at=due,
                   title=_("Sign: %(subject)s") % {"subject": decision.subject}, url=url, unit_path=decision.unit.path)
    record_event(actor=actor, event_type="DECISION_SUBMITTED", target=decision,
                 payload={"content_hash": decision.content_hash, "approvers": [a.approver_id for a in approvers]},
                 saved=[decision])
    return decision


def decision_sign(*, actor, decision: Decision, approve: bool, password: str, comment: str = "") -> Signature:
    """Approve or reject with an electronic signature (the password is asked again).

    1. Only a named approver signs, only a submitted decision, only once.
    2. A wrong password is refused and the refusal recorded (its own transaction).
    3. Under a row lock: the state is checked again (a concurrent change gives 409), the
       signature is made, and the decision is decided when the last approval or a rejection lands.
    """
    decision = Decision.objects.select_related("unit").get(pk=decision.pk)
    if not decision.approvers.filter(approver=actor).exists():
        raise PermissionDenied(_("You are not an approver of this decision."))
    if decision.status != DecisionStatus.SUBMITTED:
        raise ConflictError(_("This decision is %(status)s: it cannot be signed.")
                            % {"status": decision.get_status_display().lower()})
    if decision.signatures.filter(signer=actor).exists():
        raise ConflictError(_("You have already signed this decision."))
    signing.check_password(actor=actor, password=password, target=decision,
                           what="approval" if approve else "rejection")
    return _sign(actor=actor, decision=decision, approve=approve, comment=comment)


@transaction.atomic
def _sign(*, actor, decision: Decision, approve: bool, comment: str) -> Signature:
    decision = _lock(decision)
    if decision.status != DecisionStatus.SUBMITTED:
        raise ConflictError(_("This decision was %(status)s meanwhile: it cannot be signed.")
                            % {"status": decision.get_status_display().lower()})
    if decision.signatures.filter(signer=actor).exists():
        raise ConflictError(_("You have already signed this decision."))
    content_hash = decision_content_hash(decision)
    if content_hash != decision.content_hash:
        raise ConflictError(_("The content no longer matches what was submitted: it cannot be signed."))
    meaning = decision.signing_meaning if approve else SignatureMeaning.REJECTION
    signature = Signature(decision=decision, signer=actor, meaning=meaning, comment=comment.strip(),
                          signed_at=timezone.now(), content_hash=content_hash)
    try:
        with transaction.atomic():
            governed_save(signature, actor=actor, reason=f"signed: {meaning}")
    except IntegrityError:
        raise ConflictError(_("You have already signed this decision.")) from None
    record_event(actor=actor, event_type="DECISION_SIGNED", target=decision,
                 payload={"signature": signature.pk, "signer": actor.pk, "meaning": meaning, "comment": signature.comment,
                          "content_hash": content_hash, "signed_at": signature.signed_at},
                 saved=[signature])
    chase.close(target=decision, recipient=actor)
    if not approve:
        _decide(actor=actor, decision=decision, status=DecisionStatus.REJECTED)
    else:
        needed = set(decision.approvers.values_list("approver_id", flat=True))
        approved = set(decision.signatures.exclude(meaning=SignatureMeaning.REJECTION).values_list("signer_id", flat=True))
        if needed <= approved:
            _decide(actor=actor, decision=decision, status=DecisionStatus.APPROVED)
    return signature


def _decide(*, actor, decision: Decision, status: str) -> None:
    decision.status = status
    decision.decided_at = timezone.now()
    governed_save(decision, actor=actor, reason=f"decision {status}")
    chase.close(target=decision)
    payload = {"content_hash": decision.content_hash}
    saved = [decision]
    if status == DecisionStatus.APPROVED:
        opened = []
        for item in decision.planned_actions.filter(opened_action_id__isnull=True).select_related("owner"):
            action = open_action(actor=actor, title=item.title, description=item.description, origin=decision,
                                 unit=decision.unit, owner=item.owner, due_on=item.due_on, priority=item.priority)
            item.opened_action_id = action.pk
            governed_save(item, actor=actor, reason="action opened on approval")
            saved.append(item)
            opened.append(action.pk)
        payload["actions_opened"] = opened
        if decision.kind == DecisionKind.RISK_ACCEPTANCE:
            payload["risk"] = _accept_risk(actor=actor, decision=decision)
    record_event(actor=actor, event_type="DECISION_APPROVED" if status == DecisionStatus.APPROVED
                 else "DECISION_REJECTED", target=decision, payload=payload, saved=saved)


def _accept_risk(*, actor, decision: Decision):
    link = decision.links.filter(target_type="risks.risk").first()
    if link is None or not risks_installed():
        return None
    from django.apps import apps

    from risks import services as risk_services

    risk = apps.get_model("risks", "Risk").objects.get(pk=link.target_id)
    risk_services.risk_accept(actor=actor, risk=risk, decision=decision, until=decision.review_on)
    return risk.pk


@transaction.atomic
def decision_withdraw(*, actor, decision: Decision, reason: str) -> Decision:
    """The author (or a QSE manager) withdraws a draft or a submitted decision, with a reason."""
    decision = _lock(decision)
    _require_editor(actor, decision)
    if not reason.strip():
        raise DomainError(_("Say why the decision is withdrawn."), field="reason")
    if decision.status not in (DecisionStatus.DRAFT, DecisionStatus.SUBMITTED):
        raise ConflictError(_("This decision is %(status)s: it can no longer be withdrawn.")
                            % {"status": decision.get_status_display().lower()})
    _withdraw(actor=actor, decision=decision, reason=reason.strip())
    return decision


def _withdraw(*, actor, decision: Decision, reason: str) -> None:
    old = decision.status
    if not decision.content_hash:
        decision.content_hash = decision_content_hash(decision)
    decision.status = DecisionStatus.WITHDRAWN
    decision.withdrawn_reason = reason[:500]
    governed_save(decision, actor=actor, reason=reason)
    chase.close(target=decision)
    record_event(actor=actor, event_type="DECISION_WITHDRAWN", target=decision,
                 payload={"reason": reason, "from": old}, saved=[decision])


@transaction.atomic
def decision_revise(*, actor, decision: Decision, reason: str = "") -> Decision:
    """Start a new revision (a draft copying the content); its signatures start again.

    A submitted decision is withdrawn in favour of its revision; an approved or rejected one stays
    as it was decided. Each decision has at most one next revision (a database constraint).
    """
    decision = _lock(decision)
    _require_editor(actor, decision)
    if decision.status == DecisionStatus.DRAFT:
        raise ConflictError(_("A draft is edited directly; it needs no new revision."))
    if decision.status == DecisionStatus.WITHDRAWN:
        raise ConflictError(_("A withdrawn decision cannot be revised."))
    if Decision.objects.filter(previous=decision).exists():
        raise ConflictError(_("This decision already has a newer revision."))
    new = Decision(unit=decision.unit, kind=decision.kind, subject=decision.subject, context=decision.context,
                   options=decision.options, decision_text=decision.decision_text, rationale=decision.rationale,
                   review_on=decision.review_on, author=actor, revision=decision.revision + 1, previous=decision)
    try:
        with transaction.atomic():
            governed_save(new, actor=actor, reason=reason or "new revision")
    except IntegrityError:
        raise ConflictError(_("This decision already has a newer revision.")) from None
    approvers = [a.approver for a in decision.approvers.select_related("approver")]
    refs = [(li.target_type, li.target_id) for li in decision.links.all()]
    saved = [new]
    for position, person in enumerate(approvers):
        row = DecisionApprover(decision=new, approver=person, position=position)
        governed_save(row, actor=actor, reason="new revision")
        saved.append(row)
    for ref in refs:
        link = RecordLink(decision=new, target_type=ref[0], target_id=ref[1],
                          label=decision.links.get(target_type=ref[0], target_id=ref[1]).label)
        governed_save(link, actor=actor, reason="new revision")
        saved.append(link)
    for item in decision.planned_actions.filter(opened_action_id__isnull=True):
        copy = PlannedAction(decision=new, title=item.title, description=item.description, owner=item.owner,
                             due_on=item.due_on, priority=item.priority)
        governed_save(copy, actor=actor, reason="new revision")
        saved.append(copy)
    record_event(actor=actor, event_type="DECISION_REVISED", target=new,
                 payload={"previous": decision.pk, "revision": new.revision, "reason": reason}, saved=saved)
    if decision.status == DecisionStatus.SUBMITTED:
        _withdraw(actor=actor, decision=decision,
                  reason=_("Replaced by revision %(n)s.") % {"n": new.revision} + (f" {reason}" if reason else ""))
    return new
