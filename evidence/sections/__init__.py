"""Where apps add their parts to dossiers.

    evidence.sections.register("risks.risk", func)        # func(obj, *, as_of=None) -> list[Section]
    evidence.sections.register_inquiry(2, func)            # func(unit, as_of) -> list[Section]
    evidence.sections.register_duerp(func)                 # func(unit, as_of) -> list[Section]

The modules ``evidence/sections/<app>.py`` hold the parts for Siris's own apps; each is imported
only when its app is installed (``load``), and reads through that app's selectors.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps

_RECORD: dict[str, list] = {}
_INQUIRY: dict[int, list] = {}
_DUERP: list = []
_loaded = False


def register(model_label: str, func) -> None:
    funcs = _RECORD.setdefault(model_label.lower(), [])
    if func not in funcs:
        funcs.append(func)


def register_inquiry(part: int, func) -> None:
    if not 1 <= part <= 8:
        raise ValueError("inquiry parts 1 to 8 come from apps; part 9 (integrity) is the dossier's own")
    funcs = _INQUIRY.setdefault(part, [])
    if func not in funcs:
        funcs.append(func)


def register_duerp(func) -> None:
    if func not in _DUERP:
        _DUERP.append(func)


def load() -> None:
    """Import ``evidence.sections.<app>`` for every installed Siris app that has one."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    from siris.apps_list import SIRIS_APPS

    for app in SIRIS_APPS:
        name = f"evidence.sections.{app}"
        if app != "evidence" and apps.is_installed(app) and find_spec(name):
            import_module(name)


def record_sections(obj, *, as_of=None) -> list:
    load()
    result = []
    for func in _RECORD.get(obj._meta.label_lower, []):
        result.extend(func(obj, as_of=as_of))
    return result


def inquiry_providers(part: int) -> list:
    load()
    return list(_INQUIRY.get(part, []))


def duerp_providers() -> list:
    load()
    return list(_DUERP)
