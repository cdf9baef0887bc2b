"""Article HTML made safe to store, show and publish.

Both a model's answer and a member's edit are untrusted: the HTML is parsed and written
out again from scratch, so only what is emitted here survives. Allowed tags keep only
their allowed attributes; links keep only http(s), mailto and relative targets; script,
style and other active elements are dropped with everything inside them; other tags
(div, span, section, ...) are unwrapped to their text; text and attribute values are
escaped again. `h1` becomes `h2`: the title is the page's h1. The same pass collects the
outline (h2-h6) and counts the words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

ALLOWED = {
    "h2": (),
    "h3": (),
    "h4": (),
    "h5": (),
    "h6": (),
    "p": (),
    "br": (),
    "hr": (),
    "ul": (),
    "ol": ("start",),
    "li": (),
    "strong": (),
    "b": (),
    "em": (),
    "i": (),
    "u": (),
    "s": (),
    "sub": (),
    "sup": (),
    "blockquote": (),
    "code": (),
    "pre": (),
    "a": ("href", "title"),
    "table": (),
    "thead": (),
    "tbody": (),
    "tr": (),
    "th": ("colspan", "rowspan", "scope"),
    "td": ("colspan", "rowspan"),
    "figure": (),
    "figcaption": (),
}
RENAMED = {"h1": "h2"}
VOID = frozenset({"br", "hr"})
# Dropped together with their content: it is code, styling or an embedded document.
DROPPED = frozenset(
    {
        "script",
        "style",
        "iframe",
        "object",
        "embed",
        "svg",
        "math",
        "template",
        "noscript",
        "textarea",
        "select",
        "head",
        "title",
        "frame",
        "frameset",
    }
)
HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
BLOCKS = HEADINGS | {"p", "ul", "ol", "table", "blockquote", "pre", "figure", "hr"}
# What an opening tag closes implicitly, as browsers do ("<li>a<li>b" is two items).
IMPLIED_END = {"li": {"li"}, "tr": {"tr", "td", "th"}, "td": {"td", "th"}, "th": {"td", "th"}}
_SAFE_URL = re.compile(r"^(?:https?://|mailto:|/(?!/)|#)", re.IGNORECASE)
_NUMBER = re.compile(r"^\d{1,4}$")
_WORD = re.compile(r"\w+(?:['\u2019-]\w+)*", re.UNICODE)


@dataclass(frozen=True)
class CleanHtml:
    """Sanitised HTML, its outline (`[{"level": 2, "text": ...}]`) and its word count."""

    html: str
    headings: list[dict] = field(default_factory=list)
    word_count: int = 0
    text: str = ""


def _safe_value(name: str, value: str) -> str | None:
    value = value.strip()
    if name == "href":
        # Browsers ignore control characters and spaces inside a scheme ("java\nscript:").
        squeezed = re.sub(r"[\x00-\x20]", "", value)
        return value if _SAFE_URL.match(squeezed) else None
    if name in ("start", "colspan", "rowspan"):
        return value if _NUMBER.match(value) else None
    return value[:300]


class _Cleaner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []
        self.dropping: list[str] = []
        self.text: list[str] = []
        self.headings: list[dict] = []
        self._heading: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if self.dropping:
            if tag in DROPPED:
                self.dropping.append(tag)
            return
        if tag in DROPPED:
            self.dropping.append(tag)
            return
        tag = RENAMED.get(tag, tag)
        if tag not in ALLOWED:
            if tag in ("div", "section", "article", "header", "footer", "main"):
                self.text.append(" ")
            return
        self._close_implied(tag)
        kept = []
        for name, value in attrs:
            if name in ALLOWED[tag] and value is not None:
                safe = _safe_value(name, value)
                if safe is not None:
                    kept.append(f' {name}="{escape(safe, quote=True)}"')
        if tag == "a" and kept:
            kept.append(' rel="noopener nofollow"')
        self.out.append(f"<{tag}{''.join(kept)}>")
        if tag in VOID:
            self.text.append(" ")
            return
        self.open.append(tag)
        if tag in HEADINGS:
            self._heading = []
        self.text.append(" ")

    def _close_implied(self, tag: str) -> None:
        closes = IMPLIED_END.get(tag, set())
        if tag in BLOCKS:
            closes = closes | {"p"}
        while self.open and self.open[-1] in closes:
            self.handle_endtag(self.open[-1])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        tag = RENAMED.get(tag, tag)
        if tag in ALLOWED and tag not in VOID and self.open and self.open[-1] == tag:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if self.dropping:
            if tag == self.dropping[-1]:
                self.dropping.pop()
            return
        tag = RENAMED.get(tag, tag)
        if tag not in self.open:
            return
        while self.open:
            closing = self.open.pop()
            self.out.append(f"</{closing}>")
            if closing in HEADINGS and self._heading is not None:
                text = " ".join("".join(self._heading).split())
                if text:
                    self.headings.append({"level": int(closing[1]), "text": text})
                self._heading = None
            if closing == tag:
                break
        self.text.append(" ")

    def handle_data(self, data):
        if self.dropping:
            return
        self.out.append(escape(data, quote=False))
        self.text.append(data)
        if self._heading is not None:
            self._heading.append(data)

    def close(self):
        super().close()
        while self.open:
            self.handle_endtag(self.open[-1])


def sanitize_html(raw: str) -> CleanHtml:
    """The safe form of `raw`, with its outline and word count. Plain text (no tags at
    all) becomes paragraphs, one per blank-line-separated block."""
    raw = raw or ""
    if "<" not in raw and raw.strip():
        blocks = [block.strip() for block in re.split(r"\n\s*\n", raw) if block.strip()]
        raw = "".join(f"<p>{escape(block, quote=False)}</p>" for block in blocks)
    cleaner = _Cleaner()
    cleaner.feed(raw)
    cleaner.close()
    text = " ".join("".join(cleaner.text).split())
    return CleanHtml(
        html="".join(cleaner.out).strip(),
        headings=cleaner.headings,
        word_count=len(_WORD.findall(text)),
        text=text,
    )
