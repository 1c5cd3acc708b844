"""Screens: the in-app inbox (everyone) and the reminder policies (administrators)."""

from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core import access
from core.exceptions import DomainError
from core.models import ChasedItem
from organisation.choices import Role, UnitKind
from organisation.models import Unit, User
from reminders import selectors, services
from reminders.choices import ChaseKind
from reminders.forms import InboxFilterForm, PolicyForm
from reminders.models import Notification
from reminders.services import TargetRef


@login_required
def inbox_view(request):
    form = InboxFilterForm(request.GET or None)
    unread_only = form.is_valid() and form.cleaned_data["show"] == "unread"
    page = Paginator(selectors.inbox(request.user, unread_only=unread_only), 30).get_page(request.GET.get("page"))
    unread, _url = selectors.unread_for(request.user)
    return render(
        request,
        "reminders/inbox.html",
        {"page_obj": page, "filter_form": form, "unread": unread, "now_dt": timezone.now()},
    )


def _own(request, pk) -> Notification:
    # Only one's own notifications exist for the caller: anyone else's is a 404.
    return get_object_or_404(Notification.objects.select_related("item"), pk=pk, recipient=request.user)


@login_required
def notification_open(request, pk):
    """Open the page a notification is about, and count it as read."""
    notification = _own(request, pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    url = notification.item.url
    if not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        url = reverse("reminders:inbox")
    return redirect(url)


@login_required
@require_POST
def notification_read(request, pk):
    services.notification_mark_read(actor=request.user, notification=_own(request, pk))
    return redirect(_back(request))


@login_required
@require_POST
def inbox_read_all(request):
    count = services.notification_mark_all_read(actor=request.user)
    if count:
        messages.success(request, _("All notifications are marked read."))
    return redirect(_back(request))


def _back(request) -> str:
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("reminders:inbox")


def _companies(user):
    return access.units_visible_to(user, roles={Role.ADMINISTRATOR}).filter(kind=UnitKind.COMPANY)


@login_required
def policy_list(request):
    if not access.can_anywhere(request.user, "reminders.policy.edit"):
        raise PermissionDenied
    companies = list(_companies(request.user))
    if not companies:
        raise PermissionDenied
    chosen = next((c for c in companies if str(c.pk) == request.GET.get("company")), companies[0])
    return render(
        request,
        "reminders/policy_list.html",
        {"companies": companies, "company": chosen, "rows": selectors.policies_of(chosen)},
    )


@login_required
def policy_edit(request, company, kind):
    company = access.get_for_user(
        Unit.objects.filter(kind=UnitKind.COMPANY), request.user, company, "reminders.policy.edit", unit_field=""
    )
    if kind not in ChaseKind.values:
        raise Http404("No such kind of item.")
    row = next(r for r in selectors.policies_of(company) if r.kind == kind)
    initial = {
        "anchor": row.schedule.anchor,
        "offsets": list(row.schedule.offsets),
        "repeat_every_days": row.schedule.repeat_every_days,
        "escalate_after": row.schedule.escalate_after,
        "escalate_again_after": row.schedule.escalate_again_after,
        "send_hour": row.schedule.send_hour,
        "enabled": row.schedule.enabled,
    }
    form = PolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        try:
            services.reminder_policy_set(actor=request.user, company=company, kind=kind, reason=reason, **data)
            messages.success(request, _("The reminder policy is saved."))
            return redirect(f"{reverse('reminders:policy_list')}?company={company.pk}")
        except DomainError as exc:
            field = exc.field if exc.field in form.fields else None
            for message in exc.messages:
                form.add_error(field, message)
    crumbs = [(_("Reminder policies"), f"{reverse('reminders:policy_list')}?company={company.pk}"), (row.label, "")]
    return render(
        request, "reminders/policy_form.html", {"form": form, "company": company, "row": row, "crumbs": crumbs}
    )


def _path_visible(user, path: str) -> bool:
    return access.is_superuser(user) or any(path.startswith(g.path) for g in access.grants(user))


@login_required
@require_POST
def remind_now(request):
    """ "Remind now" for a record: everyone still chased for it gets a reminder at once.

    Other apps' pages post here (target_type, target_id, optional recipient, next). Outside the
    caller's units the record does not exist (404); inside without the QSE role, 403. The reminder
    is queued after commit; with Redis away it is sent by the next periodic run.
    """
    target_type, target_id = request.POST.get("target_type", ""), request.POST.get("target_id", "")
    items = ChasedItem.objects.filter(target_type=target_type, target_id=target_id, closed_at__isnull=True)
    path = items.values_list("unit_path", flat=True).first()
    if path is None or not _path_visible(request.user, path):
        raise Http404("Nothing is being chased for this record.")
    if not access.can(request.user, "reminders.remind", SimpleNamespace(path=path)):
        raise PermissionDenied
    recipient = None
    if request.POST.get("recipient", "").isdigit():
        recipient = items.filter(recipient_id=int(request.POST["recipient"])).values_list("recipient", flat=True)
        recipient = User.objects.filter(pk__in=recipient).first()
        if recipient is None:
            raise Http404("This person is not being chased for this record.")
    target = TargetRef(target_type, target_id)
    count = services.remind_now(actor=request.user, target=target, recipient=recipient, unit_path=path)
    messages.success(
        request,
        ngettext("%(count)d reminder is on its way.", "%(count)d reminders are on their way.", count)
        % {"count": count},
    )
    return redirect(_back(request))
