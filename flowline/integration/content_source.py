"""The writer's content as a publish needs it: one frozen value, read in one place.

It reads the writer's content through the writer's `public.py` (`content_for_publishing`)
and turns it into values the publisher and media upload share.
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
    from flowline.writer import public as writer

    found = writer.content_for_publishing(account_id=account_id, content_id=content_id)
    if found is None:
        raise NotFoundError("Content not found.", errors={"content_ids": [content_id]})
    content, images, taxonomies = found
    terms = tuple(
        PublishableTerm(
            "categories" if taxonomy.taxonomy_type == "category" else "tags",
            taxonomy.name,
            taxonomy.slug,
        )
        for taxonomy in taxonomies
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
                kind="featured" if image.image_type == "featured" else "in_article",
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
    from flowline.writer import public as writer

    return writer.content_site_ids(account_id=account_id, content_ids=content_ids)
