"""The offline provider's articles: the requested length, the task's outline and keywords.

Still no model: sentences come from a bank of templates filled with the task's title and
keywords, picked deterministically (the same task always gives the same article). The
result reads as a plausible draft of the right shape, so the rest of the pipeline
(images, linking, optimising, publishing) has something real-sized to work on; every
answer still says it is offline template text (`OFFLINE_NOTE`).
"""

from __future__ import annotations

import hashlib
import random
import re

DEFAULT_WORDS = 1200
MIN_WORDS, MAX_WORDS = 150, 6000

_SENTENCES = [
    "{Kw} is where most people start when they look into {topic}.",
    "Getting {kw} right early saves time and money later on.",
    "A simple way to think about {kw} is to ask what problem it solves for you.",
    "Many readers searching for {kw} want a clear answer before the details.",
    "The short answer: {kw} depends on your goals, your budget and how much time you have.",
    "It helps to compare a few options side by side before you decide.",
    "Experts tend to agree on the basics, even when they disagree on the details.",
    "Small, consistent steps usually beat one big change made all at once.",
    "If you are new to {topic}, begin with the fundamentals and build from there.",
    "Keep notes on what works, so the next decision about {kw} is easier.",
    "A common mistake is to skip the planning stage and go straight to buying.",
    "Quality matters more than quantity here, and it shows in the results.",
    "Think about who will use it, how often, and in what conditions.",
    "Prices vary widely, so look at what you get for the money rather than the price alone.",
    "Reviews from people in a similar situation are more useful than general ratings.",
    "When in doubt, test on a small scale first and adjust before you commit.",
    "The details below walk through each point with practical examples.",
    "{Kw} also affects how you approach {other}, so the two are worth planning together.",
    "Seasonal changes can make a real difference, so check the timing as well.",
    "Most of the work is in preparation; the rest follows naturally.",
    "Once the basics are in place, you can refine {kw} step by step.",
    "Write down what success looks like for you before you compare options.",
    "There is rarely one perfect answer, but there are clearly better and worse choices.",
    "Maintenance is easy to overlook, yet it decides how long the results last.",
    "Ask a specialist when the stakes are high; a short conversation can prevent mistakes.",
    "Beginners and experienced readers alike benefit from a quick checklist.",
    "Look for clear information, fair terms and support when something goes wrong.",
    "The best choice for {kw} is the one you will keep using, not the most impressive one.",
]
_TIPS = [
    "Set a clear goal for {kw} before you start.",
    "Compare at least three options.",
    "Check the total cost, not only the price.",
    "Read recent reviews from people like you.",
    "Start small, then scale what works.",
    "Plan regular check-ups and maintenance.",
]


def article(*, title: str, keywords: list[str], words: int, sections: list[str]) -> str:
    """An HTML article of about `words` words on `title`: an introduction, one h2 per
    outline section (or per keyword), a list, an FAQ with h3 questions, a conclusion."""
    # Deterministic on purpose: the same task gives the same text (not for secrets).
    rng = random.Random(hashlib.sha256(title.encode()).digest())  # noqa: S311
    keywords = [k for k in keywords if k.strip()] or [title]
    headings = _outline(title, keywords, sections)
    budget = max(MIN_WORDS, min(words or DEFAULT_WORDS, MAX_WORDS))
    # Short pieces get fewer sections and no FAQ, so they do not overshoot.
    headings = headings[: max(3, budget // 100)]
    faq = keywords[:3] if budget >= 800 else []
    per_section = max(15, (budget - 45 * len(faq) - 40) // (len(headings) + 1))
    parts = [_paragraphs(rng, title, keywords[0], keywords, per_section)]
    for index, heading in enumerate(headings):
        keyword = keywords[index % len(keywords)]
        parts.append(f"<h2>{heading}</h2>")
        parts.append(_paragraphs(rng, title, keyword, keywords, per_section))
        if index == 0 and budget >= 500:
            tips = "".join(f"<li>{t.format(kw=keyword)}</li>" for t in _TIPS[:4])
            parts.append(f"<ul>{tips}</ul>")
    if faq:
        parts.append("<h2>Frequently asked questions</h2>")
    for keyword in faq:
        parts.append(f"<h3>What should I know about {keyword}?</h3>")
        parts.append(_paragraphs(rng, title, keyword, keywords, 45))
    parts.append("<h2>Conclusion</h2>")
    html = "".join(parts)
    # Top up to the requested length: more paragraphs before the conclusion.
    while _count(html) < budget * 0.95 - 30:
        keyword = rng.choice(keywords)
        extra = _paragraphs(rng, title, keyword, keywords, min(120, budget - _count(html) - 30))
        html = html.replace("<h2>Conclusion</h2>", extra + "<h2>Conclusion</h2>", 1)
    closing = (
        f"{title} comes down to a few clear decisions. Start with {keywords[0]}, keep the "
        "checklist above at hand, and revisit your choices as your needs change."
    )
    return html + f"<p>{closing}</p>"


def target_words(text: str) -> int:
    """The number in "about 2500 words" (or "2,500"), else the default."""
    match = re.search(r"(\d[\d,.\s]*)", text or "")
    if not match:
        return DEFAULT_WORDS
    digits = re.sub(r"\D", "", match.group(1))
    return int(digits) if digits else DEFAULT_WORDS


def outline_from_strategy(strategy: str) -> list[str]:
    """The section names a content strategy lists ("...; sections Intro, Steps, FAQ; ...")."""
    match = re.search(r"sections ([^;]+)", strategy or "")
    if not match:
        return []
    names = [name.strip(" '\"[]") for name in match.group(1).split(",")]
    return [name for name in names if name and name.lower() not in ("introduction", "faq")]


def _outline(title: str, keywords: list[str], sections: list[str]) -> list[str]:
    if sections:
        return [section[:1].upper() + section[1:] for section in sections[:12]]
    headings = [f"What {keywords[0]} means for you"]
    headings += [kw[:1].upper() + kw[1:] for kw in keywords[1:6]]
    headings += [f"How to get started with {keywords[0]}", "Common mistakes to avoid"]
    return headings


def _paragraphs(rng, title, keyword, keywords, words: int) -> str:
    others = [k for k in keywords if k != keyword] or [title.lower()]
    paragraphs, current, count = [], [], 0
    while count < words:
        template = _draw(rng)
        sentence = template.format(
            kw=keyword,
            Kw=keyword[:1].upper() + keyword[1:],
            topic=title.lower(),
            other=rng.choice(others),
        )
        current.append(sentence)
        count += len(sentence.split())
        if len(current) >= rng.randint(3, 5):
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def _draw(rng) -> str:
    """The next sentence of a shuffled deck (kept on the generator): no sentence repeats
    before the whole bank has been used."""
    deck = getattr(rng, "deck", None)
    if not deck:
        deck = rng.deck = rng.sample(_SENTENCES, len(_SENTENCES))
    return deck.pop()


def _count(html: str) -> int:
    return len(re.sub(r"<[^>]+>", " ", html).split())
