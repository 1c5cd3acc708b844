"""Journeys J4 (inquiry dossier as of a date) and J5 (the auditor) in a real Chromium.

The dossier worker is played by the test itself: the web process only queues the request (its
enqueue is replaced by a list), the test calls the render function, and the page, which polls with
htmx, shows the download by itself.
"""

import datetime
import hashlib
import re

import pytest
from django.utils import timezone

from core.models import AccessLog
from evidence import render, services
from evidence.models import DossierRequest
from organisation.services import person_set_preferences, unit_update
from tests.conftest import need
from tests.personas import PASSWORD, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def _login(page, base, username, next_url):
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()


@pytest.fixture
def queued(monkeypatch, settings, live_server, tmp_path):
    settings.SITE_URL = live_server.url
    settings.MEDIA_ROOT = str(tmp_path / "media")
    ids = []
    monkeypatch.setattr(services, "enqueue_render", lambda pk: ids.append(pk) or True)
    return ids


def _playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "Playwright")
    return sync_playwright()


def test_j4_inquiry_dossier_as_of_date_d(org, live_server, chromium_path, queued, tmp_path):
    person_set_preferences(actor=org.qse, person=org.qse, language="en")
    day_d = timezone.localdate()
    base = live_server.url
    with _playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=ARGS)
        try:
            page = browser.new_context(accept_downloads=True).new_page()
            _login(page, base, "qse", "/evidence/dossiers/new/")
            page.select_option("select[name=kind]", "inquiry")
            page.select_option("select[name=unit]", str(org.assembly.pk))
            page.fill("input[name=as_of]", day_d.isoformat())
            page.get_by_role("button", name="Prepare the dossier").click()
            page.wait_for_url(re.compile(r"/evidence/dossiers/\d+/$"))
            assert page.get_by_text("Waiting for the dossier worker").is_visible()
            req = DossierRequest.objects.get()
            assert queued == [req.pk] and req.status == "queued"
            # A change after D must not appear in the dossier of D.
            with_time = timezone.now() + datetime.timedelta(days=2)
            import time_machine

            with time_machine.travel(with_time, tick=True):
                unit_update(actor=org.root, unit=org.assembly, name="Assembly (renamed later)", reason="later")
            render.run(req.pk)  # the dossier worker
            link = page.get_by_test_id("dossier-download")
            link.wait_for(timeout=15000)  # htmx polling swaps the progress card
            with page.expect_download() as info:
                link.click()
            path = info.value.path()
            data = open(path, "rb").read()
            req.refresh_from_db()
            assert hashlib.sha256(data).hexdigest() == req.sha256
            assert page.get_by_test_id("dossier-sha256").inner_text() == req.sha256
            text_path = tmp_path / "j4.pdf"
            text_path.write_bytes(data)
            from tests.evidence.conftest import pdf_text

            text = pdf_text(data, tmp_path)
            assert "Inquiry dossier" in text and "renamed later" not in text
            page.goto(f"{base}/evidence/verify/")
            page.set_input_files("input[name=file]", str(text_path))
            page.get_by_role("button", name="Check").click()
            assert page.get_by_test_id("verify-ok").is_visible()
            assert req.reference in page.get_by_test_id("verify-ok").inner_text()
        finally:
            browser.close()


def test_j5_auditor_for_14_days(org, live_server, chromium_path, queued, tmp_path):
    import time_machine

    audrey = make_person(org.root, "audrey", "Audrey", "External")
    dossier = render.run(services.dossier_request(actor=org.admin, kind="duerp", unit=org.lyon).pk)
    outside = render.run(services.dossier_request(actor=org.admin, kind="duerp", unit=org.lille).pk)
    today = timezone.localdate()
    base = live_server.url
    with _playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=ARGS)
        try:
            admin = browser.new_context().new_page()
            _login(admin, base, "admin", "/organisation/auditors/new/")
            admin.select_option("select[name=user]", str(audrey.pk))
            admin.select_option("select[name=unit]", str(org.lyon.pk))
            admin.fill("input[name=starts_on]", today.isoformat())
            admin.fill("input[name=ends_on]", (today + datetime.timedelta(days=13)).isoformat())
            admin.locator("form button[type=submit]").last.click()
            admin.wait_for_url(re.compile(r"/organisation/auditors/$"))
            assert audrey.memberships.get().ends_on == today + datetime.timedelta(days=13)

            context = browser.new_context(accept_downloads=True)
            page = context.new_page()
            _login(page, base, "audrey", "/evidence/dossiers/")
            assert page.get_by_role("link", name=dossier.reference).is_visible()
            assert page.get_by_role("link", name=outside.reference).count() == 0  # another site
            page.get_by_role("link", name=dossier.reference).click()
            with page.expect_download() as info:
                page.get_by_test_id("dossier-download").click()
            file_path = tmp_path / "audit.pdf"
            info.value.save_as(str(file_path))
            page.goto(f"{base}/evidence/verify/")
            page.set_input_files("input[name=file]", str(file_path))
            page.get_by_role("button", name="Check").click()
            assert page.get_by_test_id("verify-ok").is_visible()
            # No way to write: the request form is refused.
            response = page.goto(f"{base}/evidence/dossiers/new/")
            assert response.status == 403
            logs = set(AccessLog.objects.filter(user=audrey).values_list("kind", "path"))
            assert ("view", "/evidence/dossiers/") in logs and ("view", f"/evidence/dossiers/{dossier.pk}/") in logs
            assert ("download", f"/evidence/dossiers/{dossier.pk}/download/") in logs

            # Day 15: the access is gone at once, even for a page already open.
            day_15 = timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=14),
                                                                   datetime.time(8)))
            with time_machine.travel(day_15, tick=True):
                response = page.goto(f"{base}/evidence/dossiers/{dossier.pk}/download/")
                if "/accounts/login/" in page.url:  # the session may have run out too: log in again
                    _login(page, base, "audrey", f"/evidence/dossiers/{dossier.pk}/download/")
                    response = page.goto(f"{base}/evidence/dossiers/{dossier.pk}/download/")
                assert response.status == 404
                assert page.goto(f"{base}/evidence/dossiers/").status == 403
        finally:
            browser.close()
