"""The one way Siris turns HTML into PDF: WeasyPrint with a URL fetcher that serves only our static files.

Whatever the records contain, rendering fetches nothing from the network and reads nothing from the
file system outside Siris's static folders: every URL must start with ``STATIC_BASE`` and name a
file the staticfiles finders resolve inside a static root. Anything else (``file://``, ``http(s)://``
elsewhere, ``data:``, ``..`` tricks) is refused and logged; the PDF is rendered without it. User text
is escaped by the templates anyway; the fetcher is the second wall.

Output is PDF/A-3b, with files attached (evidence, the JSON manifest). WeasyPrint's Attachment
objects are single-use, so they are made anew for every render.
"""

from __future__ import annotations

import logging
import mimetypes
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML, Attachment
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)
# WeasyPrint logs every layout step at INFO; a dossier worker needs only its warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# A base URL on a reserved domain (RFC 2606): it can never reach a real server, and only our
# fetcher ever sees it.
STATIC_BASE = "https://static.siris.invalid/"
PDF_VARIANT = "pdf/a-3b"


class RefusedURL(ValueError):
    """A URL the dossier renderer will not fetch."""


def static_roots() -> list[Path]:
    roots = [Path(p).resolve() for p in getattr(settings, "STATICFILES_DIRS", [])]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT).resolve())
    from django.apps import apps

    for config in apps.get_app_configs():
        static = Path(config.path) / "static"
        if static.is_dir():
            roots.append(static.resolve())
    return roots


class StaticOnlyFetcher(URLFetcher):
    """Serves files under our static folders for URLs below ``STATIC_BASE``; refuses every other URL."""

    def __init__(self):
        super().__init__(allowed_protocols={"https"}, allow_redirects=False, timeout=1)
        self.served: list[str] = []
        self.refused: list[str] = []

    def resolve(self, url: str) -> Path:
        if not url.startswith(STATIC_BASE):
            raise RefusedURL(f"not one of Siris's static files: {url[:200]}")
        relative = unquote(urlsplit(url).path).lstrip("/")
        if not relative or any(part in ("", ".", "..") for part in relative.split("/")):
            raise RefusedURL(f"not a plain static path: {url[:200]}")
        found = finders.find(relative)
        if not found:
            raise RefusedURL(f"no such static file: {relative[:200]}")
        path = Path(found).resolve()
        if not any(path.is_relative_to(root) for root in static_roots()) or not path.is_file():
            raise RefusedURL(f"outside the static folders: {relative[:200]}")
        return path

    def fetch(self, url, headers=None):
        try:
            path = self.resolve(url)
        except RefusedURL as exc:
            self.refused.append(url)
            logger.warning("dossier rendering refused a URL: %s", exc)
            raise
        self.served.append(url)
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": mime})


@dataclass
class FileToAttach:
    name: str
    data: bytes
    description: str = ""


@dataclass
class Rendered:
    pdf: bytes
    pages: int
    fetcher: StaticOnlyFetcher


def render_pdf(html: str, *, attachments: list[FileToAttach] = (), pdf_variant: str | None = PDF_VARIANT) -> Rendered:
    """Render HTML (already escaped by a template) to PDF/A with the given files attached."""
    fetcher = StaticOnlyFetcher()
    options = {"pdf_variant": pdf_variant} if pdf_variant else {}
    document = HTML(string=html, base_url=STATIC_BASE, url_fetcher=fetcher).render(**options)
    files = [
        Attachment(string=item.data, name=os.path.basename(item.name), description=item.description,
                   relationship="Data", url_fetcher=fetcher)
        for item in attachments
    ]
    pdf = document.write_pdf(attachments=files, **options)
    return Rendered(pdf=pdf, pages=len(document.pages), fetcher=fetcher)
