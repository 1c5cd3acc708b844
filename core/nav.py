"""The navigation: apps add their entries with ``register`` in their AppConfig.ready()."""

from dataclasses import dataclass, field

from django.urls import reverse


@dataclass
class NavItem:
    label: str
    url_name: str
    icon: str
    order: int = 50
    visible: object = field(default=None)  # callable(user) -> bool; None means every signed-in person


_ITEMS: list[NavItem] = []


def register(item: NavItem) -> None:
    if all(existing.url_name != item.url_name for existing in _ITEMS):
        _ITEMS.append(item)
        _ITEMS.sort(key=lambda i: i.order)


def items_for(request) -> list[dict]:
    user = request.user
    result = []
    for item in _ITEMS:
        if item.visible is not None and not item.visible(user):
            continue
        url = reverse(item.url_name)
        active = request.path == url or (url != "/" and request.path.startswith(url))
        result.append({"label": item.label, "url": url, "icon": item.icon, "active": active})
    return result
