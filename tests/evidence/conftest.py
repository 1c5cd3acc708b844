import io
import subprocess
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Evidence and dossiers are stored in a throw-away folder (and never under the static root)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


PDF_BYTES = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
             b"trailer<</Root 1 0 R>>\n%%EOF\n")
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17


def office_zip(kind="docx", members=None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml" if kind == "docx" else "xl/workbook.xml", "<doc/>")
        for name, data in (members or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def upload(name="report.pdf", data=PDF_BYTES, content_type="application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True,
                          text=True).stdout


def pdf_attachments(data: bytes, tmp_path) -> dict[str, bytes]:
    path = tmp_path / "attached.pdf"
    path.write_bytes(data)
    folder = tmp_path / "detached"
    folder.mkdir(exist_ok=True)
    subprocess.run(["pdfdetach", "-saveall", "-o", str(folder), str(path)], capture_output=True, check=True)
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def render_now(req):
    """Run the dossier task's work in this process (what the worker does)."""
    from evidence import render

    render.run(req.pk)
    req.refresh_from_db()
    return req


def dossier_bytes(req) -> bytes:
    with req.open_file() as handle:
        return handle.read()


@pytest.fixture(autouse=True)
def english(request):
    """The QSE persona reads French; these tests read Siris's English wording (screens and PDFs)."""
    if "org" in request.fixturenames:
        from organisation.services import person_set_preferences

        org = request.getfixturevalue("org")
        person_set_preferences(actor=org.qse, person=org.qse, language="en")
