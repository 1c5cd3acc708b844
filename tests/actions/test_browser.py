"""Journey J2 in Chromium: an inspection fails (through the controls app's real service); an action
opens with an owner and a due date; the owner starts and completes it with a note; another person
verifies its effectiveness; it closes, and its page shows the origin, the log and the timeline."""

import datetime
import re

import pytest
from django.utils import timezone

from actions.models import Action
from tests.conftest import need
from tests.personas import PASSWORD

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


def _failed_inspection(org):
    from controls.services import control_create, inspection_record

    control = control_create(
        actor=org.qse,
        unit=org.assembly,
        owner=org.manager,
        title="Press 4 guard check",
        kind="preventive",
        next_due_on=timezone.localdate() + datetime.timedelta(days=2),
    )
    return inspection_record(
        actor=org.staff, control=control, performed_at=timezone.now(), result="fail", findings="Two guard bolts missing"
    )


def test_j2_inspect_and_correct(org, live_server, chromium_path):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "Playwright")
    inspection = _failed_inspection(org)
    action = Action.objects.get(origin_type="controls.inspection", origin_id=str(inspection.pk))
    assert action.owner == org.manager and action.due_on == timezone.localdate() + datetime.timedelta(days=7)
    base = live_server.url

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=ARGS)
        try:
            # The owner finds it in "My actions", on a phone.
            phone = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
            owner = phone.new_page()
            _login(owner, base, "manager", "/actions/mine/")
            assert "scope=mine" in owner.url
            owner.locator(f"a[href='/actions/{action.pk}/']").click()
            owner.wait_for_url(re.compile(rf"/actions/{action.pk}/$"))
            assert owner.locator("[data-next-step]").get_attribute("data-next-step") == "start"
            assert owner.locator(f"a[href='/controls/inspections/{inspection.pk}/']").count() == 1
            # No horizontal scrolling at phone width.
            assert owner.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
            owner.locator("form[action$='/start/'] button[type=submit]").click()
            owner.wait_for_load_state()
            # Marking it done without a note is refused next to the field, then accepted with one.
            owner.locator("form[action$='/complete/'] button[type=submit]").click()
            owner.wait_for_load_state()
            assert owner.locator(".siris-field--invalid textarea[name=note]").count() == 1
            owner.fill("textarea[name=note]", "Bolts replaced and guard interlock tested.")
            owner.locator("form[action$='/complete/'] button[type=submit]").click()
            owner.wait_for_url(re.compile(rf"/actions/{action.pk}/$"))
            assert owner.locator("[data-next-step]").get_attribute("data-next-step") == "wait_verification"
            action.refresh_from_db()
            assert action.status == "done"

            # Someone else (the QSE manager) checks the effectiveness and closes it.
            qse = browser.new_context().new_page()
            _login(qse, base, "qse", f"/actions/{action.pk}/")
            assert qse.locator("[data-next-step]").get_attribute("data-next-step") == "verify"
            assert "Bolts replaced" in qse.content()
            qse.check("input[name=effective][value=yes]")
            qse.fill("textarea[name=note]", "Guard checked on site, interlock stops the press.")
            qse.locator("form[action$='/verify/'] button[type=submit]").click()
            qse.wait_for_url(re.compile(rf"/actions/{action.pk}/$"))
            assert qse.locator("[data-next-step]").get_attribute("data-next-step") == "closed"
            assert qse.locator(".siris-stepper [aria-current=step]").count() == 1
            assert qse.locator(".siris-action-log li").count() == 4
            assert qse.locator(".siris-timeline-card li").count() == 4
        finally:
            browser.close()

    action.refresh_from_db()
    assert (action.status, action.verified_by, action.completed_by) == ("closed", org.qse, org.manager)
