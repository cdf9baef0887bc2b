import pytest

from config.settings.sandbox import unconfigured_overrides
from flowline.core.testing.outbound import allow_private_host
from flowline.sandbox import providers


@pytest.fixture
def sandbox(live_console, settings, tmp_path):
    """Sandbox mode on a live Flowline, as `make run` configures it for its own origin:
    the real clients reach the providers over HTTP at <live server>/sandbox/."""
    for name, value in unconfigured_overrides(
        live_console, {"SECRET_KEY": settings.SECRET_KEY}
    ).items():
        setattr(settings, name, value)
    settings.FLOWLINE_SANDBOX = True
    settings.FLOWLINE_SANDBOX_STATE_DIR = str(tmp_path / "sandbox-state")
    allow_private_host(settings, live_console)
    providers.reset()
    yield live_console
    providers.reset()
