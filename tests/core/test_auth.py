"""Log-in, lock-out, password reset, security headers and the language switch."""

import re

import pytest
from django.conf import settings
from django.core import mail

from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_login_and_logout(org, client):
    response = login(client, "staff", PASSWORD)
    assert response.status_code == 302 and response.url == "/"
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302


def test_wrong_credentials_are_refused_with_a_message(org, client):
    response = login(client, "staff", "not-the-password")
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lock_out_after_repeated_failures(org, client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "staff", "wrong")
    response = login(client, "staff", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email_and_the_link_works_once(org, client):
    response = client.post("/accounts/password/reset/", {"email": "staff@acme.test"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": "A-new-strong-pass-42", "new_password2": "A-new-strong-pass-42"})
    assert done.status_code == 302
    assert login(client, "staff", "A-new-strong-pass-42").status_code == 302
    client.post("/accounts/logout/")
    again = client.get(link, follow=True)
    assert "expired" in again.content.decode() or "already used" in again.content.decode()


def test_reset_link_with_a_forged_token_is_refused(org, client):
    response = client.get("/accounts/reset/MQ/forged-token/", follow=True)
    assert response.context["validlink"] is False


def test_passwords_are_hashed_with_argon2(org):
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert org.staff.password.startswith("argon2")


def test_security_headers_and_cookies(org, client):
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert settings.SESSION_COOKIE_HTTPONLY and settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


def test_no_inline_scripts_in_pages(org, client_for):
    page = client_for(org.admin).get("/").content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert " style=\"" not in page and "onclick=" not in page


def test_language_switch_is_kept_on_the_profile(org, client_for):
    client = client_for(org.staff)
    response = client.post("/language/", {"language": "fr", "next": "/me/"})
    assert response.status_code == 302 and response.url == "/me/"
    org.staff.refresh_from_db()
    assert org.staff.language == "fr"
    assert "Mon profil" in client.get("/me/").content.decode()


def test_language_switch_refuses_foreign_redirects(org, client_for):
    response = client_for(org.staff).post("/language/", {"language": "fr", "next": "https://evil.example/"})
    assert response.url == "/"


def test_time_zone_of_the_person_is_used(org, client_for):
    from organisation.services import person_set_preferences

    person_set_preferences(actor=org.staff, person=org.staff, time_zone="America/New_York")
    response = client_for(org.staff).get("/me/")
    assert response.context["TIME_ZONE"] == "America/New_York"


def test_an_expired_reset_link_is_refused(org, client):
    import datetime

    import time_machine

    client.post("/accounts/password/reset/", {"email": "staff@acme.test"})
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT, days=1)
    with time_machine.travel(later):
        response = client.get(link, follow=True)
    assert response.context["validlink"] is False


def test_admin_history_view_query_count_is_pinned(org, client_for, django_assert_max_num_queries):
    client = client_for(org.root)
    for name in ("Paint 2", "Paint 3", "Paint 4"):
        from organisation.services import unit_update

        unit_update(actor=org.admin, unit=org.paint, name=name)
    with django_assert_max_num_queries(20):
        response = client.get(f"/admin/organisation/unit/{org.paint.pk}/history/")
    assert response.status_code == 200 and "Paint 4" in response.content.decode()
