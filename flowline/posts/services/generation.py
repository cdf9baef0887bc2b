"""AI for posts (001 AI services): a post per platform and hashtags, through the AI
gateway, paid in credits (`social_post` per platform, `hashtags` per request).

The credits are held before any model call (402 at once when they are missing), captured
when every answer came back and released when one did not, so a failure costs nothing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from django.db import transaction

from flowline.ai import public as ai
from flowline.billing import public as billing
from flowline.core.errors import ApplicationError
from flowline.posts.models import Post, PostTarget, PostVariant
from flowline.posts.services.content import post_update
from flowline.social.public import validate_variant

POST_OPERATION = "social_post"
HASHTAG_OPERATION = "hashtags"
_TAG = re.compile(r"^#?(\w{1,100})$", re.UNICODE)


@dataclass(frozen=True)
class GeneratedPost:
    variants: dict[str, dict]
    credits_used: int
    offline: bool
    saved: bool


@dataclass(frozen=True)
class GeneratedHashtags:
    hashtags: list[str]
    credits_used: int
    offline: bool


def _answer(result: ai.ChatResult) -> dict:
    try:
        data = result.json()
    except (json.JSONDecodeError, TypeError, ValueError):
        return {"text": result.text.strip()}
    return data if isinstance(data, dict) else {"text": result.text.strip()}


def _tags(values) -> list[str]:
    tags: list[str] = []
    for value in values or []:
        match = _TAG.match(str(value).strip())
        if match and f"#{match.group(1)}" not in tags:
            tags.append(f"#{match.group(1)}")
    return tags


def post_generate(
    *,
    account_id: int,
    user_id: int | None,
    subject: str,
    platforms: list[str] | None = None,
    tone: str = "friendly",
    post: Post | None = None,
) -> GeneratedPost:
    """A text and hashtags for each platform; with `post`, saved as its variants (the
    platforms of its targets when none are given). Each text is checked against its
    platform's rules and the problems returned with it."""
    if not platforms:
        platforms = sorted(
            set(PostTarget.objects.filter(post=post).values_list("platform", flat=True))
        )
        if not platforms:
            raise ApplicationError(
                "The post has no targets.", errors={"platforms": ["Give platforms."]}
            )
    variants: dict[str, dict] = {}
    with billing.paid_step(
        account_id=account_id,
        operation_type=POST_OPERATION,
        quantity=len(platforms),
        user_id=user_id,
    ) as step:
        for platform in platforms:
            prompt = ai.prompt_render(
                account_id=account_id,
                prompt_type=POST_OPERATION,
                platform=platform,
                tone=tone,
                subject=subject,
            )
            result = step.record(
                ai.chat(
                    account_id=account_id,
                    messages=[{"role": "user", "content": prompt}],
                    operation=POST_OPERATION,
                    json_mode=True,
                )
            )
            data = _answer(result)
            text = str(data.get("text") or "").strip()
            if not text:
                raise ApplicationError(
                    "The AI answered with no post.", code="empty_answer", status=502
                )
            variants[platform] = {"text": text, "hashtags": _tags(data.get("hashtags"))}
        saved = False
        if post is not None:
            with transaction.atomic():
                existing = {
                    v.platform: {"text": v.text, "media": v.media, "link": v.link}
                    for v in PostVariant.objects.filter(post=post)
                }
                for platform, generated in variants.items():
                    base = existing.get(
                        platform, {"text": "", "media": post.media, "link": post.link}
                    )
                    existing[platform] = {**base, "text": generated["text"]}
                post_update(post=post, variants=existing)
            saved = True
    for platform, generated in variants.items():
        generated["errors"] = validate_variant(platform, {"text": generated["text"]})
    return GeneratedPost(
        variants=variants, credits_used=step.credits, offline=step.results[-1].offline, saved=saved
    )


def hashtags_generate(
    *, account_id: int, user_id: int | None, text: str, platform: str = "instagram", count: int = 10
) -> GeneratedHashtags:
    """Hashtags for a post's text, most specific first, at most `count`."""
    with billing.paid_step(
        account_id=account_id, operation_type=HASHTAG_OPERATION, user_id=user_id
    ) as step:
        prompt = ai.prompt_render(
            account_id=account_id, prompt_type=HASHTAG_OPERATION, platform=platform, text=text
        )
        result = step.record(
            ai.chat(
                account_id=account_id,
                messages=[{"role": "user", "content": prompt}],
                operation=HASHTAG_OPERATION,
                json_mode=True,
            )
        )
        tags = _tags(_answer(result).get("hashtags"))[:count]
        if not tags:
            # The text gave nothing to tag ("0", "!!!"): the client's to fix, and not paid for.
            raise ApplicationError(
                "No hashtags could be made from this text.",
                code="no_hashtags",
                errors={"text": ["No hashtags could be made from this text."]},
            )
    return GeneratedHashtags(hashtags=tags, credits_used=step.credits, offline=result.offline)
