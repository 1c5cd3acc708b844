"""Reads of evidence and dossiers shared by screens, API, dossiers and the verify page."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db.models import Q

from core import access
from core.ledger import label_for
from core.models import AccessLog, LedgerEntry
from evidence.choices import DossierStatus
from evidence.models import DossierRequest, Evidence


def evidence_visible_to(user):
    return access.visible_to(Evidence.objects.all(), user)


def evidence_for_record(obj):
    """Every version of every file attached to a record, newest first, with who uploaded it."""
    return (Evidence.objects.filter(target_type=label_for(obj), target_id=str(obj.pk))
            .select_related("uploaded_by", "superseded_by").order_by("title", "-version"))


def evidence_list(user, *, q: str = "", target: str = "", kind: str = "", current: str = "", expiring=None,
                  sort: str = "-created_at"):
    qs = evidence_visible_to(user).select_related("uploaded_by", "unit", "superseded_by")
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(original_name__icontains=q) | Q(target_label__icontains=q)
                       | Q(sha256__iexact=q))
    if target:
        target_type, _sep, target_id = target.partition(":")
        qs = qs.filter(target_type=target_type, **({"target_id": target_id} if target_id else {}))
    if kind:
        qs = qs.filter(kind=kind)
    if current == "1":
        qs = qs.filter(superseded_by__isnull=True)
    if expiring is not None:
        qs = qs.filter(expires_on__isnull=False, expires_on__lte=expiring)
    allowed = {"created_at", "-created_at", "title", "-title", "effective_on", "-effective_on", "expires_on",
               "-expires_on"}
    return qs.order_by(sort if sort in allowed else "-created_at", "-pk")


def dossiers_visible_to(user):
    return access.visible_to(DossierRequest.objects.all(), user)


def dossier_list(user, *, kind: str = "", status: str = "", unit=None):
    qs = dossiers_visible_to(user).select_related("unit", "requested_by", "progress")
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    return qs.order_by("-created_at", "-pk")


def duerp_versions(unit):
    return (DossierRequest.objects.filter(unit=unit, kind="duerp", status=DossierStatus.DONE)
            .select_related("requested_by").order_by("-duerp_version"))


def dossiers_for_record(obj):
    return (DossierRequest.objects.filter(target_type=label_for(obj), target_id=str(obj.pk))
            .select_related("requested_by").order_by("-created_at"))


@dataclass
class Verification:
    sha256: str
    dossier: DossierRequest | None
    entry: LedgerEntry | None

    @property
    def issued(self) -> bool:
        return self.dossier is not None and self.entry is not None


def normalise_hash(value: str) -> str:
    value = (value or "").strip().lower()
    return value if len(value) == 64 and all(c in "0123456789abcdef" for c in value) else ""


def verify_hash(sha256: str) -> Verification:
    """Whether Siris issued a file with this SHA-256: the ledger entry is what proves it."""
    sha256 = normalise_hash(sha256)
    if not sha256:
        return Verification(sha256="", dossier=None, entry=None)
    dossier = (DossierRequest.objects.filter(sha256=sha256, status=DossierStatus.DONE)
               .select_related("unit").first())
    entry = None
    if dossier is not None:
        entry = (LedgerEntry.objects.filter(event_type="DOSSIER_ISSUED", target_type="evidence.dossierrequest",
                                            target_id=str(dossier.pk), payload__sha256=sha256).first())
    return Verification(sha256=sha256, dossier=dossier, entry=entry)


def file_sha256(fileobj) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: fileobj.read(1024 * 1024), b""):
        digest.update(chunk)
    return digest.hexdigest()


def access_log(user, *, person=None, kind: str = "", since=None, until=None):
    """The access log for administrators: page views by auditors and every download, in their units.

    Downloads of files on units the administrator does not administer are left out; auditors' page
    views are shown for auditors granted on the administrator's units.
    """
    qs = AccessLog.objects.select_related("user").order_by("-at", "-pk")
    if not access.is_superuser(user):
        from organisation.models import Membership

        admin_units = access.units_visible_to(user, roles={"administrator"})
        people = Membership.objects.filter(unit__in=admin_units).values("user_id")
        qs = qs.filter(user_id__in=people)
    if person is not None:
        qs = qs.filter(user=person)
    if kind:
        qs = qs.filter(kind=kind)
    if since:
        qs = qs.filter(at__date__gte=since)
    if until:
        qs = qs.filter(at__date__lte=until)
    return qs
