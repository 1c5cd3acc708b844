"""This app's rows of the access matrix, run on their own (the full matrix runs them all)."""

import pytest
from django.db import transaction

from tests.access.matrix import PERSONAS
from tests.decisions import access as decisions_access
from tests.delegations import access as delegations_access


@pytest.mark.django_db
@pytest.mark.parametrize("module", [decisions_access, delegations_access], ids=["decisions", "delegations"])
def test_access_matrix_of_this_app(org, client, module):
    routes = module.routes(org)
    people = org.people()
    failures = []
    for name, route in sorted(routes.items()):
        for persona in PERSONAS:
            client.logout()
            if persona != "anonymous":
                client.force_login(people[persona], backend="django.contrib.auth.backends.ModelBackend")
            call = getattr(client, route.method.lower())
            with transaction.atomic():
                response = call(route.url, route.data) if route.method != "GET" else call(route.url)
                transaction.set_rollback(True)
            if response.status_code != route.expect[persona]:
                failures.append(f"{name} {route.method} {route.url} as {persona}: {response.status_code}, "
                                f"expected {route.expect[persona]}")
    assert not failures, "\n".join(failures)
