from core import access, nav


def siris(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"siris_nav": [], "siris_units": [], "siris_current_unit": None,
                "siris_inbox_unread": 0, "siris_inbox_url": ""}
    from core.units import current_unit

    units = list(access.units_visible_to(user).only("id", "name", "kind", "path")[:200])
    inbox_unread, inbox_url = 0, ""
    from core import inbox

    inbox_unread, inbox_url = inbox.unread_for(user)
    return {
        "siris_nav": nav.items_for(request),
        "siris_units": units,
        "siris_current_unit": current_unit(request, units),
        "siris_inbox_unread": inbox_unread,
        "siris_inbox_url": inbox_url,
    }
