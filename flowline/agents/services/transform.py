"""Transform: the agent's instructions applied by the LLM to loaded rows and text.

The model answers in JSON (`{"matches": [{"row": i, "reason": ..., "fields": {...}}]}`);
its streamed text is the agent's thought stream. With the offline provider (no key) a
labelled keyword match stands in, so agents work out of the box; with the packaged offline
sentence model (`FLOWLINE_EMBEDDINGS`) a word also matches a word of the same meaning
("dentist" finds an "orthodontist", "lawyer" an "attorney").
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from flowline.ai import public as ai

BATCH = 40
# Cosine similarity from which the packaged model's word vectors count as the same meaning:
# dentist~orthodontist 0.44, lawyer~attorney 0.65, restaurant~bistro 0.38, while unrelated
# words stay under 0.3 (berlin~germany 0.29, startup~company 0.30).
SIMILAR_WORD = 0.35
_WORD = re.compile(r"[a-z0-9+@.]{3,}")
_STOP = {
    "the",
    "and",
    "find",
    "with",
    "that",
    "their",
    "who",
    "are",
    "for",
    "from",
    "leads",
    "list",
    "lead",
    "people",
    "match",
    "matches",
    "profile",
    "phone",
    "numbers",
    "number",
}


def _prompt(instructions: str, filename: str, batch: list[tuple[int, dict | str]]) -> str:
    lines = "\n".join(json.dumps({"row": i, "data": item}, ensure_ascii=False) for i, item in batch)
    return (
        f"Instructions:\n{instructions}\n\nFile: {filename}\nItems (JSON lines):\n{lines}\n\n"
        'Think briefly, then answer with JSON only: {"matches": [{"row": <row>, '
        '"reason": "<why it matches>", "fields": {<the fields that matter>}}]}'
    )


def find_matches(
    *,
    account_id: int,
    agent_id: int,
    job_id,
    instructions: str,
    filename: str,
    items: list[dict | str],
    on_thought: Callable[[str], None],
    should_stop: Callable[[], None],
) -> list[dict]:
    """Ask the model about every item in batches; returns [{row, reason, fields}]."""
    matches: list[dict] = []
    for start in range(0, len(items), BATCH):
        should_stop()
        batch = list(enumerate(items[start : start + BATCH], start=start))
        buffer: list[str] = []

        def on_token(piece: str, buffer=buffer) -> None:
            buffer.append(piece)
            text = "".join(buffer)
            if len(text) >= 120 or text.endswith((".", "\n")):
                on_thought(text.strip())
                buffer.clear()

        result = ai.chat(
            account_id=account_id,
            agent_id=agent_id,
            job_id=job_id,
            operation="agent_transform",
            messages=[{"role": "user", "content": _prompt(instructions, filename, batch)}],
            stream=True,
            on_token=on_token,
            json_mode=True,
        )
        if buffer:
            on_thought("".join(buffer).strip())
        found = _keyword_matches(instructions, batch) if result.offline else _parse(result.text)
        valid_rows = {index for index, _ in batch}
        matches.extend(m for m in found if m.get("row") in valid_rows)
    return matches


def _parse(text: str) -> list[dict]:
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end <= start:
        return []
    try:
        data = json.loads(text[start : end + 1])
    except json.JSONDecodeError:
        return []
    matches = data.get("matches") if isinstance(data, dict) else None
    return [m for m in matches or [] if isinstance(m, dict) and isinstance(m.get("row"), int)]


def _keyword_matches(instructions: str, batch: list[tuple[int, dict | str]]) -> list[dict]:
    """Offline stand-in: items sharing every distinctive word of a quoted or key phrase."""
    words = {w for w in _WORD.findall(instructions.lower()) if w not in _STOP}
    haystacks = [json.dumps(item, ensure_ascii=False).lower() for _, item in batch]
    similar = _similar_words(sorted(words), haystacks)
    found = []
    for (index, item), haystack, close in zip(batch, haystacks, similar, strict=True):
        hits = sorted(
            w if w in haystack else f"{w} \u2248 {close[w]}"
            for w in words
            if w in haystack or w in close
        )
        if words and len(hits) * 2 >= len(words):
            fields = item if isinstance(item, dict) else {"text": item[:200]}
            found.append(
                {
                    "row": index,
                    "fields": fields,
                    "reason": f"Offline keyword match on: {', '.join(hits)} "
                    "(offline provider; configure an AI provider for real reasoning)",
                }
            )
    return found


def _similar_words(words: list[str], haystacks: list[str]) -> list[dict[str, str]]:
    """Per haystack, {instruction word: its word of the same meaning} by the packaged
    model; no entries when the setting keeps TF-IDF (plain keyword matching)."""
    packaged = ai.packaged_model()
    if packaged is None or not words:
        return [{} for _ in haystacks]
    tokens = [sorted(set(_WORD.findall(haystack))) for haystack in haystacks]
    vocabulary = sorted({token for item in tokens for token in item})
    if not vocabulary:
        return [{} for _ in haystacks]
    position = {token: i for i, token in enumerate(vocabulary)}
    closeness = packaged.vectors(words) @ packaged.vectors(vocabulary).T
    result = []
    for item in tokens:
        columns = [position[token] for token in item]
        close = {}
        for row, word in enumerate(words):
            if not columns:
                break
            best = max(columns, key=lambda column: closeness[row, column])
            if closeness[row, best] >= SIMILAR_WORD:
                close[word] = vocabulary[best]
        result.append(close)
    return result
