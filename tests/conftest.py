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


# --- The rule of writes, enforced during the whole suite -------------------------------------
# QuerySet.update(), bulk_update() and plain bulk_create() write no history row, so they must never
# touch a governed model. simple-history's own bulk_create_with_history is the allowed exception.
import contextlib  # noqa: E402
import inspect  # noqa: E402

from django.db.models.query import QuerySet  # noqa: E402

_raw_writes_allowed = []


def _is_governed(model) -> bool:
    from simple_history.models import HistoricalChanges

    return hasattr(model, "history") and not issubclass(model, HistoricalChanges) and hasattr(
        model._meta, "simple_history_manager_attribute"
    )


def _guard(name):
    original = getattr(QuerySet, name)

    def guarded(self, *args, **kwargs):
        if _is_governed(self.model) and not _raw_writes_allowed:
            callers = {frame.filename for frame in inspect.stack()[1:6]}
            if not any("simple_history" in f for f in callers):
                raise AssertionError(
                    f"{name}() on governed model {self.model.__name__} writes no history: use a service"
                )
        return original(self, *args, **kwargs)

    setattr(QuerySet, name, guarded)


for _name in ("update", "bulk_update", "bulk_create"):
    _guard(_name)


@contextlib.contextmanager
def raw_writes():
    """Only for test set-up that must bypass services (e.g. a precomputed password hash)."""
    _raw_writes_allowed.append(True)
    try:
        yield
    finally:
        _raw_writes_allowed.pop()
