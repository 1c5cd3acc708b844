import pytest

from core.api.authentication import hash_key
from core.models import LedgerEntry, PersonalToken
from core.tokens import token_create, token_revoke

pytestmark = pytest.mark.django_db


def test_token_authenticates_and_is_stored_hashed(org, client):
    token, key = token_create(actor=org.staff, name="ERP export")
    assert token.key_hash == hash_key(key) and key not in token.key_hash
    assert not PersonalToken.objects.filter(key_hash=key).exists()
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200 and response.json()["username"] == "staff"
    assert LedgerEntry.objects.filter(event_type="TOKEN_CREATED", target_id=str(token.pk)).exists()


def test_revoked_token_is_refused(org, client):
    token, key = token_create(actor=org.staff, name="ERP export")
    token_revoke(actor=org.staff, token=token)
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401
    assert response.json()["error"]["status"] == 401


def test_forged_token_is_refused(org, client):
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION="Token sir_forged")
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "Invalid or revoked token."


def test_token_of_a_deactivated_person_is_refused(org, client):
    from organisation.services import person_deactivate

    _token, key = token_create(actor=org.outsider, name="script")
    person_deactivate(actor=org.admin, person=org.outsider, reason="left the company")
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_tokens_are_made_and_revoked_on_the_profile_page(org, client_for):
    client = client_for(org.staff)
    page = client.post("/me/", {"form": "token", "name": "Power BI"})
    assert page.status_code == 200
    key = page.context["new_key"]
    assert key.startswith("sir_")
    token = org.staff.api_tokens.get()
    client.post(f"/me/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_token_needs_a_name(org, client_for):
    page = client_for(org.staff).post("/me/", {"form": "token", "name": ""})
    assert page.context["token_form"].errors["name"]
    assert not org.staff.api_tokens.exists()
