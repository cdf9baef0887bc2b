"""Article HTML made safe to store, show and publish, with its outline and word count.

Both a model's answer and a member's edit are untrusted. The sanitising is
`core.richtext.clean_html` (nh3, the binding of the Rust `ammonia` sanitiser: allowed
tags and attributes only, http(s)/mailto/relative links, script and embedded documents
dropped with their content, `h1` made `h2`); this module adds the outline (h2-h6) and
word count, read from the already-clean HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

from flowline.core.richtext import clean_html

_WORD = re.compile(r"\w+(?:['\u2019-]\w+)*", re.UNICODE)


@dataclass(frozen=True)
class CleanHtml:
    """Sanitised HTML, its outline (`[{"level": 2, "text": ...}]`) and its word count."""

    html: str
    headings: list[dict] = field(default_factory=list)
    word_count: int = 0
    text: str = ""


class _Outline(HTMLParser):
    """Reads the headings and the text of HTML that `clean_html` produced (trusted)."""

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
    html = clean_html(raw)
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
