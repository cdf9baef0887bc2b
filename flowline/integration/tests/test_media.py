"""A post's images in the media library: attached to the post, reused while unchanged,
and deleted once the post no longer uses them."""

import pytest
from django.core.files.base import ContentFile

from flowline.core.tenancy import tenant_scope
from flowline.integration.models import PublishRecord
from flowline.integration.public import publish_content
from flowline.integration.tests.conftest import connect_wordpress, png_bytes, publish_now
from flowline.writer.models import Image

pytestmark = pytest.mark.django_db


def test_uploaded_images_are_attached_to_their_post(owner, article, fake_wordpress):
    connect_wordpress(article.site, fake_wordpress)

    job = publish_now(owner, [article.id])

    assert job.status == "completed", job.error
    (post,) = fake_wordpress.posts.values()
    assert len(fake_wordpress.media) == 2
    assert {media["post"] for media in fake_wordpress.media.values()} == {post["id"]}
    uploads = fake_wordpress.post_requests("media")
    assert all(f"post={post['id']}" in request["path"] for request in uploads)


def test_a_replaced_image_is_deleted_and_an_unchanged_one_is_reused(owner, article, fake_wordpress):
    # given: published with its featured and in-article images
    connect_wordpress(article.site, fake_wordpress)
    with tenant_scope(owner.account_id):
        publish_content(account_id=owner.account_id, content_ids=[article.id])
    (post,) = fake_wordpress.posts.values()
    old_featured = post["featured_media"]
    inline_id = next(m["id"] for m in fake_wordpress.media.values() if m["id"] != old_featured)

    # when: the writer replaces the featured picture, and republishes
    featured = Image.unscoped.get(content=article, image_type=Image.Kind.FEATURED)
    featured.file.save("hero-v2.png", ContentFile(png_bytes((10, 10, 200))), save=True)
    with tenant_scope(owner.account_id):
        (record,) = publish_content(account_id=owner.account_id, content_ids=[article.id])

    # then: the new picture is the featured image, the old one is gone from the site
    post = fake_wordpress.posts[post["id"]]
    assert old_featured not in fake_wordpress.media
    assert post["featured_media"] != old_featured
    assert fake_wordpress.media[post["featured_media"]]["post"] == post["id"]
    assert set(fake_wordpress.media) == {post["featured_media"], inline_id}
    assert len(fake_wordpress.post_requests("media")) == 3  # two first, one new
    assert {m["id"] for m in record.media.values()} == set(fake_wordpress.media)


def test_the_same_picture_under_a_new_file_name_is_not_uploaded_again(
    owner, article, fake_wordpress
):
    connect_wordpress(article.site, fake_wordpress)
    with tenant_scope(owner.account_id):
        publish_content(account_id=owner.account_id, content_ids=[article.id])
    before = dict(fake_wordpress.media)

    inline = Image.unscoped.get(content=article, image_type=Image.Kind.IN_ARTICLE)
    inline.file.save("grind-copy.png", ContentFile(png_bytes()), save=True)
    with tenant_scope(owner.account_id):
        publish_content(account_id=owner.account_id, content_ids=[article.id])

    assert set(fake_wordpress.media) == set(before)
    assert len(fake_wordpress.post_requests("media")) == 2


def test_media_uploaded_before_posts_existed_are_attached_on_the_next_publish(
    owner, article, fake_wordpress
):
    # given: a record from before this release, its media unattached (`post: null`)
    connect_wordpress(article.site, fake_wordpress)
    with tenant_scope(owner.account_id):
        publish_content(account_id=owner.account_id, content_ids=[article.id])
    for media in fake_wordpress.media.values():
        media["post"] = None
    record = PublishRecord.unscoped.get(content=article)
    legacy = {name: {"id": m["id"], "url": m["url"]} for name, m in record.media.items()}
    PublishRecord.unscoped.filter(id=record.id).update(media=legacy)

    # when
    with tenant_scope(owner.account_id):
        publish_content(account_id=owner.account_id, content_ids=[article.id])

    # then
    (post,) = fake_wordpress.posts.values()
    assert {m["post"] for m in fake_wordpress.media.values()} == {post["id"]}
    assert len(fake_wordpress.post_requests("media")) == 2  # attached, not uploaded again


def test_a_media_deletion_that_fails_is_tried_at_the_next_publish(owner, article, fake_wordpress):
    connect_wordpress(article.site, fake_wordpress)
    with tenant_scope(owner.account_id):
        publish_content(account_id=owner.account_id, content_ids=[article.id])
    (post,) = fake_wordpress.posts.values()
    old_featured = post["featured_media"]
    featured = Image.unscoped.get(content=article, image_type=Image.Kind.FEATURED)
    featured.file.save("hero-v2.png", ContentFile(png_bytes((10, 10, 200))), save=True)
    fake_wordpress.fail("DELETE", r"media/\d+", status=503)

    with tenant_scope(owner.account_id):
        (first,) = publish_content(account_id=owner.account_id, content_ids=[article.id])
    with tenant_scope(owner.account_id):
        (second,) = publish_content(account_id=owner.account_id, content_ids=[article.id])

    assert first.status == "published" and first.orphan_media == [old_featured]
    assert second.orphan_media == [] and old_featured not in fake_wordpress.media
