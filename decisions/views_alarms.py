"""Alarm screens: raise, the alarm page (received / read / answered), answer, close, withdraw."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import ledger
from core.csv_export import csv_response
from core.exceptions import ConflictError, DomainError
from core.forms import add_domain_error
from decisions import selectors, services
from decisions.evidence_card import evidence_card
from decisions.forms import AlarmFilterForm, AlarmForm, AnswerForm, NoteForm, ReasonForm, parse_links
from decisions.models import AlarmAddressee, AlarmEscalation
from decisions.services.common import actions_installed


@login_required
def alarm_list(request):
    form = AlarmFilterForm(request.GET or None, user=request.user)
    filters = {k: v for k, v in form.cleaned_data.items() if v not in ("", None)} if form.is_valid() else {}
    alarms = selectors.alarm_list(request.user, **filters)
    if request.GET.get("format") == "csv":
        return csv_response(
            "alarms.csv",
            [_("Id"), _("Situation"), _("Severity"), _("Unit"), _("Raised by"), _("Raised at"),
             _("Answer expected by"), _("Status"), _("Addressees"), _("Read"), _("Answered"), _("Escalations")],
            ((a.pk, a.title, a.get_severity_display(), a.unit.name, a.author, a.raised_at, a.respond_by,
              a.get_status_display(), a.addressee_count, a.read_count, a.answer_count, a.escalation_count)
             for a in alarms.iterator(chunk_size=500)),
        )
    page = Paginator(alarms, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query["format"] = "csv"
    return render(request, "decisions/alarm_list.html", {
        "page_obj": page, "filter_form": form, "csv_url": f"?{query.urlencode()}",
        "can_raise": services.can_raise_alarm(request.user), "now": timezone.now(),
    })


@login_required
def alarm_create(request):
    if not services.can_raise_alarm(request.user):
        raise PermissionDenied
    form = AlarmForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            alarm = services.alarm_raise(
                actor=request.user, unit=data["unit"], title=data["title"], description=data["description"],
                severity=data["severity"], respond_by=data["respond_by"], addressees=list(data["addressees"]),
                links=parse_links(data["links"]),
            )
            messages.success(request, _("The alarm is raised; the addressees see it at the top of their work."))
            return redirect("decisions:alarm_detail", pk=alarm.pk)
        except DomainError as exc:
            add_domain_error(form, exc)
        except PermissionDenied:
            form.add_error("unit", _("Your role on this unit does not allow raising an alarm."))
    return render(request, "decisions/alarm_form.html", {"form": form, "title": _("Raise the alarm")})


@login_required
def alarm_detail(request, pk, answer_form=None, status=200):
    alarm = selectors.get_alarm_for_user(request.user, pk)
    rows = selectors.addressee_rows(alarm)
    mine = next((r for r in rows if r.person_id == request.user.pk), None)
    escalations = list(AlarmEscalation.objects.filter(alarm=alarm).select_related("from_addressee__person",
                                                                                  "to_person"))
    with_actions = actions_installed()
    if mine is not None and mine.answered_at is None and alarm.is_open and answer_form is None:
        answer_form = AnswerForm(user=request.user, alarm=alarm, with_actions=with_actions)
    response = render(request, "decisions/alarm_detail.html", {
        "alarm": alarm,
        "rows": rows,
        "mine": mine,
        "answer_form": answer_form if mine is not None and mine.answered_at is None and alarm.is_open else None,
        "escalations": escalations,
        "links": selectors.link_rows(alarm),
        "is_author": alarm.author_id == request.user.pk,
        "has_answer": any(r.answered_at for r in rows),
        "reason_form": ReasonForm(),
        "note_form": NoteForm(),
        "now": timezone.now(),
        "timeline": ledger.timeline(alarm),
        "evidence_card": evidence_card(request, alarm),
        "new_decision_url": reverse("decisions:decision_create") + f"?alarm={alarm.pk}",
        "crumbs": [(alarm.unit.name, None), (_("Alarms"), reverse("decisions:alarm_list")), (alarm.title, None)],
    }, status=status)
    return response


def _addressed(request, pk):
    """The alarm, only for one of its addressees: anyone else gets 404."""
    alarm = selectors.get_alarm_for_user(request.user, pk)
    if not AlarmAddressee.objects.filter(alarm=alarm, person=request.user).exists():
        raise Http404("No such alarm.")
    return alarm


@login_required
@require_POST
def alarm_acknowledge(request, pk):
    alarm = _addressed(request, pk)
    try:
        services.alarm_acknowledge(actor=request.user, alarm=alarm)
        messages.success(request, _("Read: the author sees that you have received the alarm."))
    except DomainError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("decisions:alarm_detail", pk=pk)


@login_required
@require_POST
def alarm_answer(request, pk):
    alarm = _addressed(request, pk)
    form = AnswerForm(request.POST, user=request.user, alarm=alarm, with_actions=actions_installed())
    if form.is_valid():
        try:
            services.alarm_answer(actor=request.user, alarm=alarm, answer=form.cleaned_data["answer"],
                                  decision=form.cleaned_data["decision"], actions=form.actions())
            messages.success(request, _("Your answer is recorded."))
            return redirect("decisions:alarm_detail", pk=pk)
        except ConflictError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("decisions:alarm_detail", pk=pk)
        except DomainError as exc:
            add_domain_error(form, exc)
    return alarm_detail(request, pk, answer_form=form, status=400)


@login_required
@require_POST
def alarm_close(request, pk):
    alarm = selectors.get_alarm_for_user(request.user, pk)
    form = NoteForm(request.POST)
    form.is_valid()
    try:
        services.alarm_close(actor=request.user, alarm=alarm, note=form.cleaned_data.get("note", ""))
        messages.success(request, _("The alarm is closed."))
    except DomainError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("decisions:alarm_detail", pk=pk)


@login_required
@require_POST
def alarm_withdraw(request, pk):
    alarm = selectors.get_alarm_for_user(request.user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the alarm is withdrawn."))
        return redirect("decisions:alarm_detail", pk=pk)
    try:
        services.alarm_withdraw(actor=request.user, alarm=alarm, reason=form.cleaned_data["reason"])
        messages.success(request, _("The alarm is withdrawn."))
    except DomainError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("decisions:alarm_detail", pk=pk)
