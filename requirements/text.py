"""A version's text: its SHA-256 and its safe HTML rendering (Markdown, then nh3's allow-list)."""

import hashlib

import markdown
import nh3
from django.utils.html import escape, linebreaks
from django.utils.safestring import mark_safe

from requirements.choices import TextFormat

_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "code",
    "pre",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
}


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalise_text(text: str) -> str:
    """One text, one hash: line endings unified and trailing spaces of the whole text removed."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def render(text: str, text_format: str):
    """HTML safe to show: user HTML never passes, links get rel=noopener."""
    if text_format == TextFormat.PLAIN:
        return mark_safe(linebreaks(escape(text)))  # noqa: S308 (escaped just above)
    html = markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    return mark_safe(
        nh3.clean(
            html,
            tags=_TAGS,
            attributes={"a": {"href", "title"}},  # noqa: S308
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer",
        )
    )
