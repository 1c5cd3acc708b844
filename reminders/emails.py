"""The e-mails: rendered in the recipient's language and time zone, HTML and text, with a deep link.

For an acknowledgement the link is the person's own link from the requirements app
(``requirements.services.acknowledgement_link``) when that app provides one; otherwise it is
``SITE_URL`` + the page where the person acts.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation

from reminders.choices import ChaseKind, NotificationKind

HEADER = "X-Siris-Notification"
# The record an acknowledgement item targets when the requirements app opened it.
ACKNOWLEDGEMENT_MODEL = "requirements.acknowledgement"
_NOT_LOADED = object()


def _acknowledgement_link_func():
    if "requirements" not in settings.INSTALLED_APPS or not find_spec("requirements.services"):
        return None
    return getattr(import_module("requirements.services"), "acknowledgement_link", None)


def absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else settings.SITE_URL + url


def deep_link(item, recipient) -> str:
    """Where the person acts. An escalated manager gets the record's page, not the personal link."""
    if (
        item.kind == ChaseKind.ACKNOWLEDGEMENT
        and item.target_type == ACKNOWLEDGEMENT_MODEL
        and recipient.pk == item.recipient_id
    ):
        func = _acknowledgement_link_func()
        if func is not None:
            # The sender loads a batch's records at once (``item._target``); otherwise fetch this one.
            target = getattr(item, "_target", _NOT_LOADED)
            if target is _NOT_LOADED:
                target = apps.get_model(item.target_type).objects.filter(pk=item.target_id).first()
            if target is not None:
                return absolute(func(target))
    return absolute(item.url)


def _render(base: str, context: dict, language: str, zone: str) -> tuple[str, str, str]:
    with translation.override(language), timezone.override(zone):
        subject = " ".join(render_to_string(f"emails/reminders/{base}_subject.txt", context).split())
        text = render_to_string(f"emails/reminders/{base}.txt", context)
        html = render_to_string(f"emails/reminders/{base}.html", context)
    return subject, text, html


def _message(recipient, subject, text, html, headers, connection) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject, text, settings.DEFAULT_FROM_EMAIL, [recipient.email], headers=headers, connection=connection
    )
    message.attach_alternative(html, "text/html")
    return message


def _language(person) -> str:
    return getattr(person, "language", "") or settings.LANGUAGE_CODE


def _zone(person) -> str:
    return getattr(person, "time_zone", "") or settings.TIME_ZONE


def notification_email(notification, connection=None) -> EmailMultiAlternatives:
    """A reminder to the person who must act, or an escalation to their manager."""
    item, recipient = notification.item, notification.recipient
    base = "escalation" if notification.kind == NotificationKind.ESCALATION else "reminder"
    context = {
        "notification": notification,
        "item": item,
        "recipient": recipient,
        "about": notification.about,
        "link": deep_link(item, recipient),
        "overdue": item.due_at <= timezone.now(),
        "site_url": settings.SITE_URL,
        "kind_label": kind_label(item.kind),
    }
    subject, text, html = _render(base, context, _language(recipient), _zone(recipient))
    return _message(recipient, subject, text, html, {HEADER: str(notification.pk)}, connection)


def digest_email(recipient, notifications, connection=None) -> EmailMultiAlternatives:
    """The daily list of everything due, for a person who chose the digest."""
    now = timezone.now()
    entries = [
        {
            "item": n.item,
            "link": deep_link(n.item, recipient),
            "overdue": n.item.due_at <= now,
            "kind_label": kind_label(n.item.kind),
        }
        for n in notifications
    ]
    context = {"recipient": recipient, "entries": entries, "site_url": settings.SITE_URL}
    subject, text, html = _render("digest", context, _language(recipient), _zone(recipient))
    ids = ",".join(str(n.pk) for n in notifications)
    return _message(recipient, subject, text, html, {HEADER: ids, "X-Siris-Digest": "1"}, connection)


def kind_label(kind: str):
    try:
        return ChaseKind(kind).label
    except ValueError:
        return kind.replace("_", " ")
