"""The heat map and level badges, drawn as SVG on the server (no script, no inline style: colours
are SVG presentation attributes, which the Content-Security-Policy allows)."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()

CELL = 56
LEFT = 44
TOP = 8
BOTTOM = 44


@register.simple_tag
def heat_map_svg(heat, basis: str, link_base: str = "?", selected: str = ""):
    """One side of the heat map (basis "inherent" or "residual"): likelihood up, severity across,
    the count of risks in each cell, each non-empty cell a link to the register filtered on it."""
    matrix = heat.matrix
    if matrix is None:
        return ""
    counts = heat.inherent if basis == "inherent" else heat.residual
    rows, cols = matrix.likelihood_steps, matrix.severity_steps
    width, height = LEFT + cols * CELL + 8, TOP + rows * CELL + BOTTOM
    title = _("Inherent risk") if basis == "inherent" else _("Residual risk")
    svg_id = f"heat-{basis}"
    cells = []
    for likelihood in range(rows, 0, -1):
        y = TOP + (rows - likelihood) * CELL
        for severity in range(1, cols + 1):
            x = LEFT + (severity - 1) * CELL
            score = likelihood * severity
            threshold = matrix.threshold_for(score)
            level = matrix.level_label(threshold["level"])
            count = counts.get((likelihood, severity), 0)
            code = f"{basis}-{likelihood}-{severity}"
            label = ngettext(
                "Likelihood %(l)d (%(ll)s), severity %(s)d (%(sl)s), level %(level)s: %(n)d risk",
                "Likelihood %(l)d (%(ll)s), severity %(s)d (%(sl)s), level %(level)s: %(n)d risks",
                count,
            ) % {
                "l": likelihood,
                "ll": matrix.likelihood_label(likelihood),
                "s": severity,
                "sl": matrix.severity_label(severity),
                "level": level,
                "n": count,
            }
            stroke, stroke_width = ("#000000", 4) if code == selected else ("#ffffff", 2)
            rect = format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{}" stroke-width="{}"/>',
                x,
                y,
                CELL,
                CELL,
                threshold["colour"],
                stroke,
                stroke_width,
            )
            text = (
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" dominant-baseline="central" font-size="18" '
                    'font-weight="700" fill="{}">{}</text>',
                    x + CELL // 2,
                    y + CELL // 2,
                    threshold["text_colour"],
                    count,
                )
                if count
                else ""
            )
            if count:
                cells.append(
                    format_html(
                        '<a href="{}cell={}" aria-label="{}" class="siris-heat-cell" data-cell="{}" '
                        'data-count="{}"><title>{}</title>{}{}</a>',
                        link_base,
                        code,
                        label,
                        code,
                        count,
                        label,
                        rect,
                        text,
                    )
                )
            else:
                cells.append(
                    format_html('<g data-cell="{}" data-count="0"><title>{}</title>{}</g>', code, label, rect)
                )
    axis = []
    for likelihood in range(1, rows + 1):
        y = TOP + (rows - likelihood) * CELL + CELL // 2
        axis.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" dominant-baseline="central" font-size="14" '
                'fill="#1d273b"><title>{}</title>{}</text>',
                LEFT - 8,
                y,
                matrix.likelihood_label(likelihood),
                likelihood,
            )
        )
    for severity in range(1, cols + 1):
        x = LEFT + (severity - 1) * CELL + CELL // 2
        axis.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" font-size="14" fill="#1d273b">'
                '<title>{}</title>{}</text>',
                x,
                TOP + rows * CELL + 18,
                matrix.severity_label(severity),
                severity,
            )
        )
    axis.append(
        format_html(
            '<text x="{}" y="{}" text-anchor="middle" font-size="13" fill="#1d273b">{}</text>',
            LEFT + cols * CELL // 2,
            TOP + rows * CELL + 38,
            _("Severity →"),
        )
    )
    axis.append(
        format_html(
            '<text x="12" y="{}" text-anchor="middle" font-size="13" fill="#1d273b" '
            'transform="rotate(-90 12 {})">{}</text>',
            TOP + rows * CELL // 2,
            TOP + rows * CELL // 2,
            _("Likelihood →"),
        )
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'class="siris-heat-map" role="group" aria-labelledby="{id}-title" data-basis="{basis}">'
        '<title id="{id}-title">{title}</title>{cells}{axis}</svg>',
        w=width,
        h=height,
        id=svg_id,
        basis=basis,
        title=title,
        cells=mark_safe("".join(cells)),  # noqa: S308 (each piece built by format_html)
        axis=mark_safe("".join(axis)),  # noqa: S308
    )


def _swatch(colour: str):
    return format_html(
        '<svg width="14" height="14" aria-hidden="true" focusable="false" class="me-1">'
        '<rect width="14" height="14" rx="3" fill="{}" stroke="#1d273b" stroke-width="1"/></svg>',
        colour,
    )


@register.simple_tag
def level_badge(matrix, level: str, score=None):
    """A level as colour swatch + word (+ score): never colour alone."""
    if not level or matrix is None:
        return format_html('<span class="text-secondary">{}</span>', _("Not assessed"))
    colour = next((t["colour"] for t in matrix.thresholds if t["level"] == level), "#6c757d")
    text = matrix.level_label(level)
    if score is not None:
        return format_html(
            '<span class="siris-level" data-level="{}">{}{} · {}</span>', level, _swatch(colour), text, score
        )
    return format_html('<span class="siris-level" data-level="{}">{}{}</span>', level, _swatch(colour), text)


@register.simple_tag
def legend(matrix):
    """The levels of the matrix with their colour and the score each starts at."""
    if matrix is None:
        return ""
    items = format_html_join(
        "",
        '<li class="me-3 d-inline-flex align-items-center">{}<span>{} ({}+)</span></li>',
        ((_swatch(t["colour"]), t["label"], t["min_score"]) for t in matrix.levels()),
    )
    return format_html('<ul class="list-unstyled mb-0 siris-heat-legend">{}</ul>', items)
