"""Evidence files attached to governed records, and proof dossier requests.

An evidence file is attached to one governed record (any app: ``target_type`` "app_label.model" and
``target_id``), belongs to that record's unit for access, and is never deleted: a new version
supersedes it and both stay. A dossier request is a record too: who asked for which dossier of
which scope, and once rendered, the file and its SHA-256, which is also written to the ledger.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import GovernedModel
from evidence.choices import DossierKind, DossierStatus, FileKind
from evidence.storage import get_storage, new_reference


class Evidence(GovernedModel):
    """One version of a file proving something about a record, for the period it covers.

    ``effective_on`` (and ``effective_until``) is the period the file proves, which is not the upload
    date; ``expires_on`` is when it stops being valid proof (a certificate, a training card), and
    the uploader is chased before then. ``supersedes`` links a new version to the one it replaces.
    """

    unit = models.ForeignKey("organisation.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="evidence")
    target_type = models.CharField(_("record type"), max_length=100)
    target_id = models.CharField(_("record id"), max_length=64)
    target_label = models.CharField(_("record"), max_length=300)
    title = models.CharField(_("title"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    # The storage name (random, see evidence.storage). A plain column rather than a FileField: the
    # ledger hashes history rows by their column values, and the name is all that identifies the file.
    stored_name = models.CharField(_("stored file"), max_length=200, editable=False)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    kind = models.CharField(_("type"), max_length=10, choices=FileKind.choices)
    content_type = models.CharField(max_length=120)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    on_delete=models.PROTECT, related_name="+")
    effective_on = models.DateField(_("proves from"))
    effective_until = models.DateField(_("proves until"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    supersedes = models.OneToOneField("self", verbose_name=_("replaces"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="superseded_by")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        indexes = [models.Index(fields=["target_type", "target_id"], name="evidence_target_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="evidence_not_empty"),
            models.CheckConstraint(condition=Q(expires_on__isnull=True) | Q(expires_on__gte=F("effective_on")),
                                   name="evidence_expires_after_effective"),
            models.CheckConstraint(
                condition=Q(effective_until__isnull=True) | Q(effective_until__gte=F("effective_on")),
                name="evidence_period_in_order"),
            models.CheckConstraint(condition=Q(version__gte=1), name="evidence_version_positive"),
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})"

    @property
    def is_current(self) -> bool:
        return not hasattr(self, "superseded_by") or self.superseded_by is None

    def open_file(self):
        return get_storage().open(self.stored_name, "rb")

    def is_expired(self, on=None) -> bool:
        return self.expires_on is not None and self.expires_on < (on or timezone.localdate())


class DossierRequest(GovernedModel):
    """A proof dossier someone asked for; rendered by a worker on the dossiers queue.

    Kinds: a record dossier (``target_*``), a scope dossier (``unit`` and a period), an inquiry
    dossier for ``unit`` as of ``as_of`` (nothing recorded after it leaks in), and the DUERP of a
    site or company (each issued version gets the next ``duerp_version`` and is kept as issued).
    """

    reference = models.CharField(_("dossier id"), max_length=20, unique=True, default=new_reference,
                                 editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=DossierKind.choices)
    unit = models.ForeignKey("organisation.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="dossiers")
    target_type = models.CharField(_("record type"), max_length=100, blank=True)
    target_id = models.CharField(_("record id"), max_length=64, blank=True)
    scope_label = models.CharField(_("scope"), max_length=400)
    period_start = models.DateField(_("from"), null=True, blank=True)
    period_end = models.DateField(_("to"), null=True, blank=True)
    as_of = models.DateTimeField(_("as of"), null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
                                     on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=DossierStatus.choices,
                              default=DossierStatus.QUEUED, db_index=True)
    error = models.TextField(_("error"), blank=True)
    stored_name = models.CharField(_("stored file"), max_length=200, blank=True, editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    started_at = models.DateTimeField(_("rendering started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_seq = models.BigIntegerField(_("ledger entry"), null=True, blank=True)
    duerp_version = models.PositiveIntegerField(_("DUERP version"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("proof dossier")
        verbose_name_plural = _("proof dossiers")
        constraints = [
            models.CheckConstraint(condition=~Q(kind="record") | ~Q(target_type=""), name="dossier_record_has_target"),
            models.CheckConstraint(
                condition=~Q(kind="scope") | Q(period_start__isnull=False, period_end__isnull=False,
                                               period_end__gte=F("period_start")),
                name="dossier_scope_has_period"),
            models.CheckConstraint(condition=~Q(kind="inquiry") | Q(as_of__isnull=False), name="dossier_inquiry_has_date"),
            models.CheckConstraint(condition=~Q(status="done") | ~Q(sha256=""), name="dossier_done_has_hash"),
            models.UniqueConstraint(fields=["unit", "duerp_version"], condition=Q(duerp_version__isnull=False),
                                    name="dossier_duerp_version_once"),
        ]

    def __str__(self):
        return f"{self.reference} · {self.get_kind_display()} · {self.scope_label}"

    def open_file(self):
        return get_storage().open(self.stored_name, "rb")

    @property
    def filename(self) -> str:
        return f"siris-{self.kind}-{self.reference}.pdf"


class DossierProgress(models.Model):
    """How far a rendering has got (percent and step), polled by the dossier page.

    Operational state, not proof: the request's status changes and the issued hash are the record.
    """

    request = models.OneToOneField(DossierRequest, on_delete=models.CASCADE, related_name="progress")
    percent = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(percent__lte=100), name="dossier_progress_percent")]

    def __str__(self):
        return f"{self.percent}% {self.step}"
