"""What WordPress does with the `search` argument of `GET /wp/v2/posts`, for the fake.

The REST API sanitises it with `sanitize_text_field` (tags and HTML comments stripped,
whitespace collapsed, percent-encoded octets removed) and an empty result means no
search at all. `WP_Query::parse_search` then splits it into terms (quoted phrases kept
together, stopwords and lone letters dropped, ten or more terms taken as one sentence),
and every term must match, case-insensitively, somewhere in the title, the excerpt or
the raw content (`LIKE '%term%'`); a term starting with `-` must match none of them.
"""

from __future__ import annotations

import html
import re

_LESS_THAN = re.compile(r"<[^>]*?((?=<)|>|$)")
_SCRIPT_OR_STYLE = re.compile(r"<(script|style)[^>]*?>.*?</\1>", re.IGNORECASE | re.DOTALL)
_COMMENT = re.compile(r"<!--.*?(-->|$)", re.DOTALL)
_TAG = re.compile(r"<[^>]*(>|$)", re.DOTALL)
_WHITESPACE = re.compile(r"[\r\n\t ]+")
_OCTET = re.compile(r"%[a-f0-9]{2}", re.IGNORECASE)
_TERMS = re.compile(r'".*?("|$)|((?<=[\t ",+])|^)[^\t ",+]+')
# WordPress's English search stopwords (translatable there; English here).
# fmt: off
STOPWORDS = frozenset((
    "about", "an", "are", "as", "at", "be", "by", "com", "for", "from", "how", "in", "is",
    "it", "of", "on", "or", "that", "the", "this", "to", "was", "what", "when", "where",
    "who", "will", "with", "www",
))
# fmt: on


def sanitize_text_field(value: object) -> str:
    """WordPress's `sanitize_text_field` (`_sanitize_text_fields` without newlines)."""
    if isinstance(value, (list, dict)):
        return ""
    text = str(value)
    if "<" in text:
        # wp_pre_kses_less_than: a "<" that opens no tag stays, as text
        text = _LESS_THAN.sub(
            lambda m: m.group(0) if ">" in m.group(0) else html.escape(m.group(0)), text
        )
        # wp_strip_all_tags: script and style with their content, then strip_tags
        text = _SCRIPT_OR_STYLE.sub("", text)
        text = _TAG.sub("", _COMMENT.sub("", text)).strip()
    text = _WHITESPACE.sub(" ", text).strip()
    found = False
    while _OCTET.search(text):
        text = _OCTET.sub("", text, count=1)
        found = True
    if found:
        text = re.sub(r" +", " ", text).strip()
    return text


def search_terms(search: str) -> list[str]:
    """`WP_Query::parse_search` and `parse_search_terms`."""
    found = [m.group(0) for m in _TERMS.finditer(search)]
    if not found:
        return [search]
    terms = []
    for term in found:
        term = term.strip("\"'") if re.fullmatch(r'".+"', term) else term.strip("\"' ")
        if not term or (len(term) == 1 and re.fullmatch(r"[a-z\-]", term, re.IGNORECASE)):
            continue
        if term.lower() in STOPWORDS:
            continue
        terms.append(term)
    if not terms or len(terms) > 9:
        return [search]
    return terms


def matches(search: str, *fields: str) -> bool:
    """Whether a post with these title, excerpt and content matches the (sanitised,
    non-empty) search."""
    lowered = [field.lower() for field in fields]
    for term in search_terms(search):
        exclude = term.startswith("-")
        needle = (term[1:] if exclude else term).lower()
        if any(needle in field for field in lowered) == exclude:
            return False
    return True
