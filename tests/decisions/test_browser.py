"""Journey J3 in Chromium: a QSE manager warns the site director about a broken machine guard with
a 48-hour deadline. Either the director acknowledges it and approves a repair (a signed decision
that opens an action) and answers; or the director does not answer, and after the deadline the
alarm escalates to the managing director (time travel), who sees it at the top of their work."""

import datetime
import re

import pytest
import time_machine
from django.apps import apps
from django.utils import timezone

from decisions import services
from decisions.choices import DecisionStatus
from decisions.models import Alarm, AlarmEscalation, Decision
from organisation.choices import Role
from organisation.services import membership_grant, person_update
from tests.conftest import need
from tests.personas import PASSWORD, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def _people(org):
    ceo = make_person(org.root, "ceo", "Bernard", "Lefèvre")
    membership_grant(actor=org.root, user=ceo, unit=org.company, role=Role.MANAGER)
    director = make_person(org.root, "director", "Denis", "Moreau")
    membership_grant(actor=org.root, user=director, unit=org.lyon, role=Role.MANAGER)
    person_update(actor=org.root, person=director, manager=ceo)
    return ceo, director


def _login(page, base, username, next_url="/"):
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()


def _playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "Playwright")
    return sync_playwright


def test_j3_the_director_acknowledges_and_approves_a_repair(org, live_server, chromium_path):
    sync_playwright = _playwright()
    _ceo, director = _people(org)
    base = live_server.url
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=ARGS)
        try:
            # 1. The QSE manager raises the alarm, 48 hours to answer.
            qse = browser.new_context().new_page()
            _login(qse, base, "qse", "/decisions/alarms/new/")
            qse.select_option("select[name=unit]", str(org.assembly.pk))
            qse.fill("input[name=title]", "Broken machine guard on press 3")
            qse.fill("textarea[name=description]", "The guard of press 3 is broken; operators are exposed.")
            qse.select_option("select[name=severity]", "critical")
            deadline = timezone.localtime(timezone.now() + datetime.timedelta(hours=48))
            qse.fill("input[name=respond_by]", deadline.strftime("%Y-%m-%dT%H:%M"))
            qse.select_option("select[name=addressees]", str(director.pk))
            qse.locator("form button[type=submit]").last.click()
            qse.wait_for_url(re.compile(r"/decisions/alarms/\d+/$"))
            alarm = Alarm.objects.get()
            assert alarm.addressees.get().person == director

            # 2. The director sees it at the top of My work, on a phone, and acknowledges it.
            phone = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
            boss = phone.new_page()
            _login(boss, base, "director")
            first_panel = boss.locator("section.card").first
            assert "Broken machine guard on press 3" in first_panel.inner_text()
            assert boss.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
            first_panel.locator(f"a[href='/decisions/alarms/{alarm.pk}/']").click()
            boss.wait_for_url(re.compile(rf"/decisions/alarms/{alarm.pk}/$"))
            boss.locator("form[action$='/acknowledge/'] button").click()
            boss.wait_for_load_state()
            assert alarm.addressees.get().acknowledged_at is not None

            # 3. The director writes the repair decision from the alarm, with the action it opens.
            boss.locator("a[href*='/decisions/new/?alarm=']").click()
            boss.wait_for_url(re.compile(r"/decisions/new/"))
            boss.fill("textarea[name=decision_text]", "Stop press 3 and fit a new guard before restart.")
            if apps.is_installed("actions"):
                boss.fill("input[name=action_title]", "Fit a new guard on press 3")
                boss.select_option("select[name=action_owner]", str(org.manager.pk))
                boss.fill("input[name=action_due_on]", (timezone.localdate() + datetime.timedelta(days=3)).isoformat())
            boss.locator("form button[type=submit]").last.click()
            boss.wait_for_url(re.compile(r"/decisions/\d+/$"))
            decision = Decision.objects.get()
            assert decision.links.filter(target_type="decisions.alarm", target_id=str(alarm.pk)).exists()
            boss.locator("form[action$='/submit/'] button").click()
            boss.wait_for_load_state()

            # 4. Signing asks for the password again: a wrong one is refused (and recorded).
            boss.fill("input[name=password]", "not-my-password")
            boss.locator("button[value=approve]").click()
            boss.wait_for_load_state()
            assert "This is not your password" in boss.content()
            boss.fill("input[name=password]", PASSWORD)
            boss.fill("textarea[name=comment]", "Repair approved.")
            boss.locator("button[value=approve]").click()
            boss.wait_for_load_state()
            decision.refresh_from_db()
            assert decision.status == DecisionStatus.APPROVED
            signatures = boss.locator(".siris-signatures").inner_text()
            assert "Denis Moreau" in signatures
            if apps.is_installed("actions"):
                from actions.models import Action

                action = Action.objects.get(origin_type="decisions.decision", origin_id=str(decision.pk))
                assert action.owner == org.manager
                assert boss.locator(f"a[href='/actions/{action.pk}/']").count() == 1

            # 5. The director answers the alarm with that decision.
            boss.goto(f"{base}/decisions/alarms/{alarm.pk}/")
            boss.fill("textarea[name=answer]", "Press 3 stopped; a new guard is fitted before restart.")
            boss.select_option("select[name=decision]", str(decision.pk))
            boss.locator("form[action$='/answer/'] button[type=submit]").click()
            boss.wait_for_load_state()

            # 6. The QSE manager sees who received, read and answered.
            qse.goto(f"{base}/decisions/alarms/{alarm.pk}/")
            row = qse.locator("tr[data-person='director']").inner_text()
            assert "Press 3 stopped" in row and decision.subject in row
            assert qse.locator("tr[data-person='director'] td[data-state=answered]").count() == 1
            alarm.refresh_from_db()
            assert alarm.status == "answered"
        finally:
            browser.close()


def test_j3_no_answer_escalates_to_the_managing_director(org, live_server, chromium_path):
    sync_playwright = _playwright()
    ceo, director = _people(org)
    alarm = services.alarm_raise(
        actor=org.qse, unit=org.assembly, title="Broken machine guard on press 3",
        description="Operators are exposed.", severity="critical",
        respond_by=timezone.now() + datetime.timedelta(hours=48), addressees=[director])
    base = live_server.url
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=49), tick=True):
        # The periodic task's work, two days later: computed from the dates.
        assert services.alarm_escalate_overdue() == 1
        escalation = AlarmEscalation.objects.get()
        assert escalation.to_person == ceo
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path, args=ARGS)
            try:
                page = browser.new_context().new_page()
                _login(page, base, "ceo")
                first_panel = page.locator("section.card").first
                assert "Broken machine guard on press 3" in first_panel.inner_text()
                page.goto(f"{base}/decisions/alarms/{alarm.pk}/")
                text = page.content()
                assert "escalated to Bernard Lefèvre" in text
                assert page.locator("form[action$='/answer/']").count() == 1
                qse = browser.new_context().new_page()
                _login(qse, base, "qse", f"/decisions/alarms/{alarm.pk}/")
                assert qse.locator("tr[data-person='director'] td[data-state=overdue]").count() == 1
                assert qse.locator("tr[data-person='ceo'] td[data-state=waiting]").count() == 1
            finally:
                browser.close()
