"""The default risk matrix and the checks every matrix version must pass.

Kept apart from the services so forms, the API and the demo can validate a matrix the same way.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from core.exceptions import DomainError
from risks.choices import LEVEL_ORDER
from risks.models import MAX_STEPS, MIN_STEPS

# WCAG 2.x AA for normal text: a contrast ratio of at least 4.5:1 between the text and its cell.
WCAG_AA = 4.5
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")

DEFAULT_LIKELIHOOD = [
    {"en": "Rare", "fr": "Rare"},
    {"en": "Unlikely", "fr": "Peu probable"},
    {"en": "Likely", "fr": "Probable"},
    {"en": "Almost certain", "fr": "Quasi certain"},
]
DEFAULT_SEVERITY = [
    {"en": "Minor (first aid)", "fr": "Mineure (soins sur place)"},
    {"en": "Moderate (lost-time injury)", "fr": "Modérée (arrêt de travail)"},
    {"en": "Serious (lasting harm)", "fr": "Grave (séquelles durables)"},
    {"en": "Catastrophic (fatality)", "fr": "Très grave (décès)"},
]
DEFAULT_THRESHOLDS = [
    {
        "level": "low",
        "min_score": 1,
        "en": "Low",
        "fr": "Faible",
        "colour": "#2e7d32",
        "text_colour": "#ffffff",
    },
    {
        "level": "medium",
        "min_score": 4,
        "en": "Medium",
        "fr": "Moyen",
        "colour": "#f0c419",
        "text_colour": "#000000",
    },
    {
        "level": "high",
        "min_score": 8,
        "en": "High",
        "fr": "Élevé",
        "colour": "#e67e22",
        "text_colour": "#000000",
    },
    {
        "level": "critical",
        "min_score": 12,
        "en": "Critical",
        "fr": "Critique",
        "colour": "#b71c1c",
        "text_colour": "#ffffff",
    },
]


def _luminance(colour: str) -> float:
    channels = []
    for i in (1, 3, 5):
        c = int(colour[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _check_labels(labels, field: str, what: str) -> list[dict]:
    if not isinstance(labels, list) or not MIN_STEPS <= len(labels) <= MAX_STEPS:
        raise DomainError(
            _("The %(what)s scale needs %(min)d to %(max)d steps.")
            % {"what": what, "min": MIN_STEPS, "max": MAX_STEPS},
            field=field,
        )
    clean = []
    for number, entry in enumerate(labels, start=1):
        en = str((entry or {}).get("en", "")).strip() if isinstance(entry, dict) else ""
        fr = str((entry or {}).get("fr", "")).strip() if isinstance(entry, dict) else ""
        if not en or not fr:
            raise DomainError(
                _("Step %(n)d of the %(what)s scale needs a label in English and in French.")
                % {"n": number, "what": what},
                field=field,
            )
        clean.append({"en": en[:80], "fr": fr[:80]})
    return clean


def validate(likelihood_labels, severity_labels, thresholds) -> tuple[list, list, list]:
    """Return the cleaned scales and thresholds, or raise DomainError naming the field at fault.

    Thresholds: 2 to 4 levels in the order low, medium, high, critical (a subset, ascending); the
    first starts at score 1; minimum scores strictly increase and stay within the matrix; each
    colour and its text colour are #rrggbb and meet WCAG AA contrast (4.5:1).
    """
    likelihood = _check_labels(likelihood_labels, "likelihood_labels", _("likelihood"))
    severity = _check_labels(severity_labels, "severity_labels", _("severity"))
    max_score = len(likelihood) * len(severity)
    if not isinstance(thresholds, list) or not 2 <= len(thresholds) <= len(LEVEL_ORDER):
        raise DomainError(_("Give 2 to 4 levels (low, medium, high, critical)."), field="thresholds")
    clean, last_rank, last_min = [], -1, 0
    for entry in thresholds:
        if not isinstance(entry, dict) or entry.get("level") not in LEVEL_ORDER:
            raise DomainError(_("Each level must be one of low, medium, high, critical."), field="thresholds")
        rank = LEVEL_ORDER.index(entry["level"])
        try:
            min_score = int(entry.get("min_score"))
        except (TypeError, ValueError):
            raise DomainError(_("Each level needs a whole minimum score."), field="thresholds") from None
        if rank <= last_rank or min_score <= last_min:
            raise DomainError(
                _(
                    "Levels must go up: low before medium before high before critical, each "
                    "starting at a higher score."
                ),
                field="thresholds",
            )
        if not clean and min_score != 1:
            raise DomainError(_("The lowest level must start at score 1."), field="thresholds")
        if min_score > max_score:
            raise DomainError(
                _("A level starts at %(score)d, above the highest score of the matrix (%(max)d).")
                % {"score": min_score, "max": max_score},
                field="thresholds",
            )
        colour, text = str(entry.get("colour", "")), str(entry.get("text_colour", ""))
        if not _HEX.match(colour) or not _HEX.match(text):
            raise DomainError(_("Colours are written #rrggbb."), field="thresholds")
        if contrast_ratio(colour, text) < WCAG_AA:
            raise DomainError(
                _(
                    "The text colour %(text)s on %(colour)s is hard to read (contrast %(ratio).1f:1, "
                    "at least 4.5:1 is needed)."
                )
                % {"text": text, "colour": colour, "ratio": contrast_ratio(colour, text)},
                field="thresholds",
            )
        en = str(entry.get("en", "")).strip() or entry["level"].capitalize()
        fr = str(entry.get("fr", "")).strip() or en
        clean.append(
            {
                "level": entry["level"],
                "min_score": min_score,
                "en": en[:40],
                "fr": fr[:40],
                "colour": colour.lower(),
                "text_colour": text.lower(),
            }
        )
        last_rank, last_min = rank, min_score
    return likelihood, severity, clean
