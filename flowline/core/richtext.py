"""HTML from users and models made safe to store, show and publish: the one sanitiser.

Everything that may hold markup and may be shown as HTML (a storefront, a WordPress
page, a frontend that sets innerHTML) goes through `clean_html`, which is nh3 (the
Python binding of the Rust `ammonia` sanitiser): it parses the input as a browser would
(HTML5), keeps only the allowed tags with their allowed attributes, links only with
http(s), mailto or relative targets, drops script, style and other active or embedded
elements together with their content, unwraps every other tag to its text, and
serialises the tree again. On top of nh3: numeric-only `start`/`colspan`/`rowspan`, no
protocol-relative links (they leave the site), and `h1` becomes `h2` (the page around it
has its own h1).

`RichTextField` is a `TextField` that applies it on the way in (every save and update,
whatever wrote it: the API, a service, an AI answer, the admin) and, for rows written
before, on the way out. Text without markup is kept byte for byte, so "Tom & Jerry"
stays as typed rather than becoming "Tom &amp; Jerry".

Plain-text fields (prompts, keywords, chat messages, post texts, notification
templates) are not rich text: they are never sanitised, and never rendered as HTML.
"""

from __future__ import annotations

import re
from html import unescape

import nh3
from django.db import models

ATTRIBUTES = {
    "*": set(),  # without it ammonia keeps its generic `lang` and `title` on every tag
    "ol": {"start"},
    "a": {"href", "title"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}
TAGS = {
    *("h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "ul", "ol", "li"),
    *("strong", "b", "em", "i", "u", "s", "sub", "sup", "blockquote", "code", "pre"),
    *("a", "table", "thead", "tbody", "tr", "th", "td", "figure", "figcaption"),
}
# Dropped together with their content: it is code, styling, a form control's value or an
# embedded document, never text.
DROPPED = {
    *("script", "style", "iframe", "object", "embed", "applet", "svg", "math", "template"),
    *("noscript", "noembed", "noframes", "textarea", "select", "head", "title", "frame"),
    "frameset",
}
URL_SCHEMES = {"http", "https", "mailto"}  # relative URLs pass too, except `//host`
LINK_REL = "noopener nofollow"
_NUMBER = re.compile(r"^\d{1,4}$")
_URL_IGNORED = re.compile(r"[\t\n\r]")  # browsers remove these anywhere in a URL


def _attribute_value(tag: str, name: str, value: str) -> str | None:
    """nh3's per-attribute hook, after its own allowlist and URL-scheme checks."""
    if name == "href":
        # `//evil.test`, `/\evil.test` and `/<tab>/evil.test` all open another host: a
        # browser strips tabs/newlines and reads `\` as `/`. ammonia calls them relative.
        target = _URL_IGNORED.sub("", value).strip("\x00\x20").replace("\\", "/")
        return None if target.startswith("//") else value
    if name in ("start", "colspan", "rowspan"):
        return value if _NUMBER.match(value.strip()) else None
    if name == "title":
        return value[:300]
    return value


def clean_html(raw: str) -> str:
    """`raw` as safe HTML (see the module docstring)."""
    html = nh3.clean(
        raw or "",
        tags=TAGS,
        clean_content_tags=DROPPED,
        attributes=ATTRIBUTES,
        attribute_filter=_attribute_value,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )
    # nh3's output escapes `<` in text and attribute values, so `<h1>` here is only ever
    # the tag itself (h1 keeps no attributes).
    return html.replace("<h1>", "<h2>").replace("</h1>", "</h2>").strip()


def sanitize_rich_text(value: str | None) -> str | None:
    """`value` unchanged when it is text a browser would show as the same text (no
    markup at all), otherwise its `clean_html`."""
    if not value or "<" not in value:  # no tag can start: as HTML it shows as typed
        return value
    cleaned = clean_html(value)
    return value if unescape(cleaned) == value else cleaned


class RichTextField(models.TextField):
    """A `TextField` of user or model HTML, sanitised on the way in and out.

    The column is a plain text column, so the field deconstructs as `TextField`:
    switching a field to it needs no migration, and migrations' historical models see
    the column as it is."""

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.TextField", args, kwargs

    def pre_save(self, model_instance, add):
        value = sanitize_rich_text(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)  # the answer shows what was stored
        return value

    def get_prep_value(self, value):
        return sanitize_rich_text(super().get_prep_value(value))

    def from_db_value(self, value, expression, connection):
        return sanitize_rich_text(value)  # rows written before the field sanitised
