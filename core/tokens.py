"""Personal API tokens: made and revoked by their owner on the profile page."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import ledger
from core.api.authentication import hash_key, new_key
from core.exceptions import DomainError
from core.models import PersonalToken


@transaction.atomic
def token_create(*, actor, name: str) -> tuple[PersonalToken, str]:
    """Return the token and its key; the key is shown once and never stored."""
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the token a name, so you know later what uses it."), field="name")
    if actor.api_tokens.filter(revoked_at__isnull=True).count() >= 20:
        raise DomainError(_("You already have 20 active tokens; revoke one first."), field="name")
    key = new_key()
    token = PersonalToken.objects.create(user=actor, name=name[:100], prefix=key[4:12], key_hash=hash_key(key))
    ledger.append(actor=actor, event_type="TOKEN_CREATED", target=token, payload={"name": token.name, "prefix": token.prefix})
    return token, key


@transaction.atomic
def token_revoke(*, actor, token: PersonalToken) -> PersonalToken:
    token = PersonalToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    ledger.append(actor=actor, event_type="TOKEN_REVOKED", target=token, payload={"name": token.name, "prefix": token.prefix})
    return token
