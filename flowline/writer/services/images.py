"""Images of articles made by the model: prompts written from the article, then pictures
generated from the prompts (stored through `image_files`)."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.conf import settings
from django.db import transaction

from flowline.ai import public as ai
from flowline.billing import public as billing
from flowline.core.errors import ApplicationError, NotFoundError
from flowline.writer.models import Content, Image
from flowline.writer.services.generation import EmptyAnswer
from flowline.writer.services.image_files import attach, delete_files, picture_check, placement

PROMPTS_TYPE = "image_prompts"
IMAGE_TYPE = "generate_image"
Progress = Callable[[int, str], None]


def images_status_update(
    *, status: str, image_ids: list[int] | None = None, content_id: int | None = None
) -> int:
    """Set the status of the images `image_ids` (or of every image of one content);
    how many were updated."""
    if image_ids is not None:
        rows = Image.objects.filter(id__in=image_ids)
    else:
        rows = Image.objects.filter(content_id=content_id)
    return rows.update(status=status)


def _setting(name: str, default):
    return getattr(settings, name, default)


# --- prompts ---------------------------------------------------------------------------


def _prompt_list(answer: dict) -> tuple[str, list[dict]]:
    featured = answer.get("featured_prompt") or answer.get("featured") or ""
    if isinstance(featured, dict):
        featured = featured.get("prompt", "")
    items = answer.get("in_article_prompts") or answer.get("in_article") or []
    prompts = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            prompts.append({"prompt": str(item.get("prompt") or ""), "alt": item.get("alt")})
        else:
            prompts.append({"prompt": str(item), "alt": None})
    return " ".join(str(featured).split())[:2000], [p for p in prompts if p["prompt"].strip()]


def prompts_write(*, content: Content, job_id=None) -> list[Image]:
    """Ask the model for a featured prompt and in-article prompts for `content`, and make
    them the content's images, replacing the ones it had (and their files)."""
    count = min(
        int(_setting("WRITER_IN_ARTICLE_IMAGES", 2)),
        max(1, sum(1 for heading in content.headings if heading.get("level") == 2)),
    )
    prompt = ai.prompt_render(
        account_id=content.account_id,
        prompt_type=PROMPTS_TYPE,
        count=count,
        title=content.title,
        content=content.html_content[:8000],
    )
    result = ai.chat(
        account_id=content.account_id,
        messages=[{"role": "user", "content": prompt}],
        operation=PROMPTS_TYPE,
        job_id=job_id,
        json_mode=True,
    )
    try:
        answer = result.json()
    except (json.JSONDecodeError, TypeError, ValueError):
        answer = {}
    featured, in_article = _prompt_list(answer if isinstance(answer, dict) else {})
    if not featured and not in_article:
        raise EmptyAnswer("The AI answered with no image prompts.")
    return _replace_images(content, featured, in_article[:count], result)


@transaction.atomic
def _replace_images(content: Content, featured: str, in_article: list[dict], result) -> list:
    old = list(Image.objects.select_for_update().filter(content=content))
    names = [image.file.name for image in old if image.file]
    Image.objects.filter(id__in=[image.id for image in old]).delete()
    transaction.on_commit(lambda: delete_files(names))
    sections = [h["text"] for h in content.headings if h.get("level") == 2]
    meta = {"provider": result.provider, "model": result.model, "offline": result.offline}
    rows = []
    if featured:
        rows.append((Image.Kind.FEATURED, 0, featured, content.title))
    for index, item in enumerate(in_article):
        alt = item["alt"] or (sections[index] if index < len(sections) else content.title)
        rows.append((Image.Kind.IN_ARTICLE, index + 1, item["prompt"], alt))
    return [
        Image.objects.create(
            account_id=content.account_id,
            content=content,
            **placement(content),
            image_type=kind,
            position=position,
            prompt=" ".join(text.split())[:2000],
            alt_text=" ".join(str(alt).split())[:255],
            generation={"prompts": meta},
        )
        for kind, position, text, alt in rows
    ]


def prompts_for_contents(
    *, account_id: int, content_ids: list[int], progress: Progress | None = None, job_id=None
) -> list[Image]:
    """Image prompts for each content of `account_id`. In a retried job, a content whose
    prompts this job already wrote is skipped."""
    contents = _contents(account_id, content_ids)
    images: list[Image] = []
    for index, content in enumerate(contents):
        done = [
            image
            for image in Image.objects.filter(content=content)
            if job_id and image.generation.get("prompts_job") == str(job_id)
        ]
        if not done:
            if progress:
                progress(int(100 * index / len(contents)), f"Image prompts for '{content.title}'")
            done = prompts_write(content=content, job_id=job_id)
            if job_id:
                for image in done:
                    image.generation = {**image.generation, "prompts_job": str(job_id)}
                    image.save(update_fields=["generation"])
        images.extend(done)
    if progress:
        progress(100, f"{len(images)} image prompts")
    return images


def _contents(account_id: int, content_ids: list[int]) -> list[Content]:
    contents = list(
        Content.objects.filter(account_id=account_id, id__in=content_ids).order_by("id")
    )
    missing = sorted(set(content_ids) - {content.id for content in contents})
    if missing:
        raise NotFoundError("Some content does not exist in this account.", errors={"ids": missing})
    return contents


# --- pictures --------------------------------------------------------------------------


def picture_generate(*, image: Image, job_id=None) -> Image:
    """Generate the image's picture from its prompt and store it. A failure marks the
    image `failed` with its error and is raised."""
    if not image.prompt.strip():
        raise ApplicationError(
            "This image has no prompt.", errors={"prompt": ["Write or generate a prompt first."]}
        )
    try:
        prompt = ai.prompt_render(
            account_id=image.account_id,
            prompt_type=IMAGE_TYPE,
            prompt=image.prompt,
            style=_setting("WRITER_IMAGE_STYLE", "editorial photograph"),
        )
        size = _setting(
            "WRITER_FEATURED_IMAGE_SIZE"
            if image.image_type == Image.Kind.FEATURED
            else "WRITER_IMAGE_SIZE",
            "1024x1024",
        )
        result = ai.generate_image(
            account_id=image.account_id,
            prompt=prompt,
            size=size,
            operation=IMAGE_TYPE,
            job_id=job_id,
        )
        picture = picture_check(ai.image_bytes(result))
    except BaseException as exc:
        Image.objects.filter(id=image.id).update(
            status=Image.Status.FAILED, error=(str(exc) or type(exc).__name__)[:500]
        )
        raise
    generation = {
        **image.generation,
        "provider": result.provider,
        "model": result.model,
        "offline": result.offline,
        "revised_prompt": result.revised_prompt[:2000],
        "job_id": str(job_id) if job_id else None,
    }
    return attach(image, picture, generation=generation)


def pictures_generate(
    *, account_id: int, image_ids: list[int], progress: Progress | None = None, job_id=None
) -> list[Image]:
    """Generate each image of `account_id` that has no file yet (completed ones are kept
    as they are, so a retried job pays for no picture twice)."""
    images = list(
        Image.objects.filter(account_id=account_id, id__in=image_ids).order_by(
            "content_id", "position", "id"
        )
    )
    missing = sorted(set(image_ids) - {image.id for image in images})
    if missing:
        raise NotFoundError("Some images do not exist in this account.", errors={"ids": missing})
    for index, image in enumerate(images):
        if image.status == Image.Status.COMPLETED and image.file:
            continue
        if progress:
            progress(
                int(100 * index / len(images)), f"Generating image {index + 1} of {len(images)}"
            )
        picture_generate(image=image, job_id=job_id)
    if progress:
        progress(100, f"{len(images)} images ready")
    return images


def images_to_generate(*, account_id: int, content_ids: list[int]) -> list[int]:
    """Ids of the images of these contents that still need a picture (and have a prompt
    to make it from)."""
    _contents(account_id, content_ids)
    return list(
        Image.objects.filter(account_id=account_id, content_id__in=content_ids)
        .exclude(status=Image.Status.COMPLETED)
        .exclude(prompt="")
        .order_by("content_id", "position", "id")
        .values_list("id", flat=True)
    )


def images_auto_generate(
    *, account_id: int, content_ids: list[int], user_id: int | None = None
) -> tuple[list[Image], int]:
    """003's legacy `images/auto_generate/`, in the request: prompts for the contents that
    have no images yet, then a picture for every image without one, each step paid on
    success only. Returns the images made and the credits charged."""

    contents = _contents(account_id, content_ids)
    unprompted = [c.id for c in contents if not Image.objects.filter(content=c).exists()]
    charged = 0
    if unprompted:
        with billing.paid_step(
            account_id=account_id,
            operation_type="image_prompts",
            quantity=len(unprompted),
            user_id=user_id,
        ) as step:
            prompts_for_contents(account_id=account_id, content_ids=unprompted)
        charged += step.credits
    image_ids = images_to_generate(account_id=account_id, content_ids=content_ids)
    made: list[Image] = []
    if image_ids:
        with billing.paid_step(
            account_id=account_id, operation_type="images", quantity=len(image_ids), user_id=user_id
        ) as step:
            made = pictures_generate(account_id=account_id, image_ids=image_ids)
        charged += step.credits
    return made, charged
