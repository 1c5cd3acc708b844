import os
import shutil
import socket

import pytest

from tests.personas import build_org


def services_required() -> bool:
    return os.environ.get("SIRIS_REQUIRE_SERVICES") == "1"


def need(condition: bool, what: str) -> None:
    """Skip a test whose server is missing, or fail it when CI says servers are required."""
    if condition:
        return
    if services_required():
        pytest.fail(f"{what} is required (SIRIS_REQUIRE_SERVICES=1) and is not available")
    pytest.skip(f"{what} is not available")


@pytest.fixture
def org(db):
    return build_org()


@pytest.fixture
def client_for(client):
    """``client_for(user)`` returns the test client logged in as that person (None: anonymous)."""

    def login(user):
        client.logout()
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login


@pytest.fixture
def api_for():
    from rest_framework.test import APIClient

    def login(user):
        api = APIClient()
        if user is not None:
            api.force_authenticate(user)
        return api

    return login


@pytest.fixture
def chromium_path():
    path = shutil.which("chromium") or "/usr/bin/chromium"
    need(os.path.exists(path), "Chromium (apt-get install chromium)")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
