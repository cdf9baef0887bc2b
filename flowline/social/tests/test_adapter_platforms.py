"""What each platform's adapter sends and reads against its local fake (photos, carousels,
uploads, broadcasts, metrics), and each platform's content rules."""

import pytest

from flowline.social.errors import ContentRejected
from flowline.social.public import adapter_for
from flowline.social.testing.fixtures import (
    connect_facebook_page,
    connect_instagram,
    connect_linkedin,
    connect_twitter,
    connect_whatsapp,
)


@pytest.mark.django_db
def test_facebook_photo_and_multi_photo_posts(owner, fake_graph):
    account = connect_facebook_page(owner, fake_graph)
    adapter = adapter_for(account)

    one = adapter.publish(
        {"text": "one", "media": [{"url": "https://cdn.example.com/1.jpg", "type": "image"}]}
    )
    many = adapter.publish(
        {
            "text": "many",
            "media": [
                {"url": "https://cdn.example.com/1.jpg", "type": "image"},
                {"url": "https://cdn.example.com/2.jpg", "type": "image"},
            ],
        }
    )

    posts = {p["id"]: p for p in fake_graph.posts}
    assert posts[one.external_id]["media"] == ["https://cdn.example.com/1.jpg"]
    assert len(posts[many.external_id]["attached"]) == 2


@pytest.mark.django_db
def test_instagram_carousel_and_bad_media(owner, fake_graph):
    account = connect_instagram(owner, fake_graph)
    adapter = adapter_for(account)
    images = [{"url": f"https://cdn.example.com/{n}.jpg", "type": "image"} for n in range(3)]

    published = adapter.publish({"text": "carousel", "media": images})
    with pytest.raises(ContentRejected):
        adapter.publish(
            {
                "text": "bad",
                "media": [{"url": "https://cdn.example.com/broken.jpg", "type": "image"}],
            }
        )

    [post] = fake_graph.posts
    assert post["id"] == published.external_id
    assert post["container"]["media_type"] == "CAROUSEL"
    assert published.url.startswith("https://www.instagram.com/p/")


@pytest.mark.django_db
def test_x_uploads_media_then_tweets_with_it(owner, fake_x):
    account = connect_twitter(owner, fake_x)

    adapter_for(account).publish(
        {"text": "with image", "media": [{"url": f"{fake_x.root}/media/a.png", "type": "image"}]}
    )

    [post] = fake_x.posts
    assert len(post["media_ids"]) == 1 and post["media_ids"][0] in fake_x.media


@pytest.mark.django_db
def test_linkedin_uploads_an_image_then_posts(owner, fake_linkedin):
    account = connect_linkedin(owner, fake_linkedin)

    adapter_for(account).publish(
        {"text": "image", "media": [{"url": f"{fake_linkedin.root}/media/a.png", "type": "image"}]}
    )

    [post] = fake_linkedin.posts
    [image] = fake_linkedin.images.values()
    assert image["uploaded"] > 0
    assert post["content"]["media"]["id"] == image["urn"]


@pytest.mark.django_db
def test_whatsapp_post_goes_to_the_broadcast_list(owner, fake_graph):
    account = connect_whatsapp(owner, fake_graph, broadcast_to=["15550001111", "15550002222"])

    published = adapter_for(account).publish({"text": "New arrivals", "link": "https://acme.test"})

    assert [m["to"] for m in fake_graph.messages] == ["15550001111", "15550002222"]
    assert published.external_id.startswith("wamid.")
    assert fake_graph.messages[0]["text"]["body"] == "New arrivals https://acme.test"


@pytest.mark.django_db
def test_metrics_per_platform(owner, fake_graph, fake_x, fake_linkedin):
    # given: one post on each, with the platform's own metric names
    fb = adapter_for(connect_facebook_page(owner, fake_graph))
    fb_post = fb.publish({"text": "fb"}).external_id
    fake_graph.set_metrics(
        fb_post,
        post_impressions_unique=120,
        post_clicks=7,
        post_reactions_by_type_total={"like": 3},
    )
    ig = adapter_for(connect_instagram(owner, fake_graph))
    ig_post = ig.publish(
        {"text": "ig", "media": [{"url": "https://cdn.example.com/1.jpg", "type": "image"}]}
    ).external_id
    fake_graph.set_metrics(ig_post, reach=300, total_interactions=25)
    x = adapter_for(connect_twitter(owner, fake_x))
    tweet = x.publish({"text": "x"}).external_id
    fake_x.set_metrics(tweet, impression_count=900, like_count=10, retweet_count=2)
    li = adapter_for(connect_linkedin(owner, fake_linkedin))
    share = li.publish({"text": "li"}).external_id
    fake_linkedin.set_metrics(share, likes=4, comments=1)

    # when / then
    fb_metrics = fb.fetch_metrics([fb_post])[fb_post]
    assert (fb_metrics["reach"], fb_metrics["engagement"]) == (120, 10)
    assert ig.fetch_metrics([ig_post])[ig_post]["reach"] == 300
    assert ig.fetch_metrics([ig_post])[ig_post]["engagement"] == 25
    assert x.fetch_metrics([tweet])[tweet]["reach"] == 900
    assert x.fetch_metrics([tweet])[tweet]["engagement"] == 12
    assert li.fetch_metrics([share])[share]["engagement"] == 5


@pytest.mark.parametrize(
    ("platform", "variant", "field"),
    [
        ("twitter", {"text": "x" * 281}, "text"),
        ("instagram", {"text": "no media"}, "media"),
        (
            "instagram",
            {"text": "hi", "media": [{"url": "u", "type": "image"}], "link": "l"},
            "link",
        ),
        ("twitter", {"text": "", "media": [{"url": "u", "type": "image"}] * 5}, "media"),
        ("facebook", {"text": ""}, "text"),
    ],
)
def test_validate_applies_the_platforms_rules(platform, variant, field):
    from flowline.social.models import SocialAccount

    errors = adapter_for(SocialAccount(platform=platform)).validate(variant)

    assert field in errors


def test_x_counts_urls_as_23_characters():
    from flowline.social.models import SocialAccount

    text = "a" * 250 + " https://example.com/" + "b" * 100
    assert adapter_for(SocialAccount(platform="twitter")).validate({"text": text}) == {}
