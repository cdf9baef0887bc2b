"""Images of articles: prompts written by the model from the article, pictures generated
from the prompts, files uploaded by members, and where their files are stored.

Every file, generated or uploaded, is checked by its bytes with Pillow (the provider's
answer is as untrusted as an upload): a PNG, JPEG, WEBP or GIF within the size and pixel
limits, stored under `writer/<account>/<content>/<random>.<ext>` so nothing of the
client's file name reaches storage.
"""

from __future__ import annotations

import io
import json
import logging
import uuid
import warnings
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image as Pillow
from PIL import UnidentifiedImageError

from flowline.ai import public as ai
from flowline.core.errors import ApplicationError, NotFoundError
from flowline.writer.models import Content, Image
from flowline.writer.services.generation import EmptyAnswer
from flowline.writer.services.paid import paid

logger = logging.getLogger("flowline.writer")

PROMPTS_TYPE = "image_prompts"
IMAGE_TYPE = "generate_image"
FORMATS = {
    "PNG": ("png", "image/png"),
    "JPEG": ("jpg", "image/jpeg"),
    "WEBP": ("webp", "image/webp"),
    "GIF": ("gif", "image/gif"),
}
Progress = Callable[[int, str], None]


def _setting(name: str, default):
    return getattr(settings, name, default)


@dataclass(frozen=True)
class Picture:
    """Image bytes that passed the checks."""

    data: bytes
    extension: str
    mime_type: str
    width: int
    height: int


def picture_check(data: bytes, *, field: str = "file") -> Picture:
    """`data` as a checked picture, or a 400 `invalid_image` (413 when too large)."""
    limit = int(_setting("WRITER_IMAGE_MAX_BYTES", 10 * 1024 * 1024))
    if len(data) > limit:
        raise ApplicationError(
            f"The image is larger than {limit} bytes.",
            code="payload_too_large",
            status=413,
            errors={field: [f"Larger than {limit} bytes."]},
        )
    max_side = int(_setting("WRITER_IMAGE_MAX_SIDE", 8000))
    refusal = ApplicationError(
        "Not a readable PNG, JPEG, WEBP or GIF image.",
        code="invalid_image",
        errors={field: ["Not a readable PNG, JPEG, WEBP or GIF image."]},
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", Pillow.DecompressionBombWarning)
        try:
            with Pillow.open(io.BytesIO(data)) as probe:
                image_format, (width, height) = probe.format, probe.size
                if image_format not in FORMATS or max(width, height) > max_side:
                    raise refusal
                probe.verify()
            with Pillow.open(io.BytesIO(data)) as decoded:
                decoded.load()  # verify() reads no pixels: a truncated file fails here
        except ApplicationError:
            raise
        except (
            UnidentifiedImageError,
            Pillow.DecompressionBombError,
            Pillow.DecompressionBombWarning,
            OSError,
            SyntaxError,
            ValueError,
        ) as exc:
            raise refusal from exc
    extension, mime_type = FORMATS[image_format]
    return Picture(data, extension, mime_type, width, height)


def upload_check(upload) -> Picture:
    """An uploaded file, read no further than the size limit, checked by its bytes."""
    limit = int(_setting("WRITER_IMAGE_MAX_BYTES", 10 * 1024 * 1024))
    return picture_check(upload.read(limit + 1))


def _store(image: Image, picture: Picture) -> str:
    name = f"writer/{image.account_id}/{image.content_id}/{uuid.uuid4().hex}.{picture.extension}"
    return default_storage.save(name, ContentFile(picture.data))


def delete_files(names: list[str]) -> None:
    for name in names:
        if name:
            try:
                default_storage.delete(name)
            except OSError:  # a missing file is already what we want
                logger.warning("Could not delete %s", name, exc_info=True)


def _attach(image: Image, picture: Picture, *, generation: dict | None = None) -> Image:
    """Store `picture` as the image's file (the old file goes once this commits)."""
    old = image.file.name if image.file else ""
    name = _store(image, picture)
    try:
        with transaction.atomic():
            image.file = name
            image.width, image.height = picture.width, picture.height
            image.size_bytes, image.mime_type = len(picture.data), picture.mime_type
            image.status, image.error = Image.Status.COMPLETED, ""
            if generation is not None:
                image.generation = generation
            image.save()
            transaction.on_commit(lambda: delete_files([old]))
    except BaseException:
        delete_files([name])
        raise
    return image


# --- uploads and edits -----------------------------------------------------------------


def _placement(content: Content) -> dict:
    return {"site_id": content.site_id, "sector_id": content.sector_id, "task_id": content.task_id}


def image_create(*, content: Content, upload=None, **fields) -> Image:
    """A new image of `content`: a prompt to generate later, or an uploaded file."""
    image = Image(account_id=content.account_id, content=content, **_placement(content), **fields)
    picture = upload_check(upload) if upload is not None else None
    _check_featured(image)
    if picture is None:
        image.save()
        return image
    return _attach(image, picture)


def image_update(*, image: Image, upload=None, **fields) -> Image:
    content = fields.get("content")
    if content is not None and content.id != image.content_id:
        for name, value in _placement(content).items():
            setattr(image, name, value)
    for name, value in fields.items():
        setattr(image, name, value)
    _check_featured(image)
    if upload is not None:
        return _attach(image, upload_check(upload))
    image.save()
    return image


def _check_featured(image: Image) -> None:
    if image.image_type != Image.Kind.FEATURED:
        return
    taken = Image.unscoped.filter(content_id=image.content_id, image_type=Image.Kind.FEATURED)
    if taken.exclude(id=image.id).exists():
        raise ApplicationError(
            "This content already has a featured image.",
            code="duplicate",
            errors={"image_type": ["This content already has a featured image."]},
        )


def image_delete(*, image: Image) -> None:
    name = image.file.name if image.file else ""
    image.delete()
    transaction.on_commit(lambda: delete_files([name]))


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
    old = list(Image.unscoped.select_for_update().filter(content=content))
    names = [image.file.name for image in old if image.file]
    Image.unscoped.filter(id__in=[image.id for image in old]).delete()
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
        Image.unscoped.create(
            account_id=content.account_id,
            content=content,
            **_placement(content),
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
            for image in Image.unscoped.filter(content=content)
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
        Content.unscoped.filter(account_id=account_id, id__in=content_ids).order_by("id")
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
        Image.unscoped.filter(id=image.id).update(
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
    return _attach(image, picture, generation=generation)


def pictures_generate(
    *, account_id: int, image_ids: list[int], progress: Progress | None = None, job_id=None
) -> list[Image]:
    """Generate each image of `account_id` that has no file yet (completed ones are kept
    as they are, so a retried job pays for no picture twice)."""
    images = list(
        Image.unscoped.filter(account_id=account_id, id__in=image_ids).order_by(
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
        Image.unscoped.filter(account_id=account_id, content_id__in=content_ids)
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
    unprompted = [c.id for c in contents if not Image.unscoped.filter(content=c).exists()]
    charged = 0
    if unprompted:
        with paid(
            account_id=account_id,
            operation_type="image_prompts",
            quantity=len(unprompted),
            user_id=user_id,
        ) as cost:
            prompts_for_contents(account_id=account_id, content_ids=unprompted)
        charged += cost
    image_ids = images_to_generate(account_id=account_id, content_ids=content_ids)
    made: list[Image] = []
    if image_ids:
        with paid(
            account_id=account_id, operation_type="images", quantity=len(image_ids), user_id=user_id
        ) as cost:
            made = pictures_generate(account_id=account_id, image_ids=image_ids)
        charged += cost
    return made, charged
