"""The SEO score: concrete checks, each explained, weighted into a 0-100 score.

Every check answers `passed`, a `score` between 0 and 1 (some give partial credit), the
value it measured and a message saying what to change. The total is the weighted mean.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

from flowline.optimizer.document import (
    WORD,
    Document,
    ParsedHtml,
    contains_phrase,
    count_phrase,
    count_syllables,
    parse_html,
    sentences,
)

META_TITLE = (30, 60)
META_DESCRIPTION = (120, 160)
DENSITY = (0.5, 2.5)  # percent of words that belong to the primary keyword
MIN_INTERNAL_LINKS = 2
READING_EASE = 50.0  # Flesch reading ease; 60-70 is plain English
MAX_SENTENCE_WORDS = 25
DEFAULT_TARGET_WORDS = 1000


@dataclass(frozen=True)
class CheckResult:
    id: str
    label: str
    passed: bool
    score: float
    weight: int
    value: object
    message: str


@dataclass(frozen=True)
class ScoreResult:
    score: int
    word_count: int
    checks: list[CheckResult]

    def as_dict(self) -> dict:
        return {
            "score": self.score,
            "word_count": self.word_count,
            "passed": sum(1 for c in self.checks if c.passed),
            "total": len(self.checks),
            "checks": [asdict(c) for c in self.checks],
        }


class _Context:
    def __init__(self, doc: Document):
        self.doc = doc
        self.html: ParsedHtml = parse_html(doc.html)
        self.words = self.html.words
        self.keyword = " ".join(doc.primary_keyword.split())
        h1s = [h.text for h in self.html.headings if h.level == 1]
        # WordPress themes print the post title as the page's H1 when the body has none.
        self.h1 = h1s[0] if h1s else doc.title


def _check(id_: str, label: str, weight: int, passed: bool, value, message: str, score=None):
    return CheckResult(
        id_,
        label,
        passed,
        round(float(passed if score is None else score), 2),
        weight,
        value,
        message,
    )


def _keyword_in(ctx: _Context, id_: str, label: str, where: str, text: str, weight: int):
    if not ctx.keyword:
        return _check(id_, label, weight, False, None, "Set a primary keyword to check this.")
    found = contains_phrase(text, ctx.keyword)
    message = (
        f"The primary keyword appears in the {where}."
        if found
        else f"Use the primary keyword \u201c{ctx.keyword}\u201d in the {where}."
    )
    return _check(id_, label, weight, found, found, message)


def keyword_in_title(ctx):
    return _keyword_in(ctx, "keyword_in_title", "Keyword in title", "title", ctx.doc.title, 10)


def keyword_in_h1(ctx):
    return _keyword_in(ctx, "keyword_in_h1", "Keyword in H1", "H1 heading", ctx.h1, 8)


def keyword_in_first_paragraph(ctx):
    first = ctx.html.paragraphs[0] if ctx.html.paragraphs else ""
    return _keyword_in(
        ctx,
        "keyword_in_first_paragraph",
        "Keyword in first paragraph",
        "first paragraph",
        first,
        10,
    )


def keyword_in_meta(ctx):
    meta = f"{ctx.doc.meta_title} \n {ctx.doc.meta_description}"
    return _keyword_in(
        ctx, "keyword_in_meta", "Keyword in meta title or description", "meta tags", meta, 8
    )


def keyword_density(ctx):
    label, weight = "Keyword density", 5
    if not ctx.keyword or not ctx.words:
        return _check("keyword_density", label, weight, False, None, "Nothing to measure yet.")
    size = len(WORD.findall(ctx.keyword)) or 1
    occurrences = count_phrase(" ".join(ctx.words), " ".join(WORD.findall(ctx.keyword)))
    density = round(100.0 * occurrences * size / len(ctx.words), 2)
    low, high = DENSITY
    passed = low <= density <= high
    if passed:
        message = f"The keyword makes up {density}% of the words."
    elif density < low:
        message = f"The keyword makes up {density}% of the words; aim for {low}-{high}%."
    else:
        message = f"The keyword makes up {density}% of the words; above {high}% reads as stuffing."
    return _check("keyword_density", label, weight, passed, density, message)


def heading_structure(ctx):
    label, weight = "Heading structure", 10
    headings = ctx.html.headings
    problems = []
    body_h1 = sum(1 for h in headings if h.level == 1)
    if body_h1 > 1:
        problems.append(f"{body_h1} H1 headings; keep one")
    h2 = sum(1 for h in headings if h.level == 2)
    if len(ctx.words) >= 300 and h2 < 2:
        problems.append("fewer than two H2 sections for an article of this length")
    previous = 1
    for heading in headings:
        if heading.level > previous + 1:
            problems.append(f"H{heading.level} \u201c{heading.text}\u201d skips a level")
            break
        previous = heading.level
    if any(not h.text for h in headings):
        problems.append("an empty heading")
    outline = [f"H{h.level}" for h in headings]
    if problems:
        message = "Fix the outline: " + "; ".join(problems) + "."
        return _check(
            "heading_structure",
            label,
            weight,
            False,
            outline,
            message,
            score=0.5 if len(problems) == 1 else 0,
        )
    return _check(
        "heading_structure", label, weight, True, outline, "One H1 and nested H2/H3 sections."
    )


def length(ctx):
    label, weight = "Length vs target", 12
    target = ctx.doc.target_word_count or DEFAULT_TARGET_WORDS
    count = len(ctx.words)
    ratio = count / target if target else 1.0
    passed = 0.9 <= ratio <= 1.5
    if passed:
        message = f"{count} words for a target of {target}."
        score = 1.0
    elif ratio < 0.9:
        message = f"{count} words; the target is {target}. Add about {target - count} words."
        score = max(0.0, ratio)
    else:
        message = f"{count} words is well over the target of {target}; consider splitting."
        score = 0.7
    return _check(
        "length", label, weight, passed, {"words": count, "target": target}, message, score
    )


def _length_check(id_, label, weight, text, bounds, what):
    size = len(text.strip())
    low, high = bounds
    if not size:
        return _check(id_, label, weight, False, 0, f"Write a {what} of {low}-{high} characters.")
    passed = low <= size <= high
    if passed:
        message = f"The {what} has {size} characters."
    elif size < low:
        message = f"The {what} has {size} characters; use {low}-{high}."
    else:
        message = f"The {what} has {size} characters; search engines cut it after about {high}."
    return _check(id_, label, weight, passed, size, message, score=1 if passed else 0.5)


def meta_title_length(ctx):
    text = ctx.doc.meta_title or ctx.doc.title
    return _length_check(
        "meta_title_length", "Meta title length", 7, text, META_TITLE, "meta title"
    )


def meta_description_length(ctx):
    return _length_check(
        "meta_description_length",
        "Meta description length",
        7,
        ctx.doc.meta_description,
        META_DESCRIPTION,
        "meta description",
    )


def images_alt(ctx):
    label, weight = "Images with alt text", 8
    images = ctx.html.images
    if not images:
        return _check(
            "images_alt",
            label,
            weight,
            False,
            {"images": 0, "missing_alt": 0},
            "Add at least one image with descriptive alt text.",
        )
    missing = [img.src for img in images if not img.alt]
    value = {"images": len(images), "missing_alt": len(missing)}
    if missing:
        return _check(
            "images_alt",
            label,
            weight,
            False,
            value,
            f"{len(missing)} of {len(images)} images have no alt text.",
            score=1 - len(missing) / len(images),
        )
    return _check(
        "images_alt", label, weight, True, value, f"All {len(images)} images have alt text."
    )


def _is_internal(href: str, doc: Document) -> bool:
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
        return False
    parts = urlsplit(href)
    if not parts.netloc:
        return True  # relative links stay on the site
    hosts = {urlsplit(u).netloc.lower() for u in (doc.site_url, doc.url) if u}
    return parts.netloc.lower() in hosts


def internal_links(ctx):
    label, weight = "Internal links", 8
    count = sum(1 for link in ctx.html.links if _is_internal(link.href, ctx.doc))
    passed = count >= MIN_INTERNAL_LINKS
    message = (
        f"{count} links to other pages of the site."
        if passed
        else f"{count} internal links; link to at least {MIN_INTERNAL_LINKS} related articles "
        "(see linker suggestions)."
    )
    return _check(
        "internal_links",
        label,
        weight,
        passed,
        count,
        message,
        score=min(1.0, count / MIN_INTERNAL_LINKS),
    )


def readability(ctx):
    label, weight = "Readability", 7
    words = ctx.words
    found = sentences(ctx.html.text)
    if not words or not found:
        return _check("readability", label, weight, False, None, "Nothing to read yet.")
    per_sentence = len(words) / len(found)
    syllables = sum(count_syllables(w) for w in words) / len(words)
    ease = round(206.835 - 1.015 * per_sentence - 84.6 * syllables, 1)
    value = {"flesch_reading_ease": ease, "words_per_sentence": round(per_sentence, 1)}
    problems = []
    if ease < READING_EASE:
        problems.append(
            f"reading ease {ease} is below {READING_EASE:g}: use shorter, plainer words"
        )
    if per_sentence > MAX_SENTENCE_WORDS:
        problems.append(
            f"sentences average {per_sentence:.0f} words: keep them under {MAX_SENTENCE_WORDS}"
        )
    if problems:
        return _check(
            "readability",
            label,
            weight,
            False,
            value,
            "; ".join(problems).capitalize() + ".",
            score=0.5 if len(problems) == 1 else 0,
        )
    return _check("readability", label, weight, True, value, f"Reading ease {ease}; easy to read.")


CHECKS: list[Callable[[_Context], CheckResult]] = [
    keyword_in_title,
    keyword_in_h1,
    keyword_in_first_paragraph,
    keyword_in_meta,
    keyword_density,
    heading_structure,
    length,
    meta_title_length,
    meta_description_length,
    images_alt,
    internal_links,
    readability,
]


def score(doc: Document) -> ScoreResult:
    """Run every check on `doc` and weigh them into one 0-100 score."""
    ctx = _Context(doc)
    results = [check(ctx) for check in CHECKS]
    weights = sum(r.weight for r in results)
    total = round(100 * sum(r.weight * r.score for r in results) / weights)
    return ScoreResult(score=total, word_count=len(ctx.words), checks=results)
