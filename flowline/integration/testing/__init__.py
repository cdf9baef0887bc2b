"""Test helpers: `FakeWordPress` (a local WordPress REST API) and pytest fixtures."""

from flowline.sandbox.wordpress.fake_wordpress import APP_PASSWORD, USERNAME, FakeWordPress

__all__ = ["APP_PASSWORD", "USERNAME", "FakeWordPress"]
