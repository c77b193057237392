"""Markdown rendering with sanitising: user text can format, never script."""

from __future__ import annotations

import threading
from html import unescape

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "code": {"class"}}
ALLOWED_SCHEMES = {"https", "http", "mailto"}


EXTENSIONS = ["fenced_code", "tables", "sane_lists"]

# Building a Markdown converter loads its extensions (about 0.13 ms each time); one per thread and set of
# extensions is kept and reset before each text. A converter holds state while converting, so threads
# (the test live server, a threaded WSGI server) each get their own.
_converters = threading.local()


def _to_html(text: str, *, hard_breaks: bool = False) -> str:
    """Markdown → (unsanitised) HTML through this thread's converter."""
    key = "hard_breaks" if hard_breaks else "plain"
    converter: md.Markdown | None = getattr(_converters, key, None)
    if converter is None:
        extensions = [*EXTENSIONS, "nl2br"] if hard_breaks else EXTENSIONS
        converter = md.Markdown(extensions=extensions, output_format="html")
        setattr(_converters, key, converter)
    html: str = converter.reset().convert(text)
    return html


def render_markdown(text: str | None, *, hard_breaks: bool = False) -> SafeString:
    """Markdown → sanitised HTML. ``hard_breaks`` keeps every line break (text written as plain lines)."""
    if not text:
        return mark_safe("")  # noqa: S308 - empty string
    html = _to_html(text, hard_breaks=hard_breaks)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above


def markdown_to_text(text: str | None, *, limit: int | None = None) -> str:
    """Markdown as one line of plain text, for previews and e-mail subjects: no markup, no entities.

    The result is not safe HTML: templates escape it as usual. Cut at ``limit`` characters with "…".
    """
    if not text:
        return ""
    html = _to_html(text)
    plain = " ".join(unescape(nh3.clean(html, tags=set())).split())
    if limit is not None and len(plain) > limit:
        plain = plain[: limit - 1].rstrip() + "…"
    return plain
