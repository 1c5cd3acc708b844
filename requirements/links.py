"""The personal e-mailed link: signed, expires, names one request of one person.

It authorises answering that request only (it does not log the person in); ``link_used_at`` on
the request makes it work once. Anything more asks for a log-in.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "siris.requirements.acknowledgement-link"


class LinkInvalid(Exception):
    pass


class LinkExpired(LinkInvalid):
    pass


def make_token(ack) -> str:
    return signing.TimestampSigner(salt=SALT).sign(f"{ack.pk}-{ack.person_id}")


def read_token(token: str) -> tuple[int, int]:
    """(acknowledgement id, person id) from a token, or LinkExpired / LinkInvalid."""
    signer = signing.TimestampSigner(salt=SALT)
    max_age = settings.SIRIS_ACK_LINK_MAX_AGE_DAYS * 86400
    try:
        value = signer.unsign(token, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise LinkExpired(str(exc)) from None
    except signing.BadSignature as exc:
        raise LinkInvalid(str(exc)) from None
    try:
        ack_id, person_id = (int(part) for part in value.split("-", 1))
    except ValueError:
        raise LinkInvalid("malformed") from None
    return ack_id, person_id


def acknowledgement_link(ack) -> str:
    """Absolute URL of the person's link, for the invitation and the reminders' e-mails."""
    return settings.SITE_URL + reverse("requirements:ack_link", args=[make_token(ack)])
