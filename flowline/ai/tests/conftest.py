import pytest

from flowline.ai.testing.fixtures import fake_openai, fake_runware, no_ai_environment  # noqa: F401


@pytest.fixture(autouse=True)
def _no_environment_keys(no_ai_environment):  # noqa: F811
    """Tests decide the provider; a developer's OPENAI_API_KEY never leaks into them."""


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
