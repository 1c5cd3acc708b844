"""Hook for the in-app inbox's unread count in the navigation.

The reminders app sets the provider when it is installed; until then there is no inbox.
"""

_provider = None


def set_provider(func) -> None:
    """``func(user) -> (unread_count, inbox_url)``."""
    global _provider
    _provider = func


def unread_for(user) -> tuple[int, str]:
    if _provider is None:
        return 0, ""
    return _provider(user)
