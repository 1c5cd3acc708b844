"""The unit a person is looking at (the header's unit switcher), kept in the session."""

SESSION_KEY = "siris_unit"


def current_unit(request, visible_units=None):
    """The unit chosen with ?unit=<pk> or earlier in the session, if the person may see it."""
    from core import access

    chosen = request.GET.get("unit") or request.session.get(SESSION_KEY)
    if not chosen:
        return None
    try:
        chosen = int(chosen)
    except (TypeError, ValueError):
        return None
    units = visible_units if visible_units is not None else access.units_visible_to(request.user)
    for unit in units:
        if unit.pk == chosen:
            request.session[SESSION_KEY] = chosen
            return unit
    return None
