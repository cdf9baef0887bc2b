import pytest

from flowline.integration.testing.fixtures import connect_wordpress, fake_wordpress  # noqa: F401
from flowline.sites.tests.factories import SectorFactory
from flowline.writer.tests.factories import TaskFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Generated images land in a folder of this test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def sector(owner):
    return SectorFactory(account=owner.account)


@pytest.fixture
def two_tasks(owner, sector):
    """Two draft writer tasks waiting on the owner's site."""
    return [
        TaskFactory(
            account=owner.account,
            sector=sector,
            site=sector.site,
            title=title,
            keywords=keywords,
            word_count=300,
        )
        for title, keywords in [
            ("How to brew pour over coffee", "pour over coffee, dripper"),
            ("Choosing a coffee grinder", "coffee grinder, burr grinder"),
        ]
    ]
