from flowline.ai.testing.fixtures import fake_openai  # noqa: F401
from flowline.drives.testing.fixtures import fake_google_drive  # noqa: F401
