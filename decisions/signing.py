"""Electronic signatures: the password asked again, and the hash of exactly what is signed.

A wrong password is refused *and recorded*: the refusal is its own transaction, committed before
the signing is refused, so the attempt stays in the ledger although the signature is not made.
Call the signing services outside a transaction (screens and the API do) for that to hold: inside
a caller's transaction the record is a savepoint that the caller's rollback would undo.
"""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils.translation import gettext as _

from core.exceptions import DomainError
from core.ledger import canonical
from core.services import record_event


def sha256_of(content: dict) -> str:
    return hashlib.sha256(canonical(content).encode("utf-8")).hexdigest()


def check_password(*, actor, password: str, target, what: str, unit_path: str | None = None) -> None:
    """Refuse (and record the refusal) unless ``password`` is the actor's own."""
    if password and actor.check_password(password):
        return
    _record_refusal(actor=actor, target=target, what=what, unit_path=unit_path)
    raise DomainError(_("This is not your password. The signature is refused, and the attempt is recorded."),
                      field="password")


def _record_refusal(*, actor, target, what: str, unit_path: str | None) -> None:
    with transaction.atomic():
        record_event(actor=actor, event_type="SIGNATURE_REFUSED", target=target,
                     payload={"what": what, "reason": "wrong password"}, unit_path=unit_path)
