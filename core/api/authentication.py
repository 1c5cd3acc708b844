"""Personal API tokens: ``Authorization: Token <key>``. Only the key's SHA-256 is stored."""

import hashlib
import secrets

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from core.models import PersonalToken

KEY_PREFIX = "sir_"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


class PersonalTokenAuthentication(authentication.TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key):
        token = (
            PersonalToken.objects.select_related("user")
            .filter(key_hash=hash_key(key), revoked_at__isnull=True)
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("This person is deactivated."))
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            # Not a governed record: the last-use time is a convenience, not proof.
            PersonalToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
