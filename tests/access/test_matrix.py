from importlib import import_module
from importlib.util import find_spec

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

from siris.apps_list import SIRIS_APPS
from tests.access.matrix import IGNORED, IGNORED_PREFIXES, PERSONAS


def named_routes(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            yield from named_routes(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def apps_with_routes():
    return [app for app in SIRIS_APPS if app in settings.INSTALLED_APPS and find_spec(f"tests.{app}.access")]


def collect(org, apps=None):
    routes = {}
    for app in apps or apps_with_routes():
        routes.update(import_module(f"tests.{app}.access").routes(org))
    return routes


@pytest.mark.django_db
def test_every_route_has_expectations(org):
    routes = collect(org)
    missing = sorted(
        name for name in set(named_routes())
        if name not in routes and name not in IGNORED and not name.startswith(IGNORED_PREFIXES)
        and not name.endswith("-format")
    )
    assert not missing, f"routes without an access-matrix entry (add them to tests/<app>/access.py): {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize("app", apps_with_routes())
def test_access_matrix(org, client, app):
    """One test per app, so the test workers share the matrix."""
    routes = collect(org, [app])
    people = org.people()
    failures = []
    for name, route in sorted(routes.items()):
        for persona in PERSONAS:
            client.logout()
            if persona != "anonymous":
                client.force_login(people[persona], backend="django.contrib.auth.backends.ModelBackend")
            call = getattr(client, route.method.lower())
            # Each request is rolled back, so one persona's POST does not change the next one's answer.
            with transaction.atomic():
                response = call(route.url, route.data) if route.method != "GET" else call(route.url)
                transaction.set_rollback(True)
            wanted = route.expect[persona]
            if response.status_code != wanted:
                failures.append(f"{name} {route.method} {route.url} as {persona}: {response.status_code}, expected {wanted}")
    assert not failures, "\n".join(failures)
