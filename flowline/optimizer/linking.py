"""Internal link suggestions between the articles of one site.

Which articles are related comes from the cosine similarity of their text (title
counted twice): TF-IDF vectors by default, the packaged offline sentence model's when
`FLOWLINE_EMBEDDINGS` selects it (it finds "airfare" and "plane tickets" related). Where
to put the link comes from the target's keywords or title found, as whole words, in the
source's text that is not already inside a link. An article never links to itself, a
target already linked from the source is not proposed again, each target is proposed
once and each anchor phrase is used once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from flowline.ai import public as ai
from flowline.optimizer.document import Document, find_phrase, parse_html

MIN_SIMILARITY = 0.05
DEFAULT_LIMIT = 5


@dataclass(frozen=True)
class Suggestion:
    target_id: int | None
    target_url: str
    target_title: str
    anchor_text: str
    matched: str  # primary_keyword | secondary_keyword | title
    similarity: float
    score: float
    context: str  # the sentence around the anchor, so an editor can judge it

    @property
    def reason(self) -> str:
        return (
            f"\u201c{self.anchor_text}\u201d (the target's {self.matched.replace('_', ' ')}) "
            f"appears in the text; content similarity {self.similarity:.2f}."
        )


_MATCH_BONUS = {"primary_keyword": 0.3, "secondary_keyword": 0.2, "title": 0.1}


def _corpus_text(doc: Document, text: str) -> str:
    return f"{doc.title} {doc.title} {doc.primary_keyword} {text}"


def _linked_targets(source_links, candidates) -> set[int]:
    hrefs = {link.href.rstrip("/") for link in source_links if link.href}
    already = set()
    for index, doc in enumerate(candidates):
        if doc.url and doc.url.rstrip("/") in hrefs:
            already.add(index)
    return already


def _anchor(blocks: list[str], doc: Document, used: set[str]):
    options = [("primary_keyword", doc.primary_keyword)]
    options += [("secondary_keyword", kw) for kw in doc.secondary_keywords]
    options.append(("title", doc.title))
    for matched, phrase in options:
        if not phrase or not phrase.strip() or phrase.strip().lower() in used:
            continue
        for block in blocks:
            found = find_phrase(block, phrase)
            if found:
                return matched, found.group(0), _sentence_around(block, found.start(), found.end())
    return None


def _sentence_around(block: str, start: int, end: int) -> str:
    left = max(block.rfind(". ", 0, start) + 2, 0) if block.rfind(". ", 0, start) >= 0 else 0
    right = block.find(". ", end)
    return block[left : right + 1 if right >= 0 else len(block)].strip()[:300]


def similarities(texts: list[str]) -> np.ndarray | None:
    """Similarity of `texts[0]` to each of `texts[1:]`; None when TF-IDF finds nothing
    but stop words anywhere (nothing to compare)."""
    packaged = ai.packaged_model()
    if packaged is not None:
        return packaged.similarities(texts[0], texts[1:])
    try:
        matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    except ValueError:
        return None
    return cosine_similarity(matrix[0:1], matrix[1:]).ravel()


def suggest(
    source: Document, candidates: list[Document], limit: int = DEFAULT_LIMIT
) -> list[Suggestion]:
    """Up to `limit` links from `source` to other articles of its site, best first."""
    others = [
        doc
        for doc in candidates
        if not (source.id is not None and doc.id == source.id)
        and not (source.url and doc.url and doc.url.rstrip("/") == source.url.rstrip("/"))
    ]
    if not others or limit <= 0:
        return []
    parsed = parse_html(source.html)
    texts = [_corpus_text(source, parsed.text)] + [
        _corpus_text(doc, parse_html(doc.html).text) for doc in others
    ]
    related = similarities(texts)
    if related is None:
        return []
    skip = _linked_targets(parsed.links, others)
    ranked = sorted(range(len(others)), key=lambda i: -related[i])
    used_anchors: set[str] = set()
    seen_targets: set = set()
    found: list[Suggestion] = []
    for index in ranked:
        doc = others[index]
        similarity = float(related[index])
        key = doc.id if doc.id is not None else doc.url
        if index in skip or key in seen_targets or similarity < MIN_SIMILARITY:
            continue
        anchor = _anchor(parsed.unlinked_blocks, doc, used_anchors)
        if anchor is None:
            continue
        matched, text, context = anchor
        used_anchors.add(text.lower())
        seen_targets.add(key)
        found.append(
            Suggestion(
                target_id=doc.id,
                target_url=doc.url,
                target_title=doc.title,
                anchor_text=text,
                matched=matched,
                similarity=round(similarity, 4),
                score=round(similarity + _MATCH_BONUS[matched], 4),
                context=context,
            )
        )
    found.sort(key=lambda s: -s.score)
    return found[:limit]
