"""The offline provider's chat: deterministic, sensible answers built from the prompt.

For the prompt types the pipeline uses (see `prompts_defaults`) it answers the JSON shape
that prompt asks for, filled from the data in the prompt (keywords, titles, product
details); otherwise a short structured text. Every answer carries `OFFLINE_NOTE`.
"""

from __future__ import annotations

import json
import re
from collections import Counter

from flowline.ai.gateway import offline_article
from flowline.ai.gateway.types import OFFLINE_NOTE

_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "how",
        "in",
        "is",
        "it",
        "of",
        "on",
        "or",
        "the",
        "to",
        "what",
        "with",
        "your",
        "you",
        "this",
        "that",
        "best",
        "top",
        "vs",
        "near",
        "me",
        "can",
        "do",
        "does",
    ]
)
_WORD = re.compile(r"[a-z0-9][a-z0-9'-]*")
_FIELD = re.compile(r"^([A-Za-z][\w ()-]{0,50}):\s*(.*)$")
_BULLET = re.compile(r"^\s*(?:[-*\u2022]|\d+[.)])\s+(.*)$")


def complete(messages: list[dict], *, operation: str, json_mode: bool = False) -> str:
    """The offline answer to `messages` for `operation` (a prompt type, possibly dotted)."""
    user = _content([m for m in messages if m.get("role") == "user"][-1:] or messages[-1:])
    everything = _content(messages)
    data = _parse(user)
    shape = _SHAPES.get(operation.rsplit(".", 1)[-1])
    if shape is not None:
        return json.dumps({**shape(data), "note": OFFLINE_NOTE})
    summary = _summary(data, user)
    if json_mode or "json" in everything.lower():
        return json.dumps({"answer": summary, "points": data["items"][:5], "note": OFFLINE_NOTE})
    points = "".join(f"\n- {item}" for item in data["items"][:5])
    return f"[Offline provider] {summary}{points}\n\n{OFFLINE_NOTE}"


def _content(messages: list[dict]) -> str:
    parts = []
    for message in messages:
        content = message.get("content") or ""
        if isinstance(content, list):  # OpenAI content parts
            content = " ".join(p.get("text", "") for p in content if isinstance(p, dict))
        parts.append(str(content))
    return "\n".join(parts)


def _parse(text: str) -> dict:
    """Labelled fields ("Title: ..."), list items, and the words of the prompt's data."""
    fields: dict[str, str] = {}
    items: list[str] = []
    current = None
    for line in text.splitlines():
        bullet = _BULLET.match(line)
        field = _FIELD.match(line.strip()) if not bullet else None
        if bullet:
            items.append(bullet.group(1).strip())
        elif field:
            current = field.group(1).strip().lower()
            fields[current] = field.group(2).strip()
        elif line.strip() and current:
            fields[current] = (fields[current] + " " + line.strip()).strip()
    if not items:
        last = next((value for value in reversed(fields.values()) if value), "")
        items = [part.strip() for part in re.split(r"[,;]", last) if part.strip()]
    return {"fields": fields, "items": items, "words": _words(" ".join(items) or text)}


def _words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2]


def _topic(data: dict, *names: str) -> str:
    for name in names:
        if data["fields"].get(name):
            return data["fields"][name]
    common = [word for word, _ in Counter(data["words"]).most_common(2)]
    return " ".join(common) or (data["items"][0] if data["items"] else "your topic")


def _summary(data: dict, text: str) -> str:
    topic = _topic(data, "title", "subject", "topic", "input")
    return f"A deterministic answer about {topic}, built from {len(data['items'])} input items."


def _auto_cluster(data: dict) -> dict:
    keywords = data["items"]
    frequency = Counter(word for kw in keywords for word in set(_words(kw)))
    groups: dict[str, list[str]] = {}
    for keyword in keywords:
        words = _words(keyword) or [keyword.lower()]
        head = max(words, key=lambda word: (frequency[word], -words.index(word)))
        groups.setdefault(head, []).append(keyword)
    return {
        "clusters": [
            {
                "name": head.replace("-", " ").title(),
                "description": f"Searches about {head}: {len(members)} keywords.",
                "keywords": members,
            }
            for head, members in sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
        ]
    }


def _cluster_naming(data: dict) -> dict:
    topic = _topic(data).title()
    return {"name": topic, "description": f"Keywords about {topic.lower()}."}


def _generate_ideas(data: dict) -> dict:
    topic = _topic(data, "cluster")
    keywords = data["items"] or [topic]
    patterns = [
        "The complete guide to {}",
        "{}: questions people ask, answered",
        "How to choose the right {}",
        "Common mistakes with {} and how to avoid them",
        "{} explained for beginners",
    ]
    ideas = []
    for index, keyword in enumerate(keywords[:5]):
        ideas.append(
            {
                "title": patterns[index % len(patterns)].format(keyword).capitalize(),
                "description": f"An article for people searching '{keyword}' ({topic}).",
                "content_type": "blog_post",
                "target_keywords": [keyword],
            }
        )
    return {"ideas": ideas}


def _generate_content(data: dict) -> dict:
    fields = data["fields"]
    title = _topic(data, "idea", "title")
    keywords = data["items"][:6] or [title]
    content = offline_article.article(
        title=title,
        keywords=keywords,
        words=offline_article.target_words(fields.get("target length", "")),
        sections=offline_article.outline_from_strategy(fields.get("strategy", "")),
    )
    description = f"{title}. A practical overview covering {', '.join(keywords[:3])}."
    return {
        "title": title,
        "meta_title": title[:60],
        "meta_description": description[:155],
        "content": content,
        "tags": keywords[:5],
        "word_count": len(re.sub(r"<[^>]+>", " ", content).split()),
    }


def _image_prompts(data: dict) -> dict:
    title = _topic(data, "title")
    count = int(re.sub(r"\D", "", data["fields"].get("number of in-article images", "")) or 2)
    headings = re.findall(r"<h2>(.*?)</h2>", data["fields"].get("article", ""))
    subjects = (headings or data["items"] or [title]) * count
    return {
        "featured_prompt": f"Editorial photograph illustrating {title}, natural light",
        "in_article_prompts": [f"Photograph showing {s}, clean composition" for s in subjects][
            :count
        ],
    }


def _product_description(data: dict) -> dict:
    name = _topic(data, "product", "name")
    details = data["items"][:5]
    tone = data["fields"].get("tone") or "friendly"
    benefits = ", ".join(details) if details else "quality you can feel"
    opening = "Meet" if tone == "friendly" else "Introducing"
    return {
        "description": f"{opening} {name}: made for everyday use, with {benefits}.",
        "bullets": details or [name],
    }


def _hashtags(data: dict) -> dict:
    words = _words(data["fields"].get("post", "") + " " + " ".join(data["items"]))
    top = [word for word, _ in Counter(words).most_common(8)]
    return {"hashtags": ["#" + re.sub(r"[^a-z0-9]", "", word) for word in top if word]}


def _social_post(data: dict) -> dict:
    subject = _topic(data, "subject")
    platform = data["fields"].get("platform", "").lower()
    text = f"{subject.rstrip('.')}. Find out more at the link in our profile."
    if platform in ("twitter", "x"):
        text = text[:280]
    return {"text": text, **_hashtags({"fields": {"post": subject}, "items": []})}


def _chat_reply(data: dict) -> dict:
    conversation = data["fields"].get("conversation", "") or " ".join(data["items"])
    last = conversation.strip().splitlines()[-1] if conversation.strip() else "your message"
    return {
        "suggestions": [
            f"Thanks for your message about {last[:80]}! Let me check that for you.",
            "Happy to help. Could you tell me a little more about what you need?",
            "Thank you! I'll get back to you with the details shortly.",
        ]
    }


def _agent_transform(data: dict) -> dict:
    source = data["fields"].get("input", "") or "\n".join(data["items"])
    instructions = data["fields"].get("instructions", "")
    return {"output": source.strip(), "notes": f"Instructions received: {instructions[:200]}"}


def _generate_image(data: dict) -> dict:
    return {"prompt": _topic(data, "prompt")}


_SHAPES = {
    "auto_cluster": _auto_cluster,
    "cluster_naming": _cluster_naming,
    "generate_ideas": _generate_ideas,
    "generate_content": _generate_content,
    "image_prompts": _image_prompts,
    "generate_image": _generate_image,
    "product_description": _product_description,
    "hashtags": _hashtags,
    "social_post": _social_post,
    "chat_reply": _chat_reply,
    "agent_transform": _agent_transform,
}
