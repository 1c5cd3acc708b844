"""S4, S5, S7 and R7: stored safely, served safely, rendered without fetching, uploads refused."""

import io
import zipfile

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.exceptions import DomainError
from evidence import pdf, services, uploads
from evidence.models import Evidence
from organisation.services import unit_update
from tests.evidence.conftest import PDF_BYTES, PNG_BYTES, dossier_bytes, office_zip, pdf_text, render_now, upload

pytestmark = pytest.mark.django_db

HOSTILE = ('<img src="file:///etc/passwd"><img src="https://attacker.example/pixel.png">'
           '<link rel="stylesheet" href="http://169.254.169.254/latest/meta-data/">'
           '<script>document.write("pwned")</script><style>@import url(/etc/passwd);</style>')


# --- the URL fetcher ----------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "https://attacker.example/x.png",
    "http://169.254.169.254/latest/meta-data/",
    "data:text/css,body{}",
    pdf.STATIC_BASE + "../../../etc/passwd",
    pdf.STATIC_BASE + "%2e%2e/%2e%2e/etc/passwd",
    pdf.STATIC_BASE + "evidence/../../settings.py",
    pdf.STATIC_BASE + "no/such/file.css",
    "https://static.siris.invalid.attacker.example/evidence/pdf.css",
])
def test_fetcher_refuses_everything_but_our_static_files(url):
    fetcher = pdf.StaticOnlyFetcher()
    with pytest.raises(pdf.RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url] and fetcher.served == []


def test_fetcher_serves_our_stylesheet():
    fetcher = pdf.StaticOnlyFetcher()
    response = fetcher.fetch(pdf.STATIC_BASE + "evidence/pdf.css")
    assert b"@page" in response.read() and response.content_type == "text/css"


def test_raw_hostile_html_fetches_nothing(tmp_path):
    """Even HTML that was never escaped cannot make the renderer reach a file or the network."""
    rendered = pdf.render_pdf(f"<html><body><p>x</p>{HOSTILE}</body></html>", pdf_variant=None)
    assert rendered.fetcher.served == []
    assert set(rendered.fetcher.refused) >= {"file:///etc/passwd", "https://attacker.example/pixel.png"}
    text = pdf_text(rendered.pdf, tmp_path)
    assert "root:" not in text and "pwned" not in text


def test_hostile_record_content_is_escaped_and_not_fetched(org, tmp_path, monkeypatch):
    unit_update(actor=org.root, unit=org.assembly, name='<script>document.write("pwned")</script>'
                '<img src="https://attacker.example/x.png">', reason=HOSTILE[:90])
    services.evidence_attach(actor=org.qse, target=org.assembly, upload=upload("x.txt", b"x\n"),
                             title='<img src="file:///etc/passwd">', note=HOSTILE)
    calls = []
    original = pdf.StaticOnlyFetcher.fetch

    def spy(self, url, headers=None):
        calls.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(pdf.StaticOnlyFetcher, "fetch", spy)
    req = render_now(services.dossier_request(actor=org.admin, kind="record", target=org.assembly))
    assert req.status == "done"
    assert calls and all(url.startswith(pdf.STATIC_BASE) for url in calls)
    text = pdf_text(dossier_bytes(req), tmp_path)
    # Printed as the text people typed, not obeyed.
    assert '<img src="file:///etc/passwd">' in text.replace("\n", "")
    assert '<script>document.write("pwned")</script>' in text.replace("\n", "") and "root:x:0" not in text


def test_hostile_text_is_escaped_on_screens(org, client_for):
    ev = services.evidence_attach(actor=org.qse, target=org.assembly, upload=upload("x.txt", b"x\n"),
                                  title="<script>alert(1)</script>", note=HOSTILE)
    body = client_for(org.qse).get(f"/evidence/files/{ev.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert '<img src="file:///etc/passwd">' not in body


# --- storage and serving -------------------------------------------------------------------------

def test_stored_outside_static_root_under_a_random_name(org, media_root):
    ev = services.evidence_attach(actor=org.qse, target=org.lyon, upload=upload("Plan <secret>.pdf"))
    path = (media_root / ev.stored_name).resolve()
    assert path.is_file()
    assert not str(path).startswith(str(settings.STATIC_ROOT)) and not str(path).startswith(
        str(settings.BASE_DIR / "static"))
    assert "secret" not in ev.stored_name and "." not in ev.stored_name.rsplit("/", 1)[-1]


def test_download_is_an_attachment_with_nosniff_and_logged(org, client_for):
    from core.models import AccessLog

    ev = services.evidence_attach(actor=org.qse, target=org.lyon, upload=upload("page.txt", b"plain text <b>not bold</b>\n"))
    response = client_for(org.staff).get(f"/evidence/files/{ev.pk}/download/")
    assert response.status_code == 404  # Lyon-level evidence is not in staff's Assembly scope
    response = client_for(org.manager).get(f"/evidence/files/{ev.pk}/download/")
    assert response.status_code == 404
    response = client_for(org.qse).get(f"/evidence/files/{ev.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"].startswith("text/plain")
    assert b"".join(response.streaming_content) == b"plain text <b>not bold</b>\n"
    log = AccessLog.objects.get(kind="download", user=org.qse)
    assert log.target_type == "evidence.evidence" and log.target_id == str(ev.pk)


# --- upload refusals (R7) ------------------------------------------------------------------------

def refused(org, file, **kwargs) -> str:
    with pytest.raises(DomainError) as exc:
        services.evidence_attach(actor=org.qse, target=org.lyon, upload=file, **kwargs)
    assert exc.value.field == "file"
    assert not Evidence.objects.exists()
    return " ".join(exc.value.messages)


def test_empty_file_refused(org, media_root):
    assert "empty" in refused(org, SimpleUploadedFile("e.pdf", b""))
    assert not media_root.exists() or not any(p.is_file() for p in media_root.rglob("*"))


def test_too_big_refused(org, settings):
    settings.SIRIS_UPLOAD_MAX_BYTES = 1024
    assert "larger than the limit" in refused(org, SimpleUploadedFile("big.txt", b"a" * 2048))


@pytest.mark.parametrize("name,data", [
    ("page.html", b"<!doctype html><html><script>alert(1)</script></html>"),
    ("innocent.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64),  # an .exe
    ("archive.zip", b"PK\x03\x04" + b"\x00" * 40),
    ("binary.txt", b"\x00\x01\x02\x03 not text"),
    ("latin1.txt", "caf\xe9 cr\xe8me".encode("latin-1") + b"\xff\xfe"),
])
def test_refused_types(org, name, data):
    message = refused(org, SimpleUploadedFile(name, data))
    assert "not accepted" in message or "not of an accepted type" in message or "damaged" in message


def test_content_decides_the_type_not_the_name(org):
    ev = services.evidence_attach(actor=org.qse, target=org.lyon, upload=SimpleUploadedFile("photo.pdf", PNG_BYTES))
    assert ev.kind == "png" and ev.original_name == "photo.png" and ev.content_type == "image/png"


def test_compressed_bomb_refused(org):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"0" * (50 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024
    assert "bomb" in refused(org, SimpleUploadedFile("report.docx", buffer.getvalue()))


def test_real_office_files_accepted(org):
    ev = services.evidence_attach(actor=org.qse, target=org.lyon, upload=SimpleUploadedFile("r.docx", office_zip()))
    assert ev.kind == "docx"
    ev = services.evidence_attach(actor=org.qse, target=org.lyon,
                                  upload=SimpleUploadedFile("t.xlsx", office_zip("xlsx")))
    assert ev.kind == "xlsx"


@pytest.mark.parametrize("name,expected", [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("C:\\Users\\x\\evil.pdf", "evil.pdf"),
    ("..", "file.pdf"),
    ("rapport\x00\r\n final.pdf", "rapport_final.pdf"),
    (".htaccess", "htaccess.pdf"),
    ("a" * 400 + ".pdf", "a" * 150 + ".pdf"),
    ("schéma électrique.pdf", "schéma_électrique.pdf"),
])
def test_hostile_names_neutralised(name, expected):
    assert uploads.safe_name(name, "pdf") == expected


def test_upload_screen_refuses_with_reason_and_keeps_nothing(org, client_for, settings):
    settings.SIRIS_UPLOAD_MAX_BYTES = 4096
    client = client_for(org.qse)
    url = f"/evidence/attach/?target=organisation.unit:{org.lyon.pk}"
    today = timezone.localdate().isoformat()
    response = client.post(url, {"file": SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * 200_000),
                                 "effective_on": today, "title": "kept title"})
    assert response.status_code == 400 and "larger than the limit" in response.content.decode()
    response = client.post(url, {"file": SimpleUploadedFile("e.pdf", b""), "effective_on": today,
                                 "title": "kept title"})
    assert response.status_code == 400 and "empty" in response.content.decode()
    assert 'value="kept title"' in response.content.decode()
    assert not Evidence.objects.exists()


def test_streamed_cap_skips_an_oversize_file_when_length_is_not_declared(org, settings, rf):
    """A client that does not declare the length still cannot get past the cap."""
    settings.SIRIS_UPLOAD_MAX_BYTES = 1000
    handler = uploads.CappedUploadHandler()
    handler.new_file("file", "x.txt", "text/plain", None)
    assert handler.receive_data_chunk(b"a" * 600, 0) == b"a" * 600
    from django.core.files.uploadhandler import SkipFile

    with pytest.raises(SkipFile):
        handler.receive_data_chunk(b"a" * 600, 600)
    assert handler.too_big


@pytest.mark.django_db
def test_an_alarm_stays_hidden_from_unit_staff_who_are_not_addressed(org):
    """Evidence and dossiers of an alarm follow the alarm's own visibility, not only its unit's."""
    import datetime

    from django.http import Http404
    from django.utils import timezone

    from decisions.services import alarm_raise
    from evidence import targets

    alarm = alarm_raise(
        actor=org.qse, unit=org.assembly, title="Broken guard", description="The press guard is broken.",
        severity="high", addressees=[org.manager], respond_by=timezone.now() + datetime.timedelta(hours=48),
    )
    assert targets.resolve(org.manager, "decisions.alarm", alarm.pk)[0] == alarm
    with pytest.raises(Http404):
        targets.resolve(org.staff, "decisions.alarm", alarm.pk)
