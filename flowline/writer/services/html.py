"""Article HTML made safe to store, show and publish.

Both a model's answer and a member's edit are untrusted. The sanitising is nh3 (the Python
binding of the Rust `ammonia` sanitiser): it parses the input as a browser would (HTML5),
keeps only the allowed tags with their allowed attributes, links only with http(s), mailto
or relative targets, drops script, style and other active or embedded elements together
with their content, unwraps every other tag to its text, and serialises the tree again.
What this module adds on top: numeric-only `start`/`colspan`/`rowspan`, no
protocol-relative links (they leave the site), `h1` becomes `h2` (the title is the page's
h1), and the outline (h2-h6) and word count, read from the already-clean HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

import nh3

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
# embedded document, never article text.
DROPPED = {
    *("script", "style", "iframe", "object", "embed", "applet", "svg", "math", "template"),
    *("noscript", "noembed", "noframes", "textarea", "select", "head", "title", "frame"),
    "frameset",
}
URL_SCHEMES = {"http", "https", "mailto"}  # relative URLs pass too, except `//host`
LINK_REL = "noopener nofollow"
_NUMBER = re.compile(r"^\d{1,4}$")
_WORD = re.compile(r"\w+(?:['\u2019-]\w+)*", re.UNICODE)
_URL_IGNORED = re.compile(r"[\t\n\r]")  # browsers remove these anywhere in a URL


@dataclass(frozen=True)
class CleanHtml:
    """Sanitised HTML, its outline (`[{"level": 2, "text": ...}]`) and its word count."""

    html: str
    headings: list[dict] = field(default_factory=list)
    word_count: int = 0
    text: str = ""


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


def _clean(raw: str) -> str:
    html = nh3.clean(
        raw,
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


class _Outline(HTMLParser):
    """Reads the headings and the text of HTML that `_clean` produced (trusted)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.headings: list[dict] = []
        self._heading: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self.text.append(" ")  # every allowed element is a word boundary (br, li, td, ...)
        if tag in ("h2", "h3", "h4", "h5", "h6"):
            self._heading = []

    def handle_endtag(self, tag):
        self.text.append(" ")
        if self._heading is not None and tag in ("h2", "h3", "h4", "h5", "h6"):
            text = " ".join("".join(self._heading).split())
            if text:
                self.headings.append({"level": int(tag[1]), "text": text})
            self._heading = None

    def handle_data(self, data):
        self.text.append(data)
        if self._heading is not None:
            self._heading.append(data)


def sanitize_html(raw: str) -> CleanHtml:
    """The safe form of `raw`, with its outline and word count. Plain text (no tags at
    all) becomes paragraphs, one per blank-line-separated block."""
    raw = raw or ""
    if "<" not in raw and raw.strip():
        blocks = [block.strip() for block in re.split(r"\n\s*\n", raw) if block.strip()]
        raw = "".join(f"<p>{escape(block, quote=False)}</p>" for block in blocks)
    html = _clean(raw)
    outline = _Outline()
    outline.feed(html)
    outline.close()
    text = " ".join("".join(outline.text).split())
    return CleanHtml(
        html=html,
        headings=outline.headings,
        word_count=len(_WORD.findall(text)),
        text=text,
    )
