"""Names of the API schema's enums, one per choices class of each Siris app.

drf-spectacular names an enum after its field ("status", "kind"); with several apps the names
collide. Naming each after its app and class ("RisksCategoryEnum") keeps the schema stable. The
classes are found by reading each app's choices.py (no import before Django is set up).
"""

import ast
from pathlib import Path


def enum_name_overrides(base_dir: Path, apps: list[str]) -> dict[str, str]:
    overrides: dict[str, str] = {"OrganisationAssignableRoleEnum": "organisation.choices.ASSIGNABLE_ROLES"}
    seen: set[frozenset] = set()
    for app in apps:
        path = base_dir / app / "choices.py"
        if not path.exists():
            continue
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.ClassDef) and any(
                getattr(base, "attr", getattr(base, "id", "")) in ("TextChoices", "IntegerChoices")
                for base in node.bases
            ):
                values = _values(node)
                if values in seen:
                    continue  # the same set of values is already named (e.g. low/medium/high)
                seen.add(values)
                name = "".join(part.title() for part in app.split("_")) + node.name + "Enum"
                overrides[name] = f"{app}.choices.{node.name}"
    return overrides


def _values(node: ast.ClassDef) -> frozenset:
    """The stored values of a choices class, read from its assignments (``HIGH = "high", _("High")``)."""
    values = set()
    for stmt in node.body:
        if isinstance(stmt, ast.Assign):
            value = stmt.value.elts[0] if isinstance(stmt.value, ast.Tuple) and stmt.value.elts else stmt.value
            if isinstance(value, ast.Constant):
                values.add(value.value)
    return frozenset(values)
