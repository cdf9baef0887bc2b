"""What the optimizer reads: an article as plain fields, and its HTML taken apart.

The scorer and the linker work on `Document`s, not on the writer's models, so they can be
used on any HTML (a draft not saved yet, a published post) and tested without a database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

WORD = re.compile(r"[A-Za-z0-9\u00C0-\u024F]+(?:['\u2019-][A-Za-z0-9\u00C0-\u024F]+)*")
SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")


@dataclass(frozen=True)
class Document:
    """One article: its text fields and HTML. `id` is the writer's content id when known."""

    html: str
    title: str = ""
    meta_title: str = ""
    meta_description: str = ""
    primary_keyword: str = ""
    secondary_keywords: tuple[str, ...] = ()
    target_word_count: int | None = None
    url: str = ""
    site_url: str = ""
    id: int | None = None
    site_id: int | None = None


@dataclass
class Heading:
    level: int
    text: str


@dataclass
class Link:
    href: str
    text: str


@dataclass
class Image:
    src: str
    alt: str | None


@dataclass
class ParsedHtml:
    """The parts of an article's HTML that SEO checks look at."""

    headings: list[Heading] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    text: str = ""
    # Text outside links, per block, so anchors are only proposed where no link is yet.
    unlinked_blocks: list[str] = field(default_factory=list)

    @property
    def words(self) -> list[str]:
        return WORD.findall(self.text)


_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "td", "th", "figcaption"}
_SKIP = {"script", "style", "noscript"}


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = ParsedHtml()
        self._chunks: list[str] = []
        self._block: list[str] | None = None
        self._block_tag = ""
        self._unlinked: list[str] = []
        self._link: Link | None = None
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in _SKIP:
            self._skip += 1
        elif tag in _BLOCKS:
            self._close_block()
            self._block, self._block_tag, self._unlinked = [], tag, []
        elif tag == "a":
            self._link = Link(href=(attributes.get("href") or "").strip(), text="")
        elif tag == "img":
            alt = attributes.get("alt")
            self.out.images.append(
                Image(src=attributes.get("src") or "", alt=alt.strip() if alt is not None else None)
            )
        elif tag == "br":
            self.handle_data(" ")

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag == "a" and self._link is not None:
            self._link.text = " ".join(self._link.text.split())
            self.out.links.append(self._link)
            self._link = None
            if self._block is not None:
                self._unlinked.append("\n")  # a link breaks the unlinked text in two
        elif tag == self._block_tag:
            self._close_block()

    def handle_data(self, data):
        if self._skip:
            return
        self._chunks.append(data)
        if self._block is not None:
            self._block.append(data)
            if self._link is None:
                self._unlinked.append(data)
        if self._link is not None:
            self._link.text += data

    def _close_block(self):
        if self._block is None:
            return
        text = " ".join("".join(self._block).split())
        if self._block_tag.startswith("h") and self._block_tag[1:].isdigit():
            self.out.headings.append(Heading(int(self._block_tag[1]), text))
        elif self._block_tag == "p" and text:
            self.out.paragraphs.append(text)
        for piece in "".join(self._unlinked).split("\n"):
            piece = " ".join(piece.split())
            if piece:
                self.out.unlinked_blocks.append(piece)
        self._block, self._block_tag, self._unlinked = None, "", []

    def result(self) -> ParsedHtml:
        self._close_block()
        self.out.text = " ".join(" ".join(self._chunks).split())
        if not self.out.paragraphs and self.out.text and not self.out.headings:
            self.out.paragraphs = [self.out.text]  # plain text without markup
        return self.out


def parse_html(html: str) -> ParsedHtml:
    """Take an article's HTML apart with the standard library's tolerant parser."""
    parser = _Parser()
    parser.feed(html or "")
    parser.close()
    return parser.result()


def count_phrase(text: str, phrase: str) -> int:
    """How many times a phrase occurs as whole words, case-insensitively."""
    pattern = _phrase_pattern(phrase)
    return len(re.findall(pattern, text, flags=re.IGNORECASE)) if pattern and text else 0


def _phrase_pattern(phrase: str) -> str:
    words = [re.escape(word) for word in " ".join(phrase.split()).split(" ") if word]
    return r"(?<![\w])" + r"\s+".join(words) + r"(?![\w])" if words else ""


def contains_phrase(text: str, phrase: str) -> bool:
    """Whole-word, case-insensitive match of a phrase in a text."""
    return find_phrase(text, phrase) is not None


def find_phrase(text: str, phrase: str) -> re.Match | None:
    pattern = _phrase_pattern(phrase)
    return re.search(pattern, text, flags=re.IGNORECASE) if pattern and text else None


def count_syllables(word: str) -> int:
    """A vowel-group count, good enough for a readability estimate in English."""
    word = word.lower()
    groups = re.findall(r"[aeiouy]+", word)
    count = len(groups)
    if word.endswith("e") and not word.endswith(("le", "ee")) and count > 1:
        count -= 1
    return max(1, count)


def sentences(text: str) -> list[str]:
    return [part for part in SENTENCE_END.split(text) if WORD.search(part)]
