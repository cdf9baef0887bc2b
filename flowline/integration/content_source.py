"""The writer's content as a publish needs it: one frozen value, read in one place.

The writer's `public.py` offers no read of content for publishing yet, so this module is
the only place in integration that reads writer models (Content, Image, Taxonomy).
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass

from flowline.core.errors import NotFoundError


@dataclass(frozen=True, slots=True)
class PublishableImage:
    """A stored image file; `name` is its storage name (the key of uploads done)."""

    id: int
    name: str
    url: str
    kind: str  # "featured" or "in_article"
    position: int
    alt_text: str
    caption: str
    mime_type: str

    def read(self) -> bytes:
        from django.core.files.storage import default_storage

        with default_storage.open(self.name, "rb") as handle:
            return handle.read()


@dataclass(frozen=True, slots=True)
class PublishableTerm:
    kind: str  # "categories" or "tags"
    name: str
    slug: str


@dataclass(frozen=True, slots=True)
class PublishableContent:
    id: int
    account_id: int
    site_id: int
    title: str
    html: str
    slug: str  # the permalink slug the user chose ("" for WordPress to make one)
    meta_title: str
    meta_description: str
    excerpt: str
    status: str
    terms: tuple[PublishableTerm, ...]
    images: tuple[PublishableImage, ...]

    @property
    def featured(self) -> PublishableImage | None:
        return next((image for image in self.images if image.kind == "featured"), None)

    @property
    def in_article(self) -> list[PublishableImage]:
        return [image for image in self.images if image.kind != "featured"]


def load(*, account_id: int, content_id: int) -> PublishableContent:
    """The content of `account_id` with its stored images and taxonomies (404 if none)."""
    from flowline.writer.models import Content, Image, Taxonomy

    content = Content.unscoped.filter(account_id=account_id, id=content_id).first()
    if content is None:
        raise NotFoundError("Content not found.", errors={"content_ids": [content_id]})
    # Desktop and mobile variants are other renditions of in-article images: not sent.
    images = Image.unscoped.filter(
        content_id=content.id,
        status=Image.Status.COMPLETED,
        image_type__in=[Image.Kind.FEATURED, Image.Kind.IN_ARTICLE],
        file__gt="",
    ).order_by("position", "id")
    terms = tuple(
        PublishableTerm(
            "categories" if taxonomy.taxonomy_type == Taxonomy.Type.CATEGORY else "tags",
            taxonomy.name,
            taxonomy.slug,
        )
        # unscoped: this runs in jobs and automation, with or without a tenant scope
        for taxonomy in Taxonomy.unscoped.filter(account_id=account_id, contents=content)
    )
    return PublishableContent(
        id=content.id,
        account_id=content.account_id,
        site_id=content.site_id,
        title=content.title,
        html=content.html_content,
        slug=content.slug,  # the user's choice; empty: WordPress makes it from the title
        meta_title=content.meta_title,
        meta_description=content.meta_description,
        excerpt=content.meta_description,
        status=content.status,
        terms=terms,
        images=tuple(
            PublishableImage(
                id=image.id,
                name=image.file.name,
                url=image.file.url,
                kind="featured" if image.image_type == Image.Kind.FEATURED else "in_article",
                position=image.position,
                alt_text=image.alt_text,
                caption=image.caption,
                mime_type=image.mime_type
                or mimetypes.guess_type(image.file.name)[0]
                or "application/octet-stream",
            )
            for image in images
        ),
    )


def site_ids(*, account_id: int, content_ids: list[int]) -> dict[int, int]:
    """{content id: site id} for the account's content among `content_ids`."""
    from flowline.writer.models import Content

    return dict(
        Content.unscoped.filter(account_id=account_id, id__in=content_ids).values_list(
            "id", "site_id"
        )
    )
