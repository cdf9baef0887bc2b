"""The platforms every adapter test runs against, each with what it needs to publish."""

from flowline.social.testing.fixtures import (
    connect_facebook_page,
    connect_instagram,
    connect_linkedin,
    connect_twitter,
)

# Each platform: (fake fixture, connect helper, a variant it takes).
PLATFORMS = {
    "facebook": ("fake_graph", connect_facebook_page, {"text": "Spring sale starts today"}),
    "instagram": (
        "fake_graph",
        connect_instagram,
        {
            "text": "Spring sale",
            "media": [{"url": "https://cdn.example.com/a.jpg", "type": "image"}],
        },
    ),
    "twitter": ("fake_x", connect_twitter, {"text": "Spring sale starts today"}),
    "linkedin": ("fake_linkedin", connect_linkedin, {"text": "Spring sale starts today"}),
}
