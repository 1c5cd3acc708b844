"""The access matrix: every named route against every persona.

Each app has ``tests/<app>/access.py`` with ``routes(org) -> dict[str, Route]`` keyed by URL name
("risks:risk_detail", API names like "risk-list"). ``test_access_matrix`` walks the URL
configuration and fails when a named route has no entry, so every new route must say who gets what.
"""

from dataclasses import dataclass, field

PERSONAS = ("anonymous", "admin", "qse", "manager", "staff", "sibling", "outsider", "auditor", "auditor_expired")

# Routes that are not Siris's own screens, or that are checked by their own tests.
IGNORED_PREFIXES = ("admin:",)
IGNORED = {
    "api-root", "api-schema", "api-docs", "health",
    # Django's auth views: reachable by anyone by design; tested in tests/core/test_auth.py.
    "login", "logout", "password_reset", "password_reset_done", "password_reset_confirm",
    "password_reset_complete", "password_change", "password_change_done",
}


@dataclass
class Route:
    url: str
    expect: dict[str, int]
    method: str = "GET"
    data: dict = field(default_factory=dict)


def expect(default: int, anonymous: int | None = None, **overrides: int) -> dict[str, int]:
    """Expected status per persona. Pages send anonymous people to log in (302) unless told."""
    table = {p: default for p in PERSONAS}
    table["anonymous"] = 302 if anonymous is None else anonymous
    table.update(overrides)
    return table


def api_expect(default: int, **overrides: int) -> dict[str, int]:
    """API routes answer anonymous callers 401 (they offer token authentication)."""
    return expect(default, anonymous=401, **overrides)
