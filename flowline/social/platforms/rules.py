"""Each platform's limits on a post, and the check of a variant against them.

A variant is `{"text": str, "link": str,
"media": [{"url" | "file_id", "type": "image" | "video"}]}`.
"""

from __future__ import annotations

import re

# Limits as the platforms document them (2024-2025). `max_media` counts items of one post;
# `max_videos` is how many of them may be videos (a video post carries one video).
RULES: dict[str, dict] = {
    "facebook": {
        "platform": "facebook",
        "max_length": 63206,
        "max_media": 10,
        "max_videos": 1,
        "media_types": ["image", "video"],
        "requires_media": False,
        "allows_link": True,
        "max_hashtags": None,
    },
    "instagram": {
        "platform": "instagram",
        "max_length": 2200,
        "max_media": 10,  # a carousel
        "max_videos": 10,
        "media_types": ["image", "video"],
        "requires_media": True,  # Instagram has no text-only posts
        "allows_link": False,  # links in captions are not clickable: refuse rather than lose it
        "max_hashtags": 30,
    },
    "twitter": {
        "platform": "twitter",
        "max_length": 280,
        "url_length": 23,  # every URL counts as a t.co link
        "max_media": 4,
        "max_videos": 1,
        "media_types": ["image", "video"],
        "requires_media": False,
        "allows_link": True,
        "max_hashtags": None,
    },
    "linkedin": {
        "platform": "linkedin",
        "max_length": 3000,
        "max_media": 9,
        "max_videos": 1,
        "media_types": ["image", "video"],
        "requires_media": False,
        "allows_link": True,
        "max_hashtags": None,
    },
    "whatsapp": {
        "platform": "whatsapp",
        "max_length": 4096,
        "max_media": 1,
        "max_videos": 1,
        "media_types": ["image", "video"],
        "requires_media": False,
        "allows_link": True,
        "max_hashtags": None,
    },
}

_URL = re.compile(r"https?://\S+")
_HASHTAG = re.compile(r"(?<!\w)#\w+")


def platform_rules(platform: str) -> dict:
    """A copy of the platform's limits; KeyError for an unknown platform."""
    rules = RULES[platform]
    return {**rules, "media_types": list(rules["media_types"])}


def text_length(platform: str, text: str, link: str = "") -> int:
    """The length the platform counts: X counts every URL as 23 characters."""
    rules = RULES[platform]
    full = f"{text} {link}".strip() if link and link not in text else text
    url_length = rules.get("url_length")
    if url_length:
        return len(_URL.sub("x" * url_length, full))
    return len(full)


def validate_variant(platform: str, variant: dict) -> dict[str, list[str]]:
    """Field errors of a variant under the platform's rules (empty when it may be posted)."""
    rules = RULES[platform]
    errors: dict[str, list[str]] = {}
    text = variant.get("text") or ""
    link = variant.get("link") or ""
    media = variant.get("media") or []

    length = text_length(platform, text, link if rules["allows_link"] else "")
    if length > rules["max_length"]:
        errors.setdefault("text", []).append(
            f"{length} characters; {platform} allows {rules['max_length']}."
        )
    if not text.strip() and not media:
        errors.setdefault("text", []).append("A post needs text or media.")
    if rules["max_hashtags"] is not None and len(_HASHTAG.findall(text)) > rules["max_hashtags"]:
        errors.setdefault("text", []).append(
            f"{platform} allows at most {rules['max_hashtags']} hashtags."
        )
    if link and not rules["allows_link"]:
        errors.setdefault("link", []).append(f"{platform} posts cannot carry a link.")

    if rules["requires_media"] and not media:
        errors.setdefault("media", []).append(f"{platform} posts need at least one image or video.")
    if len(media) > rules["max_media"]:
        errors.setdefault("media", []).append(
            f"{len(media)} items; {platform} allows {rules['max_media']}."
        )
    videos = 0
    for index, item in enumerate(media):
        kind = item.get("type") if isinstance(item, dict) else None
        if kind not in rules["media_types"]:
            errors.setdefault("media", []).append(f"Item {index}: type must be image or video.")
        if isinstance(item, dict) and not (item.get("url") or item.get("file_id")):
            errors.setdefault("media", []).append(f"Item {index}: a url or file_id is required.")
        videos += kind == "video"
    if videos > rules["max_videos"] or (videos and len(media) > 1 and platform != "instagram"):
        errors.setdefault("media", []).append(
            f"{platform} takes one video per post, without other media."
        )
    return errors
