"""The actions part of the access matrix, runnable on its own (tests/access runs every app's)."""

import pytest
from django.db import transaction

from tests.access.matrix import PERSONAS
from tests.access.test_matrix import named_routes
from tests.actions.access import routes


def _mine(name: str) -> bool:
    return name.startswith("actions:") or name.startswith(("action-", "action_"))


@pytest.mark.django_db
def test_every_actions_route_has_expectations(org):
    table = routes(org)
    missing = sorted(n for n in set(named_routes()) if _mine(n) and n not in table and not n.endswith("-format"))
    assert not missing


@pytest.mark.django_db
def test_actions_access_matrix(org, client):
    table = routes(org)
    people = org.people()
    failures = []
    for name, route in sorted(table.items()):
        for persona in PERSONAS:
            client.logout()
            if persona != "anonymous":
                client.force_login(people[persona], backend="django.contrib.auth.backends.ModelBackend")
            call = getattr(client, route.method.lower())
            with transaction.atomic():
                response = call(route.url, route.data) if route.method != "GET" else call(route.url)
                transaction.set_rollback(True)
            if response.status_code != route.expect[persona]:
                failures.append(
                    f"{name} {route.method} {route.url} as {persona}: {response.status_code}, "
                    f"expected {route.expect[persona]}"
                )
    assert not failures, "\n".join(failures)
