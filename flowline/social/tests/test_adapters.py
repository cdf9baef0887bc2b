"""Platform adapters against the local fakes: what each publishes, how it settles an
unknown outcome, what metrics it reads, and how each platform's failures are classified."""

from datetime import timedelta

import pytest
from django.utils import timezone

from flowline.core.testing.outbound import allow_private_host
from flowline.notifications.models import Notification
from flowline.social.errors import (
    AuthorizationError,
    ContentRejected,
    TransientPlatformError,
    UnknownOutcome,
)
from flowline.social.public import adapter_for
from flowline.social.testing.fixtures import (
    connect_facebook_page,
    connect_instagram,
    connect_linkedin,
    connect_twitter,
    connect_whatsapp,
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


def _setup(request, owner, platform):
    fake_name, connect, variant = PLATFORMS[platform]
    fake = request.getfixturevalue(fake_name)
    return fake, connect(owner, fake), dict(variant)


@pytest.mark.django_db
@pytest.mark.parametrize("platform", list(PLATFORMS))
def test_publish_then_find_published_and_metrics(request, owner, platform):
    # given
    fake, account, variant = _setup(request, owner, platform)
    since = timezone.now() - timedelta(minutes=1)
    adapter = adapter_for(account)

    # when
    published = adapter.publish(variant)
    found = adapter.find_published(variant, since)

    # then
    [post] = fake.posts
    assert post["id"] == published.external_id and post["text"] == variant["text"]
    assert published.url
    assert found is not None and found.external_id == published.external_id


@pytest.mark.django_db
@pytest.mark.parametrize("platform", list(PLATFORMS))
def test_rate_limit_is_transient_with_retry_after(request, owner, platform):
    # given
    fake, account, variant = _setup(request, owner, platform)
    fake.fail_next("rate_limit", retry_after=30)

    # when
    with pytest.raises(TransientPlatformError) as caught:
        adapter_for(account).publish(variant)

    # then
    assert caught.value.retry_after is not None and 0 < caught.value.retry_after <= 30
    assert fake.posts == []
    account.refresh_from_db()
    assert account.status == "active"


@pytest.mark.django_db
@pytest.mark.parametrize("platform", list(PLATFORMS))
def test_server_error_is_transient(request, owner, platform):
    fake, account, variant = _setup(request, owner, platform)
    fake.fail_next("server_error")

    with pytest.raises(TransientPlatformError):
        adapter_for(account).publish(variant)

    account.refresh_from_db()
    assert account.status == "active"


@pytest.mark.django_db
@pytest.mark.parametrize("platform", list(PLATFORMS))
def test_timeout_after_accept_is_unknown_and_settled_without_resending(
    request, owner, platform, social_timeouts
):
    # given
    fake, account, variant = _setup(request, owner, platform)
    since = timezone.now() - timedelta(minutes=1)
    fake.fail_next("timeout_after_accept")
    adapter = adapter_for(account)

    # when
    with pytest.raises(UnknownOutcome):
        adapter.publish(variant)
    found = adapter_for(account).find_published(variant, since)

    # then: the post exists once and the lookup found it
    [post] = fake.posts
    assert found is not None and found.external_id == post["id"]


@pytest.mark.django_db
@pytest.mark.parametrize("platform", list(PLATFORMS))
def test_timeout_before_accept_is_unknown_and_lookup_finds_nothing(
    request, owner, platform, social_timeouts
):
    fake, account, variant = _setup(request, owner, platform)
    since = timezone.now() - timedelta(minutes=1)
    fake.fail_next("timeout")

    with pytest.raises(UnknownOutcome):
        adapter_for(account).publish(variant)

    assert adapter_for(account).find_published(variant, since) is None
    assert fake.posts == []


@pytest.mark.django_db
@pytest.mark.parametrize("platform", list(PLATFORMS))
def test_revoked_token_marks_the_account_and_notifies_once(request, owner, platform):
    # given
    fake, account, variant = _setup(request, owner, platform)
    fake.fail_next("token_revoked")

    # when: two posts hit the dead token
    for _ in range(2):
        with pytest.raises(AuthorizationError):
            adapter_for(account).publish(variant)

    # then
    account.refresh_from_db()
    assert account.status == "expired" and account.reconnect_notified_at is not None
    notices = Notification.unscoped.filter(notification_type="social_account_reconnect")
    assert notices.count() == 1 and notices.get().user_id == owner.user.id


@pytest.mark.django_db
@pytest.mark.parametrize("platform", list(PLATFORMS))
def test_refused_content_is_rejected(request, owner, platform):
    fake, account, variant = _setup(request, owner, platform)
    fake.fail_next("content_rejected")

    with pytest.raises(ContentRejected):
        adapter_for(account).publish(variant)

    account.refresh_from_db()
    assert account.status == "active"


@pytest.mark.django_db
@pytest.mark.parametrize("platform", ["facebook", "twitter", "linkedin"])
def test_duplicate_post_is_rejected(request, owner, platform):
    # given
    fake, account, variant = _setup(request, owner, platform)
    adapter_for(account).publish(variant)

    # when / then
    with pytest.raises(ContentRejected):
        adapter_for(account).publish(variant)
    assert len(fake.posts) == 1


@pytest.mark.django_db
def test_unreachable_platform_is_transient(owner, fake_x, settings):
    account = connect_twitter(owner, fake_x)
    settings.SOCIAL_TWITTER_API_BASE = "http://127.0.0.1:9"  # discard port: refused
    allow_private_host(settings, settings.SOCIAL_TWITTER_API_BASE)

    with pytest.raises(TransientPlatformError):
        adapter_for(account).publish({"text": "hello"})


@pytest.mark.django_db
def test_expired_x_token_is_refreshed_and_the_post_goes_out(owner, fake_x):
    # given: the access token died but the refresh token works
    account = connect_twitter(owner, fake_x)
    old_refresh = account.refresh_token
    fake_x.expire_access_tokens()

    # when
    published = adapter_for(account).publish({"text": "after refresh"})

    # then
    assert [p["id"] for p in fake_x.posts] == [published.external_id]
    account.refresh_from_db()
    assert account.status == "active" and account.refresh_token != old_refresh
    assert fake_x.refresh_count == 1


@pytest.mark.django_db
def test_token_about_to_expire_is_refreshed_before_publishing(owner, fake_x):
    account = connect_twitter(owner, fake_x, expires_in=10)

    adapter_for(account).publish({"text": "fresh token"})

    assert fake_x.refresh_count == 1
    account.refresh_from_db()
    assert account.token_expires_at > timezone.now() + timedelta(hours=1)


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


def _graph_error(code, subcode=None, status=400, message="error"):
    error = {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "A1"}
    if subcode:
        error["error_subcode"] = subcode
    return {"status": status, "body": {"error": error}}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (_graph_error(130429, message="Rate limit hit"), TransientPlatformError),
        (
            _graph_error(131056, message="(Business Account, Consumer Account) pair rate limit"),
            TransientPlatformError,
        ),
        (_graph_error(131000, status=500, message="Something went wrong"), TransientPlatformError),
        (_graph_error(131047, message="Re-engagement message"), ContentRejected),
        (_graph_error(131026, message="Message undeliverable"), ContentRejected),
        (_graph_error(190, 463, message="Session has expired"), AuthorizationError),
        (_graph_error(200, message="Permissions error"), AuthorizationError),
    ],
)
def test_whatsapp_error_codes(owner, fake_graph, answer, expected):
    account = connect_whatsapp(owner, fake_graph)
    fake_graph.fail_next("answer", **answer)
    if expected is AuthorizationError:  # refreshing cannot help either
        fake_graph.revoke_all()

    with pytest.raises(expected):
        adapter_for(account).publish({"text": "New arrivals"})

    account.refresh_from_db()
    assert (account.status == "expired") is (expected is AuthorizationError)


@pytest.mark.django_db
def test_messenger_reply_outside_the_24h_window_is_refused_not_dead(owner, fake_graph):
    account = connect_facebook_page(owner, fake_graph)
    fake_graph.fail_next(
        "answer",
        **_graph_error(
            10, 2018278, message="(#10) This message is sent outside of allowed window."
        ),
    )

    with pytest.raises(ContentRejected):
        adapter_for(account).send_message(recipient="PSID-1", text="Hello again")

    account.refresh_from_db()
    assert account.status == "active"


@pytest.mark.django_db
def test_instagram_publishing_limit_is_transient(owner, fake_graph):
    account = connect_instagram(owner, fake_graph)
    fake_graph.fail_next(
        "answer",
        **_graph_error(9, 2207042, status=400, message="Application request limit reached"),
    )

    with pytest.raises(TransientPlatformError):
        adapter_for(account).publish(PLATFORMS["instagram"][2])


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["expired", "disconnected"])
def test_dead_or_disconnected_account_is_not_sent_to_the_platform(owner, fake_x, status):
    from flowline.social.models import SocialAccount

    account = connect_twitter(owner, fake_x)
    SocialAccount.unscoped.filter(pk=account.pk).update(status=status)
    account.refresh_from_db()
    calls = len(fake_x.requests)

    with pytest.raises(AuthorizationError):
        adapter_for(account).publish({"text": "hello"})

    assert len(fake_x.requests) == calls
    account.refresh_from_db()
    assert account.status == status
    assert not Notification.unscoped.filter(notification_type="social_account_reconnect").exists()
