"""Decision screens: the register, the draft form, the decision page with its signatures."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import access, ledger
from core.csv_export import csv_response
from core.exceptions import ConflictError, DomainError
from core.forms import add_domain_error
from decisions import selectors, services
from decisions.choices import DecisionKind, DecisionStatus
from decisions.evidence_card import evidence_card
from decisions.forms import DecisionFilterForm, DecisionForm, ReasonForm, SignForm
from decisions.services.common import actions_installed


def signature_summary(decision) -> str:
    """Name, time and meaning of every signature, for CSV exports."""
    return "; ".join(f"{s.signer} {s.get_meaning_display()} {s.signed_at:%Y-%m-%d %H:%M %Z}"
                     for s in decision.signatures.all())


@login_required
def decision_list(request):
    form = DecisionFilterForm(request.GET or None, user=request.user)
    filters = {k: v for k, v in form.cleaned_data.items() if v not in ("", None)} if form.is_valid() else {}
    decisions = selectors.decision_list(request.user, **filters)
    if request.GET.get("format") == "csv":
        return csv_response(
            "decisions.csv",
            [_("Id"), _("Subject"), _("Kind"), _("Unit"), _("Status"), _("Revision"), _("Author"), _("Submitted"),
             _("Decided"), _("Signatures (name, meaning, time)")],
            ((d.pk, d.subject, d.get_kind_display(), d.unit.name, d.get_status_display(), d.revision, d.author,
              d.submitted_at or "", d.decided_at or "", signature_summary(d)) for d in decisions.iterator(
                chunk_size=500)),
        )
    page = Paginator(decisions, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    csv_query = query.copy()
    csv_query["format"] = "csv"
    return render(request, "decisions/decision_list.html", {
        "page_obj": page, "filter_form": form, "csv_url": f"?{csv_query.urlencode()}",
        "can_create": access.can_anywhere(request.user, "decision.create"),
        "sort": request.GET.get("sort", "-created_at"),
    })


def _form_initial(request):
    initial = {"kind": request.GET.get("kind") or DecisionKind.DECISION}
    alarm_pk = request.GET.get("alarm")
    if alarm_pk:
        alarm = selectors.get_alarm_for_user(request.user, alarm_pk)
        initial.update({"unit": alarm.unit, "subject": alarm.title, "context": alarm.description,
                        "links": f"decisions.alarm:{alarm.pk}", "approvers": [request.user]})
    if request.GET.get("unit"):
        initial["unit"] = request.GET["unit"]
    if request.GET.get("risk"):
        initial["risk"] = request.GET["risk"]
    return initial


@login_required
def decision_create(request):
    if not access.can_anywhere(request.user, "decision.create"):
        raise PermissionDenied
    form = DecisionForm(request.POST or None, user=request.user, with_actions=actions_installed(),
                        initial=_form_initial(request) if request.method == "GET" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.decision_create(
                actor=request.user, unit=data["unit"], kind=data["kind"], subject=data["subject"],
                context=data["context"], options=data["options"], decision_text=data["decision_text"],
                rationale=data["rationale"], review_on=data["review_on"], approvers=list(data["approvers"]),
                links=form.link_refs(), planned_actions=form.planned_actions(),
            )
            messages.success(request, _("The draft is saved. Submit it when it is ready to be signed."))
            return redirect("decisions:decision_detail", pk=decision.pk)
        except DomainError as exc:
            add_domain_error(form, exc)
        except PermissionDenied:
            form.add_error("unit", _("Your role on this unit does not allow writing decisions."))
    return render(request, "decisions/decision_form.html", {"form": form, "title": _("New decision")})


@login_required
def decision_detail(request, pk, sign_form=None):
    decision = selectors.get_decision_for_user(request.user, pk)
    decision = selectors._with_signatures(type(decision).objects.select_related(
        "unit", "author", "previous")).get(pk=decision.pk)
    user = request.user
    states = selectors.approver_states(decision)
    mine = next((s for s in states if s["approver"].pk == user.pk), None)
    can_sign = decision.status == DecisionStatus.SUBMITTED and mine is not None and mine["signature"] is None
    can_edit = decision.author_id == user.pk or access.can(user, "decision.manage", decision.unit)
    planned = list(decision.planned_actions.select_related("owner"))
    return render(request, "decisions/decision_detail.html", {
        "decision": decision,
        "states": states,
        "can_sign": can_sign,
        "sign_form": sign_form or SignForm(),
        "can_edit": can_edit,
        "links": selectors.link_rows(decision),
        "planned": planned,
        "revisions": selectors.decision_revisions(decision),
        "next_revision": type(decision).objects.filter(previous=decision).first(),
        "reason_form": ReasonForm(),
        "timeline": ledger.timeline(decision),
        "evidence_card": evidence_card(request, decision),
        "alarm_answers": decision.alarm_answers.select_related("alarm", "person"),
        "crumbs": [(decision.unit.name, None), (_("Decisions"), reverse("decisions:decision_list")),
                   (str(decision), None)],
    })


@login_required
def decision_edit(request, pk):
    decision = selectors.get_decision_for_user(request.user, pk)
    if decision.author_id != request.user.pk and not access.can(request.user, "decision.manage", decision.unit):
        raise PermissionDenied
    if decision.status != DecisionStatus.DRAFT:
        messages.error(request, _("This decision is submitted: its content is frozen. Make a new revision to "
                                  "change it."))
        return redirect("decisions:decision_detail", pk=decision.pk)
    planned = decision.planned_actions.first()
    initial = {
        "unit": decision.unit, "kind": decision.kind, "subject": decision.subject, "context": decision.context,
        "options": decision.options, "decision_text": decision.decision_text, "rationale": decision.rationale,
        "review_on": decision.review_on, "approvers": [a.approver for a in decision.approvers.all()],
        "links": "\n".join(f"{li.target_type}:{li.target_id}" for li in decision.links.all()),
    }
    if planned:
        initial.update({"action_title": planned.title, "action_owner": planned.owner, "action_due_on": planned.due_on,
                        "action_priority": planned.priority})
    form = DecisionForm(request.POST or None, user=request.user, with_actions=actions_installed(), unit_fixed=True,
                        initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.decision_update(
                actor=request.user, decision=decision, subject=data["subject"], context=data["context"],
                options=data["options"], decision_text=data["decision_text"], rationale=data["rationale"],
                review_on=data["review_on"], approvers=list(data["approvers"]), links=form.link_refs(),
                planned_actions=form.planned_actions() if actions_installed() else None,
            )
            messages.success(request, _("Draft saved."))
            return redirect("decisions:decision_detail", pk=decision.pk)
        except DomainError as exc:
            add_domain_error(form, exc)
    return render(request, "decisions/decision_form.html",
                  {"form": form, "title": _("Edit %(subject)s") % {"subject": decision}, "decision": decision})


def _post_service(request, pk, func, success: str, **kwargs):
    decision = selectors.get_decision_for_user(request.user, pk)
    try:
        result = func(actor=request.user, decision=decision, **kwargs)
        messages.success(request, success)
        return result
    except DomainError as exc:
        messages.error(request, " ".join(exc.messages))
    return None


@login_required
@require_POST
def decision_submit(request, pk):
    _post_service(request, pk, services.decision_submit, _("Submitted: the approvers are asked to sign."))
    return redirect("decisions:decision_detail", pk=pk)


@login_required
@require_POST
def decision_withdraw(request, pk):
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the decision is withdrawn."))
        return redirect("decisions:decision_detail", pk=pk)
    _post_service(request, pk, services.decision_withdraw, _("The decision is withdrawn."),
                  reason=form.cleaned_data["reason"])
    return redirect("decisions:decision_detail", pk=pk)


@login_required
@require_POST
def decision_revise(request, pk):
    new = _post_service(request, pk, services.decision_revise,
                        _("A new revision is drafted; its signatures start again."),
                        reason=request.POST.get("reason", "").strip())
    return redirect("decisions:decision_detail", pk=new.pk if new else pk)


@login_required
@require_POST
def decision_sign(request, pk):
    decision = selectors.get_decision_for_user(request.user, pk)
    form = SignForm(request.POST)
    status = 200
    if form.is_valid():
        approve = form.cleaned_data["verdict"] != "reject"
        try:
            services.decision_sign(actor=request.user, decision=decision, approve=approve,
                                   password=form.cleaned_data["password"], comment=form.cleaned_data["comment"])
            messages.success(request, _("Your signature is recorded.") if approve
                             else _("Your rejection is signed and recorded."))
            return redirect("decisions:decision_detail", pk=pk)
        except ConflictError as exc:
            messages.error(request, " ".join(exc.messages))
            status = 409
        except DomainError as exc:
            add_domain_error(form, exc)
            status = 400
    else:
        status = 400
    response = decision_detail(request, pk, sign_form=form)
    response.status_code = status
    return response
