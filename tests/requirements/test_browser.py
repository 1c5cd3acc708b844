"""Journey J1 in Chromium: create, approve, communicate to a work unit; two staff acknowledge (one
through the e-mailed link on a phone), one declines with a reason; tracking page and API agree."""

import re

import pytest
from django.core import mail

from organisation.choices import Role
from organisation.services import membership_grant
from tests.conftest import need
from tests.personas import PASSWORD, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _login(page, base, username, next_url):
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()


def test_j1_communicate_and_prove(org, live_server, chromium_path, settings):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "Playwright")
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the invitation task runs in the web process after commit
    settings.SITE_URL = live_server.url
    nina = make_person(org.root, "nina", "Nina", "Phone", manager=org.manager)
    omar = make_person(org.root, "omar", "Omar", "Doubt", manager=org.manager)
    for person in (nina, omar):
        membership_grant(actor=org.root, user=person, unit=org.assembly, role=Role.STAFF)
    base = live_server.url

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=ARGS)
        try:
            qse = browser.new_context().new_page()
            _login(qse, base, "qse", "/requirements/new/")
            qse.select_option("select[name=unit]", str(org.lyon.pk))
            qse.fill("input[name=reference]", "CT L4121-1")
            qse.fill("input[name=title]", "Port des EPI en zone de coulée")
            qse.fill("textarea[name=text]", "Wear the **face shield** at the furnace.")
            qse.locator("form.card button[type=submit]").click()
            qse.wait_for_url(re.compile(r"/requirements/\d+/$"))
            qse.get_by_role("button", name=re.compile("Approve version 1|Approuver")).first.click()
            qse.get_by_role("link", name=re.compile("Communicate|Diffuser")).first.click()
            qse.select_option("select[name=units]", [str(org.assembly.pk)])
            qse.locator("form.card button[type=submit]").click()
            qse.wait_for_url(re.compile(r"/requirements/communications/\d+/"))
            assert qse.locator("[data-count=acknowledged]").inner_text() == "0"
            assert qse.locator("[data-count=pending]").inner_text() == "4"
            comm_url = qse.url.split("?")[0]
            comm_id = int(re.search(r"/communications/(\d+)/", comm_url).group(1))

            # One e-mail per person, each with a personal link.
            assert len(mail.outbox) == 4
            link = next(
                re.search(r"(http\S+/requirements/link/\S+/)", m.body).group(1)
                for m in mail.outbox
                if m.to == ["nina@acme.test"]
            )

            # Nina, on a phone, from the e-mailed link: open, one tap, confirmation.
            phone = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
            nina_page = phone.new_page()
            nina_page.goto(link)
            button = nina_page.locator("#ack-confirm")
            box = button.bounding_box()
            assert box["height"] >= 44 and box["x"] + box["width"] <= 375
            assert nina_page.evaluate("document.documentElement.scrollWidth") <= 375
            button.tap()
            nina_page.wait_for_selector("#ack-done")
            nina_page.goto(link)  # works once
            assert nina_page.locator("#link-problem").is_visible()

            # Sam acknowledges logged in; Omar declines with a reason.
            sam = browser.new_context().new_page()
            _login(sam, base, "staff", "/requirements/mine/")
            sam.locator("#must-read a").first.click()
            sam.locator("#ack-confirm").click()
            sam.wait_for_selector(".siris-status--acknowledged")
            omar_page = browser.new_context().new_page()
            _login(omar_page, base, "omar", "/requirements/mine/")
            omar_page.locator("#must-read a").first.click()
            omar_page.locator("details summary").click()
            omar_page.fill("textarea[name=reason]", "The shield model is not available in my size")
            omar_page.locator("#ack-decline").click()
            omar_page.wait_for_selector(".siris-status--declined")

            # The tracking page shows exactly that, and so does the API.
            qse.goto(comm_url)
            counts = {
                k: qse.locator(f"[data-count={k}]").inner_text()
                for k in ("acknowledged", "pending", "declined", "exempted")
            }
            assert counts == {"acknowledged": "2", "pending": "1", "declined": "1", "exempted": "0"}
            assert qse.locator("#tracking-people tr[data-person=manager]").count() == 1  # still pending
            qse.goto(comm_url + "?status=declined")
            assert "not available in my size" in qse.locator("#tracking-people").inner_text()
            api = qse.request.get(f"{base}/api/v1/communications/{comm_id}/").json()
            assert api["counts"] == {"total": 4, "acknowledged": 2, "pending": 1, "declined": 1, "exempted": 0}
            acks = qse.request.get(f"{base}/api/v1/acknowledgements/?communication={comm_id}").json()["results"]
            by_person = {a["person"]: a for a in acks}
            assert by_person[nina.pk]["channel"] == "email_link" and by_person[nina.pk]["status"] == "acknowledged"
            assert by_person[org.staff.pk]["channel"] == "logged_in"
            assert by_person[omar.pk]["reason"] == "The shield model is not available in my size"
            assert by_person[org.manager.pk]["status"] == "pending"
        finally:
            browser.close()
