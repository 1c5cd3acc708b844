"""The "My work" page is assembled from panels that each app registers.

A panel is ``func(request) -> Panel | None``; None means nothing to show for this person.
Panels must run a fixed number of queries, whatever the data size.
"""

from dataclasses import dataclass, field


@dataclass
class Panel:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 50  # lower comes first: urgent things (alarms) at the top


_PANELS: list = []


def register(func) -> None:
    if func not in _PANELS:
        _PANELS.append(func)


def panels_for(request) -> list[Panel]:
    found = [panel for func in _PANELS if (panel := func(request)) is not None]
    return sorted(found, key=lambda p: p.order)
