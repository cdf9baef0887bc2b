from flowline.ai.testing.fixtures import fake_openai  # noqa: F401
