"""Done-when, in Chromium: a QSE manager assesses a risk, creates and links a control with a
monthly checklist, records a failed inspection (on a phone: the action notice shows before saving)
and a passed one, and sees the risk page, the register and the planned-versus-performed report
change; the API returns the same figures."""

import datetime
import re

import pytest
from django.apps import apps
from django.utils import timezone

from controls.models import Control, Inspection
from tests.conftest import need
from tests.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def _login(page, base, username, next_url):
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()


def _cells(page):
    row = page.locator("#report-table tbody tr").first
    return [int(t) for t in row.locator("td").all_inner_texts()]


def _record(page, base, control, result, answers):
    page.goto(f"{base}/controls/{control.pk}/inspect/")
    for index, answer in enumerate(answers):
        page.locator("fieldset.controls-item").nth(index).locator(f"label:has(input[value={answer}])").click()
    page.locator(f"label.controls-choice--{result}").click()


def test_qse_links_a_control_records_inspections_and_sees_the_report(org, live_server, chromium_path):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "Playwright")
    from risks.services import risk_create

    risk = risk_create(actor=org.qse, unit=org.assembly, title="Hand caught in the press", hazard="Moving parts",
                       owner=org.manager)
    base = live_server.url
    today = timezone.localdate()
    end = today + datetime.timedelta(days=62)
    report_url = f"/controls/report/?unit={org.assembly.pk}&start={today.replace(day=1)}&end={end}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=ARGS)
        try:
            page = browser.new_context().new_page()
            # 1. The QSE manager assesses the risk through the risks app's form.
            _login(page, base, "qse", f"/risks/{risk.pk}/assess/")
            for name, value in (("inherent_likelihood", "3"), ("inherent_severity", "4"),
                                ("residual_likelihood", "2"), ("residual_severity", "4")):
                page.select_option(f"select[name={name}]", value)
            page.fill("textarea[name=rationale]", "Guard often removed for die changes.")
            page.fill("input[name=assessed_on]", today.isoformat())
            page.locator("main form button[type=submit]").last.click()
            page.wait_for_url(re.compile(rf"/risks/{risk.pk}/$"))
            risk.refresh_from_db()
            assert risk.current_assessment is not None

            # 2. A monthly control with a two-item checklist, linked to the risk.
            page.goto(f"{base}/controls/new/")
            page.fill("input[name=title]", "Press 4 guard check")
            page.select_option("select[name=kind]", "preventive")
            page.select_option("select[name=unit]", str(org.assembly.pk))
            page.select_option("select[name=owner]", str(org.manager.pk))
            page.fill("input[name=frequency_count]", "1")
            page.select_option("select[name=frequency_unit]", "month")
            page.fill("input[name=in_service_since]", (today - datetime.timedelta(days=30)).isoformat())
            page.fill("input[name=next_due_on]", today.isoformat())
            page.locator("main form button[type=submit]").click()
            page.wait_for_url(re.compile(r"/controls/\d+/checklist/$"))
            control = Control.objects.get(title="Press 4 guard check")
            page.fill("input[name=items-0-text]", "Guard closed and bolted")
            page.fill("input[name=items-1-text]", "Interlock stops the press")
            page.locator("main form button[type=submit]").first.click()
            page.wait_for_url(re.compile(rf"/controls/{control.pk}/$"))
            page.goto(f"{base}/controls/{control.pk}/links/")
            page.locator(f"input[name=risks][value='{risk.pk}']").check()
            page.locator("main form button[type=submit]").click()
            page.wait_for_url(re.compile(rf"/controls/{control.pk}/$"))
            assert "Hand caught in the press" in page.locator("main").inner_text()
            page.goto(f"{base}/risks/{risk.pk}/")
            assert "Press 4 guard check" in page.locator("#risk-controls").inner_text()
            page.goto(f"{base}/risks/")
            assert "Hand caught in the press" in page.locator("main").inner_text()

            page.goto(f"{base}{report_url}")
            before = _cells(page)  # due, on time, late, missed, to come, failed, partial
            assert before[1] == 0 and before[5] == 0

            # 3. A failed inspection, on a phone: big buttons, the action notice before saving.
            phone = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
            mobile = phone.new_page()
            _login(mobile, base, "qse", f"/controls/{control.pk}/inspect/")
            _record(mobile, base, control, "fail", ["not_ok", "ok"])
            if apps.is_installed("actions"):
                assert mobile.locator("#action-notice").is_visible()
            assert mobile.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
            assert mobile.locator("label.controls-choice--fail").bounding_box()["height"] >= 44
            mobile.fill("textarea[name=findings]", "Two guard bolts missing")
            mobile.locator("main form button[type=submit]").click()
            mobile.wait_for_url(re.compile(r"/controls/inspections/\d+/$"))
            assert "Two guard bolts missing" in mobile.locator("main").inner_text()

            # 4. A passed inspection (the next one, done early), on the desktop.
            _record(page, base, control, "pass", ["ok", "ok"])
            assert not page.locator("#action-notice").is_visible()
            page.locator("main form button[type=submit]").click()
            page.wait_for_url(re.compile(r"/controls/inspections/\d+/$"))
            assert Inspection.objects.filter(control=control).count() == 2

            # 5. The report changed accordingly, and the API says the same.
            page.goto(f"{base}{report_url}")
            after = _cells(page)
            assert after[1] == before[1] + 2  # both done on time
            assert after[5] == 1 and after[3] == 0
            assert page.locator("svg.controls-chart rect").count() >= 2
            api = page.request.get(f"{base}/api/v1/controls-report/?unit={org.assembly.pk}"
                                   f"&start={today.replace(day=1)}&end={end}").json()
            total = api["total"]
            assert [total[c] for c in ("due", "on_time", "late", "missed", "upcoming", "failed", "partial")] == after
            inspections = page.request.get(f"{base}/api/v1/inspections/?control={control.pk}").json()["results"]
            assert sorted(i["result"] for i in inspections) == ["fail", "pass"]
        finally:
            browser.close()
