import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image as PILImage

from flowline.core.tenancy import tenant_scope
from flowline.integration.public import publish_content
from flowline.integration.testing.fixtures import connect_wordpress, fake_wordpress  # noqa: F401
from flowline.sites.tests.factories import SectorFactory
from flowline.writer.models import Image
from flowline.writer.tests.factories import ContentFactory, ImageFactory, TaxonomyFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Stored files land in a folder of this test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def png_bytes(color=(200, 120, 30)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (4, 4), color).save(buffer, format="PNG")
    return buffer.getvalue()


def stored_image(content, *, kind=Image.Kind.IN_ARTICLE, position=0, name="photo.png", **fields):
    """A completed image of `content` with a real PNG file in storage."""
    image = ImageFactory(
        account=content.account,
        content=content,
        image_type=kind,
        position=position,
        status=Image.Status.COMPLETED,
        mime_type="image/png",
        **fields,
    )
    image.file.save(name, ContentFile(png_bytes()), save=True)
    return image


@pytest.fixture
def article(owner):
    """Content on a site of the owner's, with a featured image, an in-article image its
    HTML shows, a category and a tag."""
    sector = SectorFactory(account=owner.account)
    content = ContentFactory(
        account=owner.account,
        sector=sector,
        site=sector.site,
        title="Pour-over coffee at home",
        meta_title="Pour-over coffee: a guide",
        meta_description="How to brew pour-over coffee at home.",
    )
    stored_image(content, kind=Image.Kind.FEATURED, name="hero.png", alt_text="A dripper")
    inline = stored_image(content, position=1, name="grind.png", alt_text="Ground coffee")
    content.html_content = (
        "<h2>Grind</h2><p>Medium-fine.</p>"
        f'<p><img src="{inline.file.url}" alt="Ground coffee"></p>'
        "<h2>Pour</h2><p>Slowly.</p>"
    )
    content.save()
    category = TaxonomyFactory(
        account=owner.account, site=sector.site, name="Coffee", slug="coffee"
    )
    tag = TaxonomyFactory(
        account=owner.account, site=sector.site, taxonomy_type="tag", name="Brewing", slug="brewing"
    )
    content.taxonomies.add(category, tag)
    return content


@pytest.fixture
def published(owner, article, fake_wordpress):  # noqa: F811 (the fixture imported above)
    """The article, live on its site; its record."""
    connect_wordpress(article.site, fake_wordpress)
    with tenant_scope(owner.account_id):
        (record,) = publish_content(account_id=owner.account_id, content_ids=[article.id])
    return record


def publish_now(member, content_ids, **extra):
    """`POST publisher/publish/` as `member`, then run the job it started; the job row."""
    from flowline.jobs import public as jobs
    from flowline.jobs.models import Job

    response = member.client.post(
        "/api/v1/publisher/publish/", {"content_ids": content_ids, **extra}, format="json"
    )
    assert response.status_code == 201, response.content
    job_id = response.json()["data"]["task_id"]
    jobs.run(job_id)
    return Job.unscoped.get(id=job_id)
