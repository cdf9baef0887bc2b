"""A post's images in the site's media library.

Each image of the content is uploaded once, attached to its post (the attachment's
`post`, as WordPress's editor does, so the media library shows where it is used), and
reused by its file name, or by its bytes when the writer stored the same picture under
another name. Once the post has been updated, what Flowline uploaded for it that it no
longer shows (a replaced featured image, a removed picture) is deleted from the media
library (`force=true`: media have no trash). A deletion that fails for a passing reason
is tried again at the next publish (`PublishRecord.orphan_media`).
"""

from __future__ import annotations

import hashlib
import html as html_lib
import logging
import posixpath
import re

from flowline.integration.content_source import PublishableContent, PublishableImage
from flowline.integration.models import PublishRecord
from flowline.integration.wordpress import errors
from flowline.integration.wordpress.client import WordPressClient

logger = logging.getLogger("flowline.integration")

_IMG_SRC = re.compile(r"(<img\b[^>]*?\bsrc\s*=\s*)([\"'])(.*?)\2", re.IGNORECASE | re.DOTALL)
_H2 = re.compile(r"<h2\b", re.IGNORECASE)


def sync_images(
    wp: WordPressClient, record: PublishRecord, content: PublishableContent, post_id: int
) -> tuple[str, int, dict]:
    """Upload, attach or reuse the content's images for post `post_id`; returns the HTML
    pointing at WordPress's copies, the featured image's media id, and the images in
    use by file name."""
    html, featured_id = content.html, 0
    known, used = dict(record.media), {}
    # What the content no longer shows may be the same picture under a new name.
    current = {image.name for image in content.images}
    replaced = {name: media for name, media in known.items() if name not in current}
    for index, image in enumerate(content.images):
        media = known.get(image.name)
        if media is not None:
            media = _attached(wp, media, image, post_id)
        if media is None:
            media = _uploaded(wp, replaced, image, post_id)
        known[image.name] = used[image.name] = media
        # Kept at once: a retry after a later failure does not upload it again.
        PublishRecord.unscoped.filter(id=record.id).update(media=known)
        if image.kind == "featured":
            featured_id = media["id"]
        else:
            html = place_image(html, image, media["url"], index)
    record.media = known
    return html, featured_id, used


def _attached(wp: WordPressClient, media: dict, image: PublishableImage, post_id: int):
    """The known attachment, attached to the post with the image's alt text; None when
    it is gone from the site."""
    changes = {}
    if media.get("post") != post_id:
        changes["post"] = post_id
    if media.get("alt") != image.alt_text:
        changes["alt_text"] = image.alt_text
    if not changes:
        return media
    try:
        wp.update_media(media["id"], changes)
    except errors.WordPressNotFound:
        return None
    return {**media, "post": post_id, "alt": image.alt_text}


def _uploaded(wp: WordPressClient, replaced: dict, image: PublishableImage, post_id: int) -> dict:
    data = image.read()
    digest = hashlib.sha256(data).hexdigest()
    name = next((n for n, m in replaced.items() if m.get("sha256") == digest), None)
    if name is not None:  # the same picture under a new file name
        reused = _attached(wp, replaced.pop(name), image, post_id)
        if reused is not None:
            return reused
    answer = wp.upload_media(
        filename=posixpath.basename(image.name),
        data=data,
        mime_type=image.mime_type,
        alt_text=image.alt_text,
        post_id=post_id,
    )
    media = {
        "id": int(answer["id"]),
        "url": answer.get("source_url", ""),
        "post": answer.get("post"),
        "alt": image.alt_text,
        "sha256": digest,
    }
    return _attached(wp, media, image, post_id) or media  # a site that ignored `post`


def delete_unused(wp: WordPressClient, record: PublishRecord, used: dict) -> list[int]:
    """Delete what Flowline uploaded for the post that it no longer uses (call it once
    the post no longer shows them); returns the ids deleted."""
    in_use = {media["id"] for media in used.values()}
    stale = [m["id"] for name, m in record.media.items() if name not in used]
    pending = list(dict.fromkeys([*record.orphan_media, *stale]))
    deleted, kept = [], []
    for media_id in pending:
        if media_id in in_use:
            continue
        try:
            wp.delete_media(media_id)
        except errors.WordPressError as exc:
            if exc.transient:
                kept.append(media_id)
            logger.warning("Media %s on %s not deleted: %s", media_id, wp.root, exc.message)
            continue
        deleted.append(media_id)
    record.media, record.orphan_media = used, kept
    PublishRecord.unscoped.filter(id=record.id).update(media=used, orphan_media=kept)
    return deleted


def place_image(html: str, image: PublishableImage, url: str, ordinal: int) -> str:
    """Point the article's <img> of this image at WordPress's copy; an image the HTML
    does not show yet goes before a later section heading (or at the end)."""
    found = False

    def swap(match: re.Match) -> str:
        nonlocal found
        src = html_lib.unescape(match.group(3))
        if src == image.url or src.endswith("/" + image.name) or src == image.name:
            found = True
            return f"{match.group(1)}{match.group(2)}{url}{match.group(2)}"
        return match.group(0)

    replaced = _IMG_SRC.sub(swap, html)
    if found:
        return replaced
    caption = f"<figcaption>{html_lib.escape(image.caption)}</figcaption>" if image.caption else ""
    figure = (
        f'<figure class="wp-block-image"><img src="{html_lib.escape(url)}" '
        f'alt="{html_lib.escape(image.alt_text)}"/>{caption}</figure>'
    )
    headings = list(_H2.finditer(html))
    if len(headings) > ordinal + 1:
        at = headings[ordinal + 1].start()
        return html[:at] + figure + html[at:]
    return html + figure
