"""Communication screens: communicate, tracking (QSE managers); read and acknowledge (staff),
logged in or through the personal e-mailed link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import access, ledger
from core.csv_export import csv_response
from core.exceptions import DomainError
from core.forms import add_domain_error
from core.middleware import client_ip
from requirements import links, selectors, services
from requirements.choices import AckChannel, AckStatus, CommunicationStatus
from requirements.communication import SupersededError
from requirements.forms import CommunicateForm, ReasonForm, TrackingFilterForm
from requirements.models import Acknowledgement, Communication
from requirements.text import render as render_text
from requirements.views import crumbs_for, due_default, get_requirement


@login_required
def communicate(request, pk):
    requirement = get_requirement(request, pk, "requirement.communicate")
    version = selectors.current_version(requirement)
    form = CommunicateForm(
        request.POST or None,
        requirement=requirement,
        initial={"due_on": due_default(), "units": request.GET.getlist("unit")},
    )
    if version is None:
        form.add_error(None, _("No version is approved yet: approve a version before communicating it."))
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        roles = [(u, data["role"]) for u in data["role_units"]] if data["role"] else []
        try:
            communication = services.requirement_communicate(
                actor=request.user,
                version=version,
                due_on=data["due_on"],
                people=data["people"],
                units=data["units"],
                roles=roles,
                message=data["message"],
            )
            messages.success(
                request,
                _("Version %(n)s sent to %(count)s people.")
                % {"n": version.number, "count": communication.recipients_count},
            )
            return redirect("requirements:communication_detail", pk=communication.pk)
        except DomainError as exc:
            add_domain_error(form, exc)
    return render(
        request,
        "requirements/communicate.html",
        {
            "form": form,
            "requirement": requirement,
            "version": version,
            "version_html": render_text(version.text, version.text_format) if version else "",
            "crumbs": crumbs_for(requirement, (_("Communicate"), "")),
        },
    )


def _tracking_rows(people):
    for ack in people:
        yield (
            ack.person.get_full_name() or ack.person.username,
            ack.person.email,
            ack.unit.name if ack.unit else "",
            ack.person.manager or "",
            ack.get_status_display(),
            ack.answered_at or "",
            ack.get_channel_display(),
            ack.reason,
            ack.text_sha256,
            ack.reminders_sent or 0,
        )


@login_required
def communication_detail(request, pk):
    """The tracking page: progress, counts by status and unit, the people (pending by default)."""
    communication = access.get_for_user(
        Communication.objects.select_related("requirement__unit", "version", "sent_by"),
        request.user,
        pk,
        "view",
        "requirement__unit",
    )
    data = request.GET.copy()
    if "status" not in data:
        data["status"] = AckStatus.PENDING
    form = TrackingFilterForm(data, communication=communication)
    filters = form.cleaned_data if form.is_valid() else {"status": AckStatus.PENDING}
    people = selectors.tracking_people(
        communication, status=filters.get("status", ""), unit=filters.get("unit"), q=filters.get("q", "")
    )
    if request.GET.get("format") == "csv":
        return csv_response(
            f"communication-{communication.pk}.csv",
            [
                _("Name"),
                _("E-mail"),
                _("Unit"),
                _("Manager"),
                _("Status"),
                _("Answered at"),
                _("Channel"),
                _("Reason"),
                _("Text SHA-256"),
                _("Reminders sent"),
            ],
            _tracking_rows(people.iterator(chunk_size=2000)),
        )
    page = selectors.tracking_page(people, request.GET.get("page"))
    requirement = communication.requirement
    can_exempt = access.can(request.user, "acknowledgement.exempt", requirement.unit)
    return render(
        request,
        "requirements/communication_detail.html",
        {
            "communication": communication,
            "requirement": requirement,
            "summary": selectors.tracking_summary(communication),
            "page_obj": page,
            "filter_form": form,
            "can_exempt": can_exempt,
            "can_close": communication.status == CommunicationStatus.OPEN
            and access.can(request.user, "requirement.communicate", requirement.unit),
            "timeline": selectors.communication_timeline(communication),
            "csv_url": request.path + "?" + _with(data, format="csv"),
            "crumbs": crumbs_for(requirement, (_("Communication of %(d)s") % {"d": communication.sent_at.date()}, "")),
        },
    )


def _with(query, **extra):
    params = query.copy()
    for key, value in extra.items():
        params[key] = value
    params.pop("page", None)
    return params.urlencode()


@login_required
@require_POST
def communication_close(request, pk):
    communication = access.get_for_user(
        Communication.objects.select_related("requirement__unit"),
        request.user,
        pk,
        "requirement.communicate",
        "requirement__unit",
    )
    try:
        services.communication_close(
            actor=request.user, communication=communication, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("The communication is closed; pending requests are no longer chased."))
    except DomainError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("requirements:communication_detail", pk=communication.pk)


def _ack_for(request, pk):
    """The person's own request, or one a QSE manager may see in scope; 404 for anyone else."""
    qs = Acknowledgement.objects.select_related(
        "communication__requirement__unit",
        "communication__requirement__source",
        "communication__sent_by",
        "version",
        "person",
        "unit",
    )
    ack = qs.filter(pk=pk, person=request.user).first() if str(pk).isdigit() else None
    if ack is None:
        ack = access.get_for_user(qs, request.user, pk, "view", "communication__requirement__unit")
    return ack


def _ack_context(request, ack, **extra):
    newer = selectors.newer_request(ack) if ack.communication.status == CommunicationStatus.SUPERSEDED else None
    return {
        "ack": ack,
        "requirement": ack.communication.requirement,
        "communication": ack.communication,
        "version": ack.version,
        "text_html": render_text(ack.version.text, ack.version.text_format),
        "newer": newer,
        "is_mine": ack.person_id == request.user.pk,
        "decline_form": extra.pop("decline_form", None) or ReasonForm(),
        **extra,
    }


@login_required
def ack_detail(request, pk):
    ack = _ack_for(request, pk)
    context = _ack_context(request, ack)
    if ack.person_id != request.user.pk:
        context["can_exempt"] = access.can(request.user, "acknowledgement.exempt", ack.communication.requirement.unit)
        context["exempt_form"] = ReasonForm()
        context["timeline"] = ledger.timeline(ack)
    else:
        context["waiting"] = list(selectors.my_pending(request.user).exclude(pk=ack.pk)[:5])
    return render(request, "requirements/ack_detail.html", context)


def _answer(request, ack, *, decline: bool, channel: str):
    """Confirm or decline; returns (ack, error message, decline form)."""
    meta = {
        "channel": channel,
        "ip_address": client_ip(request),
        "user_agent": request.META.get("HTTP_USER_AGENT", ""),
    }
    form = ReasonForm(request.POST) if decline else None
    try:
        if decline:
            if not form.is_valid():
                return ack, None, form
            ack = services.acknowledgement_decline(
                actor=ack.person, ack=ack, reason=form.cleaned_data["reason"], **meta
            )
        else:
            ack = services.acknowledgement_confirm(actor=ack.person, ack=ack, **meta)
        return ack, None, None
    except DomainError as exc:
        if decline and exc.field == "reason":
            form.add_error("reason", " ".join(exc.messages))
            return ack, None, form
        return ack, exc, None


@login_required
@require_POST
def ack_answer(request, pk):
    ack = (
        Acknowledgement.objects.filter(pk=pk, person=request.user)
        .select_related("communication__requirement", "version", "person")
        .first()
    )
    if ack is None:
        raise Http404("No such request of yours.")
    decline = request.POST.get("answer") == "decline"
    ack, error, decline_form = _answer(request, ack, decline=decline, channel=AckChannel.LOGGED_IN)
    if decline_form is not None:
        ack = _ack_for(request, pk)
        return render(
            request,
            "requirements/ack_detail.html",
            _ack_context(request, ack, decline_form=decline_form, show_decline=True),
            status=400,
        )
    if error is not None:
        messages.error(request, " ".join(error.messages))
        if isinstance(error, SupersededError) and error.newer is not None:
            return redirect("requirements:ack_detail", pk=error.newer.pk)
        return redirect("requirements:ack_detail", pk=ack.pk)
    if ack.status == AckStatus.ACKNOWLEDGED:
        messages.success(request, _("Thank you: your acknowledgement is recorded."))
    else:
        messages.success(request, _("Your answer is recorded; your QSE manager will follow it up."))
    return redirect("requirements:ack_detail", pk=ack.pk)


@login_required
@require_POST
def ack_exempt(request, pk):
    ack = access.get_for_user(
        Acknowledgement.objects.select_related("communication__requirement__unit"),
        request.user,
        pk,
        "acknowledgement.exempt",
        "communication__requirement__unit",
    )
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why this person is exempted."))
    else:
        try:
            services.acknowledgement_exempt(actor=request.user, ack=ack, reason=form.cleaned_data["reason"])
            messages.success(request, _("%(name)s is exempted.") % {"name": ack.person})
        except DomainError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect(
        request.POST.get("next")
        if (request.POST.get("next") or "").startswith("/")
        else reverse("requirements:communication_detail", args=[ack.communication_id])
    )


@login_required
def my_requests(request):
    """What I must read (pending first), and what I answered."""
    pending = list(selectors.my_pending(request.user))
    answered = Paginator(selectors.my_requests(request.user).exclude(status=AckStatus.PENDING), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "requirements/my_requests.html",
        {"pending": pending, "page_obj": answered, "crumbs": [(_("What I must read"), "")]},
    )


def ack_link(request, token):
    """The personal e-mailed link: the request's text and one big button; no log-in needed.

    It opens this request only, expires after SIRIS_ACK_LINK_MAX_AGE_DAYS and works once.
    """
    problem = None
    ack = None
    try:
        ack_id, person_id = links.read_token(token)
        ack = (
            Acknowledgement.objects.select_related(
                "communication__requirement__source", "communication__sent_by", "version", "person"
            )
            .filter(pk=ack_id, person_id=person_id, person__is_active=True)
            .first()
        )
        if ack is None:
            problem = "invalid"
    except links.LinkExpired:
        problem = "expired"
    except links.LinkInvalid:
        problem = "invalid"
    if problem:
        return render(
            request,
            "requirements/ack_link_problem.html",
            {"problem": problem},
            status=410 if problem == "expired" else 404,
        )
    if request.method == "POST":
        decline = request.POST.get("answer") == "decline"
        ack, error, decline_form = _answer(request, ack, decline=decline, channel=AckChannel.EMAIL_LINK)
        if decline_form is not None:
            return render(
                request,
                "requirements/ack_link.html",
                {
                    **_ack_context(request, ack, decline_form=decline_form),
                    "show_decline": True,
                    "token": token,
                },
                status=400,
            )
        if error is not None:
            return render(
                request,
                "requirements/ack_link_problem.html",
                {"problem": "answered", "message": " ".join(error.messages), "ack": ack},
                status=409,
            )
        return render(request, "requirements/ack_link_done.html", {"ack": ack})
    if ack.link_used_at is not None or ack.status != AckStatus.PENDING:
        when = ack.link_used_at or ack.answered_at
        return render(
            request,
            "requirements/ack_link_problem.html",
            {"problem": "used", "ack": ack, "when": when},
            status=409,
        )
    return render(request, "requirements/ack_link.html", {**_ack_context(request, ack), "token": token})
