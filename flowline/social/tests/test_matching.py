"""Settling an unknown outcome looks the post up on the platform by its text: only the
same post may count, or a lost post would be marked published without going out."""

import pytest

from flowline.social.platforms.base import same_text


@pytest.mark.parametrize(
    ("posted", "text"),
    [
        ("Spring sale", "Spring sale"),
        ("Spring   sale\n", "Spring sale"),
        ("Spring sale https://t.co/abc123", "Spring sale"),  # X's rewritten, appended link
        ("Read more https://t.co/x1 today", "Read more https://shop.example/a today"),
    ],
)
def test_the_same_post_is_recognised(posted, text):
    assert same_text(posted, {"text": text})


@pytest.mark.parametrize(
    ("posted", "text"),
    [
        ("Processes number 10", "Processes number 1"),  # another post that starts the same
        ("Spring sale ends today", "Spring sale"),
        ("Spring", "Spring sale"),
        ("", ""),
    ],
)
def test_another_post_is_not_taken_for_it(posted, text):
    assert not same_text(posted, {"text": text})
