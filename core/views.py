"""Kernel screens: My work, profile (preferences and API tokens), language switch, ledger."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import access, dashboard, ledger
from core.exceptions import DomainError
from core.forms import LedgerFilterForm, PreferencesForm, TokenForm
from core.models import LedgerEntry
from core.tokens import token_create, token_revoke
from organisation.choices import Role
from organisation.services import person_set_preferences


@login_required
def dashboard_view(request):
    return render(request, "core/dashboard.html", {"panels": dashboard.panels_for(request)})


@login_required
def profile_view(request):
    user = request.user
    prefs = PreferencesForm(
        request.POST if request.POST.get("form") == "preferences" else None,
        initial={"language": user.language, "time_zone": user.time_zone, "wants_digest": user.wants_digest},
    )
    token_form = TokenForm(request.POST if request.POST.get("form") == "token" else None)
    new_key = None
    if request.method == "POST":
        if request.POST.get("form") == "preferences" and prefs.is_valid():
            person_set_preferences(actor=user, person=user, **prefs.cleaned_data)
            messages.success(request, _("Your preferences are saved."))
            return redirect("core:profile")
        if request.POST.get("form") == "token" and token_form.is_valid():
            try:
                _token, new_key = token_create(actor=user, name=token_form.cleaned_data["name"])
                token_form = TokenForm()
            except DomainError as exc:
                token_form.add_error("name", exc.messages[0])
    memberships = user.memberships.select_related("unit").order_by("-starts_on")
    return render(
        request,
        "core/profile.html",
        {
            "prefs_form": prefs,
            "token_form": token_form,
            "new_key": new_key,
            "tokens": user.api_tokens.all(),
            "memberships": memberships,
        },
    )


@login_required
@require_POST
def token_revoke_view(request, pk):
    token = get_object_or_404(request.user.api_tokens, pk=pk)
    token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token %(name)s is revoked.") % {"name": token.name})
    return redirect("core:profile")


@require_POST
def set_language_view(request):
    """Switch language: kept on the profile when signed in, in a cookie otherwise."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language not in dict(translation.trans_real.get_languages()):
        return response
    if request.user.is_authenticated and request.user.language != language:
        person_set_preferences(actor=request.user, person=request.user, language=language)
    from django.conf import settings

    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE, httponly=True,
    )
    return response


@login_required
def ledger_view(request):
    """The ledger for administrators and auditors (and QSE managers), scoped to their units."""
    if not access.can_anywhere(request.user, "ledger.view"):
        raise PermissionDenied
    entries = LedgerEntry.objects.order_by("-seq")
    if not access.is_superuser(request.user):
        allowed = {Role.ADMINISTRATOR, Role.AUDITOR, Role.QSE_MANAGER}
        paths = sorted({g.path for g in access.grants(request.user) if g.role in allowed})
        from django.db.models import Q

        condition = Q()
        for path in paths:
            condition |= Q(unit_path__startswith=path)
        entries = entries.filter(condition)
    form = LedgerFilterForm(request.GET or None)
    if form.is_valid():
        if form.cleaned_data["event_type"]:
            entries = entries.filter(event_type__icontains=form.cleaned_data["event_type"].strip())
        target = form.cleaned_data["target"].strip()
        if target:
            target_type, _sep, target_id = target.partition(":")
            entries = entries.filter(target_type=target_type, **({"target_id": target_id} if target_id else {}))
    page = Paginator(entries.only(
        "seq", "recorded_at", "actor_label", "event_type", "target_type", "target_id", "payload", "hash"
    ), 50).get_page(request.GET.get("page"))
    head = ledger.LedgerHead.objects.filter(pk=1).first()
    return render(request, "core/ledger.html", {"page_obj": page, "filter_form": form, "head": head})
