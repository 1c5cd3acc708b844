import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from siris.env import env_bool, env_choice, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parents[2]


def test_env_bool_accepts_the_usual_spellings(monkeypatch):
    for raw, expected in [("1", True), ("yes", True), ("On", True), ("0", False), ("false", False), ("", False)]:
        monkeypatch.setenv("SIRIS_X", raw)
        assert env_bool("SIRIS_X") is expected


def test_env_bool_refuses_a_bad_value_naming_the_variable(monkeypatch):
    monkeypatch.setenv("SIRIS_X", "maybe")
    with pytest.raises(ImproperlyConfigured, match="SIRIS_X must be a boolean"):
        env_bool("SIRIS_X")


def test_env_int_checks_numbers_and_bounds(monkeypatch):
    monkeypatch.setenv("SIRIS_N", "12")
    assert env_int("SIRIS_N", 1, minimum=1) == 12
    monkeypatch.setenv("SIRIS_N", "twelve")
    with pytest.raises(ImproperlyConfigured, match="SIRIS_N must be a whole number"):
        env_int("SIRIS_N", 1)
    monkeypatch.setenv("SIRIS_N", "0")
    with pytest.raises(ImproperlyConfigured, match="SIRIS_N must be at least 1"):
        env_int("SIRIS_N", 1, minimum=1)


def test_env_list_choice_and_required(monkeypatch):
    monkeypatch.setenv("SIRIS_L", "a.example, b.example,")
    assert env_list("SIRIS_L") == ["a.example", "b.example"]
    monkeypatch.setenv("SIRIS_C", "LOUD")
    with pytest.raises(ImproperlyConfigured, match="SIRIS_C must be one of"):
        env_choice("SIRIS_C", ("INFO", "DEBUG"), "INFO")
    monkeypatch.delenv("SIRIS_R", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SIRIS_R is required"):
        env_str("SIRIS_R", required=True)


def _boot(**overrides) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    env.update(overrides)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "siris.settings"}, capture_output=True, text=True,
    )


def test_start_up_stops_without_secret_key():
    result = _boot()
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_start_up_stops_on_a_bad_boolean_naming_it():
    result = _boot(SECRET_KEY="k", DEBUG="sometimes")
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_start_up_refuses_a_non_postgres_database():
    result = _boot(SECRET_KEY="k", DATABASE_URL="sqlite:///x.db")
    assert result.returncode != 0
    assert "DATABASE_URL must be a postgres:// URL" in result.stderr


def test_start_up_succeeds_with_good_values():
    assert _boot(SECRET_KEY="k", DEBUG="0").returncode == 0


def test_check_deploy_is_clean_with_production_settings():
    env = {k: v for k, v in os.environ.items()
           if k not in ("DEBUG", "SECURE_COOKIES", "STATICFILES_STORAGE", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(
        SECRET_KEY="a-long-production-secret-key-with-enough-entropy-0123456789abcdefghijkl",
        DEBUG="0", ALLOWED_HOSTS="siris.example.com", SECURE_SSL_REDIRECT="1", SECURE_HSTS_SECONDS="31536000",
        DJANGO_SETTINGS_MODULE="siris.settings",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
