"""The demo data is built by steps that each app registers; each step is idempotent.

A step is ``func(ctx: dict) -> None``; ``ctx`` carries what earlier steps made (units, people...).
"""

_STEPS: list[tuple[int, str, object]] = []


def register(order: int, name: str):
    def decorator(func):
        if all(existing[1] != name for existing in _STEPS):
            _STEPS.append((order, name, func))
            _STEPS.sort(key=lambda s: s[0])
        return func

    return decorator


def steps():
    return list(_STEPS)
