"""Upload rules: size cap before the whole body is read, type by content, safe names, no bombs.

Every refusal raises ``DomainError(field="file")`` with the reason in words; nothing is stored
(the refused upload only ever sat in Django's temporary upload file, which is removed with the
request).
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from core.exceptions import DomainError
from evidence.choices import MIME_TYPES, FileKind

# What filetype's content detection may say, mapped to our allow-list.
_DETECTED = {"pdf": FileKind.PDF, "png": FileKind.PNG, "jpg": FileKind.JPEG, "docx": FileKind.DOCX,
             "xlsx": FileKind.XLSX, "odt": FileKind.ODT}
_ZIP_BASED = {FileKind.DOCX, FileKind.XLSX, FileKind.ODT}
# A compressed office file may not unpack to more than this, nor at a higher ratio.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
MAX_MEMBERS = 10_000
# Multipart overhead allowed above the file cap before the request is refused unread.
MULTIPART_SLACK = 64 * 1024
_CHUNK = 64 * 1024


def max_bytes() -> int:
    return settings.SIRIS_UPLOAD_MAX_BYTES


def too_big_message() -> str:
    return _("The file is larger than the limit of %(limit)s.") % {"limit": filesizeformat(max_bytes())}


def request_too_big(request) -> bool:
    """Whether the declared body is over the cap: then it is refused before anything is read."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > max_bytes() + MULTIPART_SLACK


class CappedUploadHandler(FileUploadHandler):
    """First in the chain: counts a file's bytes as they stream in and skips it past the cap.

    A client may lie about Content-Length (or send it chunked): the file is dropped as soon as it
    goes over, so the rest of it is never kept anywhere.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.too_big = False
        self._received = 0

    def new_file(self, *args, **kwargs):
        self._received = 0
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        self._received += len(raw_data)
        if self._received > max_bytes():
            self.too_big = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


def install_cap(request) -> CappedUploadHandler:
    """Put the cap first in the request's upload handlers (before request.POST/FILES is read)."""
    handler = CappedUploadHandler(request)
    request.upload_handlers.insert(0, handler)
    return handler


@dataclass
class CheckedFile:
    name: str
    size: int
    sha256: str
    kind: str
    content_type: str


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def safe_name(name: str, kind: str) -> str:
    """A harmless display name: no directories, no control characters, the detected extension."""
    name = unicodedata.normalize("NFC", name or "")
    name = os.path.basename(name.replace("\\", "/"))
    name = _CONTROL.sub("", name).strip().lstrip(".")
    stem = os.path.splitext(name)[0]
    try:
        stem = get_valid_filename(stem)
    except Exception:  # noqa: BLE001 (SuspiciousFileOperation on names like "..": use a neutral one)
        stem = ""
    stem = stem[:150] or "file"
    return f"{stem}.{kind}"


def _read_head_and_hash(upload) -> tuple[bytes, str, int]:
    digest = hashlib.sha256()
    head = b""
    size = 0
    upload.seek(0)
    for chunk in upload.chunks(_CHUNK):
        if len(head) < 8192:
            head += chunk[: 8192 - len(head)]
        digest.update(chunk)
        size += len(chunk)
        if size > max_bytes():
            raise DomainError(too_big_message(), field="file")
    upload.seek(0)
    return head, digest.hexdigest(), size


def _is_text(upload) -> bool:
    """UTF-8 plain text without NUL bytes (so no binary slips through as "text")."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    upload.seek(0)
    try:
        for chunk in upload.chunks(_CHUNK):
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        upload.seek(0)
    return True


_MARKUP = (b"<!doctype", b"<html", b"<svg", b"<script", b"<?xml", b"<body", b"<head", b"<iframe", b"<object")


def _looks_like_markup(head: bytes) -> bool:
    """Text that a browser would run as a page (HTML, SVG, XML): refused, plain text only."""
    start = head[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith(b"<") and any(tag in start for tag in _MARKUP)


def _check_zip(upload) -> None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise DomainError(_("The document holds too many parts to be checked safely."), field="file")
            unpacked = sum(m.file_size for m in members)
            packed = sum(m.compress_size for m in members) or 1
    except zipfile.BadZipFile:
        raise DomainError(_("The document is damaged: it cannot be opened."), field="file")
    finally:
        upload.seek(0)
    if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_RATIO:
        raise DomainError(
            _("The document unpacks to %(size)s, far more than its own size: it looks like a compressed "
              "bomb and is refused.") % {"size": filesizeformat(unpacked)},
            field="file",
        )


def check_upload(upload) -> CheckedFile:
    """Apply every upload rule to an uploaded file, or refuse it with the reason."""
    if upload is None:
        raise DomainError(_("Choose a file to upload."), field="file")
    if upload.size is not None and upload.size > max_bytes():
        raise DomainError(too_big_message(), field="file")
    if not upload.size:
        raise DomainError(_("The file is empty."), field="file")
    head, sha256, size = _read_head_and_hash(upload)
    if size == 0:
        raise DomainError(_("The file is empty."), field="file")
    detected = filetype.guess(head)
    if detected is not None:
        kind = _DETECTED.get(detected.extension)
        if kind is None:
            raise DomainError(
                _("Files of this type (%(type)s) are not accepted. Accepted: PDF, PNG, JPEG, Word (DOCX), "
                  "Excel (XLSX), OpenDocument text (ODT), plain text and CSV.") % {"type": detected.mime},
                field="file",
            )
    elif _looks_like_markup(head):
        raise DomainError(
            _("This looks like a web page, an SVG image or an XML document, which are not accepted. Save it as "
              "PDF first."),
            field="file",
        )
    elif _is_text(upload):
        kind = FileKind.CSV if (upload.name or "").lower().endswith(".csv") else FileKind.TXT
    else:
        raise DomainError(
            _("The content of this file is not of an accepted type. Accepted: PDF, PNG, JPEG, Word (DOCX), "
              "Excel (XLSX), OpenDocument text (ODT), plain text and CSV."),
            field="file",
        )
    if kind in _ZIP_BASED:
        _check_zip(upload)
    return CheckedFile(name=safe_name(upload.name, kind), size=size, sha256=sha256, kind=kind,
                       content_type=MIME_TYPES[kind])
