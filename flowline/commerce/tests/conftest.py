import pytest

from flowline.ai.testing.fixtures import fake_openai, no_ai_environment  # noqa: F401
from flowline.commerce.services import stock


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files land in a folder of this test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def low_stock_events():
    """The low-stock events raised while the test runs, in order."""
    events: list[stock.LowStock] = []
    stock.register_low_stock_listener(events.append)
    yield events
    stock.unregister_low_stock_listener(events.append)
