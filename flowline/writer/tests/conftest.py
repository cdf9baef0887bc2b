import pytest

from flowline.ai.testing.fixtures import fake_openai, no_ai_environment  # noqa: F401


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Stored files land in a folder of this test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def _offline_unless_configured(no_ai_environment):  # noqa: F811
    """No developer key leaks in: accounts without a provider get the offline one."""
