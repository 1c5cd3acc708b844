"""Extension points of inspections for other apps.

``inspection_needs_action``: callables ``(inspection, actor) -> action`` that the actions app
registers (``controls.hooks.register(func)``). ``inspection_record`` calls each one inside its own
transaction when the result is fail or partial; if one raises, nothing is recorded. What they
return is kept on ``inspection.opened_actions`` for the caller.
"""

inspection_needs_action: list = []


def register(func) -> None:
    if func not in inspection_needs_action:
        inspection_needs_action.append(func)


def opens_actions() -> bool:
    """Whether a failed or partial inspection will open an action (shown on the form)."""
    return bool(inspection_needs_action)
