from django.db import models
from django.utils.translation import gettext_lazy as _


class FileKind(models.TextChoices):
    """The file types evidence may be, as detected from the content (never from the name alone)."""

    PDF = "pdf", _("PDF document")
    PNG = "png", _("PNG image")
    JPEG = "jpg", _("JPEG image")
    DOCX = "docx", _("Word document")
    XLSX = "xlsx", _("Excel workbook")
    ODT = "odt", _("OpenDocument text")
    TXT = "txt", _("Plain text")
    CSV = "csv", _("CSV table")


MIME_TYPES = {
    FileKind.PDF: "application/pdf",
    FileKind.PNG: "image/png",
    FileKind.JPEG: "image/jpeg",
    FileKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileKind.ODT: "application/vnd.oasis.opendocument.text",
    FileKind.TXT: "text/plain",
    FileKind.CSV: "text/csv",
}


class DossierKind(models.TextChoices):
    RECORD = "record", _("Record dossier")
    SCOPE = "scope", _("Scope dossier (unit and period)")
    INQUIRY = "inquiry", _("Inquiry dossier as of a date")
    DUERP = "duerp", _("Single risk assessment document (DUERP)")


class DossierStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RENDERING = "rendering", _("Rendering")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
