"""The prompts Flowline ships, one per prompt type the pipeline uses.

An account may override any of them (`system/prompts/save/`) and go back to the shipped
text (`system/prompts/reset/`). Placeholders are `[[name]]`, filled by `render()`; the
data comes last so that the offline provider (and a reader) finds it easily.
"""

from __future__ import annotations

import re

DEFAULTS: dict[str, str] = {
    "auto_cluster": (
        "You are an SEO strategist. Group the keywords below into topical clusters: keywords "
        "that one page could rank for belong together. Answer in JSON only: "
        '{"clusters": [{"name": "...", "description": "...", "keywords": ["..."]}]}.\n\n'
        "Keywords:\n[[keywords]]"
    ),
    "cluster_naming": (
        "Give the keyword cluster below a short, descriptive name and a one-sentence "
        'description. Answer in JSON only: {"name": "...", "description": "..."}.\n\n'
        "Keywords:\n[[keywords]]"
    ),
    "generate_ideas": (
        "You are a content strategist. For the cluster below, propose article ideas that "
        "cover its search intent. Answer in JSON only: "
        '{"ideas": [{"title": "...", "description": "...", "content_type": "blog_post", '
        '"target_keywords": ["..."]}]}.\n\n'
        "Cluster: [[cluster_name]]\nKeywords:\n[[keywords]]"
    ),
    "generate_content": (
        "Write a complete, well-structured article in HTML (h2/h3 headings, paragraphs, "
        "lists) for the idea below, in the author's voice. Answer in JSON only: "
        '{"title": "...", "meta_title": "...", "meta_description": "...", '
        '"content": "<h2>...</h2><p>...</p>", "tags": ["..."]}.\n\n'
        "Author voice: [[author_profile]]\nStrategy: [[strategy]]\n"
        "Idea: [[idea_title]]\n[[idea_description]]\nKeywords:\n[[keywords]]"
    ),
    "image_prompts": (
        "Write prompts for an image generator: one featured image and in-article images "
        "for the article below. Describe scenes, no text in images. Answer in JSON only: "
        '{"featured_prompt": "...", "in_article_prompts": ["..."]}.\n\n'
        "Number of in-article images: [[count]]\nTitle: [[title]]\nArticle:\n[[content]]"
    ),
    "generate_image": (
        "[[prompt]]. Style: [[style]]. High quality, sharp focus, no text, no watermark."
    ),
    "product_description": (
        "Write a persuasive product description for an online shop, with a short paragraph "
        'and key benefits. Answer in JSON only: {"description": "...", "bullets": ["..."]}.'
        "\n\nTone: [[tone]]\nProduct: [[name]]\nDetails:\n[[details]]"
    ),
    "hashtags": (
        "Suggest relevant hashtags for the social media post below, most specific first. "
        'Answer in JSON only: {"hashtags": ["#..."]}.\n\n'
        "Platform: [[platform]]\nPost:\n[[text]]"
    ),
    "social_post": (
        "Write a social media post for the platform below about the subject below, within "
        'its length limits, with a call to action. Answer in JSON only: {"text": "...", '
        '"hashtags": ["#..."]}.\n\nPlatform: [[platform]]\nTone: [[tone]]\nSubject:\n[[subject]]'
    ),
    "chat_reply": (
        "You are a helpful shop assistant. Suggest short, friendly replies to the customer's "
        'last message, using the shop context. Answer in JSON only: {"suggestions": ["..."]}.'
        "\n\nShop context:\n[[context]]\nConversation:\n[[conversation]]"
    ),
    "agent_transform": (
        "Follow the agent's instructions and transform the input below. Answer in JSON only: "
        '{"output": "...", "notes": "..."}.\n\nInstructions:\n[[instructions]]\nInput:\n[[input]]'
    ),
}

PROMPT_TYPES: tuple[str, ...] = tuple(DEFAULTS)
_PLACEHOLDER = re.compile(r"\[\[(\w+)\]\]")


def default_for(prompt_type: str) -> str | None:
    """The shipped text of `prompt_type`, or None when Flowline ships none."""
    return DEFAULTS.get(prompt_type)


def render(template: str, **context: object) -> str:
    """Fill `[[name]]` placeholders; lists become one item per line, missing ones empty."""

    def value(match: re.Match) -> str:
        item = context.get(match.group(1), "")
        if isinstance(item, (list, tuple)):
            return "\n".join(f"- {entry}" for entry in item)
        return str(item)

    return _PLACEHOLDER.sub(value, template)
