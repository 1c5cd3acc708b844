"""Where evidence and dossier files live: Django's default storage (MEDIA_ROOT, or object storage).

Files get random names and no extension, outside the static root: a stored name reveals nothing
and nothing there can be served directly. Only the permission-checked views read them back.
"""

import secrets

from django.core.files.storage import storages
from django.utils import timezone


def get_storage():
    # Looked up at call time, so settings.STORAGES["default"] can be swapped (object storage, tests).
    return storages["default"]


def random_name(folder: str) -> str:
    """A random name: the person's file name is kept in a column, never in the path."""
    return f"{folder}/{timezone.now():%Y/%m}/{secrets.token_hex(16)}"


def store(folder: str, content) -> str:
    """Save content under a new random name and return the name the storage chose."""
    return get_storage().save(random_name(folder), content)


def delete(name: str) -> None:
    if name:
        get_storage().delete(name)


def new_reference() -> str:
    """The dossier id printed on every page: short, unguessable, easy to read aloud."""
    return "D-" + secrets.token_hex(5).upper()
