"""Fakes of the AI providers, for tests of any app: real HTTP servers on 127.0.0.1.

from flowline.ai.testing.fixtures import fake_openai, fake_runware  # in a conftest.py
"""
