"""Strict readers for settings taken from the environment.

A bad value stops start-up with a message that names the variable, so a typo in a
deployment is found at boot and not in the middle of a night's reminders.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str | None:
    value = os.environ.get(name)
    if value is None or value == "":
        if required:
            raise ImproperlyConfigured(f"The environment variable {name} is required and is not set.")
        return default
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"The environment variable {name} must be a boolean (1/0, true/false, yes/no, on/off); got {value!r}."
    )


def env_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise ImproperlyConfigured(f"The environment variable {name} must be a whole number; got {value!r}.")
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"The environment variable {name} must be at least {minimum}; got {number}.")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"The environment variable {name} must be at most {maximum}; got {number}.")
    return number


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    if value not in choices:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be one of {', '.join(choices)}; got {value!r}."
        )
    return value
