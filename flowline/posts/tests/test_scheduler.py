"""The scheduler against the local platform fakes (real HTTP): each state a target can go
through, counted on the platform's side."""

from datetime import timedelta

import pytest
from django.utils import timezone

from flowline.analytics.models import AnalyticsEvent
from flowline.notifications.models import Notification
from flowline.posts.models import Post, PostTarget, SocialAccountPace
from flowline.posts.services import claims, publishing
from flowline.posts.services.content import variant_for
from flowline.social.models import SocialAccount
from flowline.social.public import adapter_for
from flowline.social.testing.fixtures import connect_linkedin, connect_twitter
from flowline.webhooks.models import WebhookDelivery

pytestmark = pytest.mark.django_db
POSTS = "/api/v1/social/posts/"


def schedule(member, accounts, text, *, at=None, variants=None):
    """Create a post for `accounts` over the API and schedule it at `at` (default now)."""
    body = {"text": text, "targets": [a.id for a in accounts], "variants": variants or {}}
    response = member.client.post(POSTS, body, format="json")
    assert response.status_code == 201, response.json()
    post_id = response.json()["data"]["id"]
    when = (at or timezone.now()).isoformat()
    response = member.client.post(
        "/api/v1/social/schedules/", {"post": post_id, "scheduled_at": when}, format="json"
    )
    assert response.status_code == 201, response.json()
    return Post.unscoped.get(id=post_id)


def target(post, platform) -> PostTarget:
    return PostTarget.unscoped.get(post=post, platform=platform)


def sent(fake, path) -> int:
    """Publish requests that reached the platform."""
    return sum(1 for r in fake.requests if r["method"] == "POST" and r["path"] == path)


def later(seconds: float):
    return timezone.now() + timedelta(seconds=seconds)


def test_a_due_post_goes_out_once_to_each_platform_with_its_id_and_url(
    owner, fake_x, fake_linkedin, post_failed_hook
):
    # given
    x, li = connect_twitter(owner, fake_x), connect_linkedin(owner, fake_linkedin)
    post = schedule(
        owner, [x, li], "Spring sale starts today", variants={"twitter": {"text": "Spring sale!"}}
    )
    # when: several sweeps
    first = publishing.publish_due()
    again = publishing.publish_due()
    # then
    assert first == {"published": 2} and again == {}
    assert [p["text"] for p in fake_x.posts] == ["Spring sale!"]
    assert [p["text"] for p in fake_linkedin.posts] == ["Spring sale starts today"]
    tx = target(post, "twitter")
    assert tx.status == "published" and tx.external_id == fake_x.posts[0]["id"]
    assert tx.url.endswith(tx.external_id) and tx.published_at is not None
    post.refresh_from_db()
    assert post.status == "published"
    assert WebhookDelivery.unscoped.filter(event_type="post.published").count() == 2
    assert Notification.unscoped.filter(
        user=owner.user, notification_type="post_published"
    ).exists()
    tracked = AnalyticsEvent.unscoped.filter(account=owner.account, event_type="post_published")
    assert sorted(tracked.values_list("platform", flat=True)) == ["other", "twitter"]


def test_nothing_goes_out_before_its_time(owner, fake_x):
    x = connect_twitter(owner, fake_x)
    post = schedule(owner, [x], "Tomorrow", at=later(3600))
    assert publishing.publish_due() == {}
    assert fake_x.posts == []
    assert target(post, "twitter").status == "scheduled"


def test_transient_failure_retries_after_backoff_then_succeeds(owner, fake_x):
    # given: X answers 429 with Retry-After once
    x = connect_twitter(owner, fake_x)
    post = schedule(owner, [x], "Rate limited once")
    fake_x.fail_next("rate_limit", retry_after=30)
    # when
    assert publishing.publish_due() == {"retrying": 1}
    row = target(post, "twitter")
    # then: waits at least the platform's Retry-After, the whole account is paced
    assert row.status == "retrying" and row.attempts == 1
    assert row.next_attempt_at >= timezone.now() + timedelta(seconds=29)
    assert SocialAccountPace.unscoped.get(social_account=x).paused_until >= row.next_attempt_at
    assert publishing.publish_due() == {}  # not yet
    post.refresh_from_db()
    assert post.status == "publishing"
    # and when its time comes it goes out once
    assert publishing.publish_due(now=later(60)) == {"published": 1}
    assert len(fake_x.posts) == 1
    assert target(post, "twitter").attempts == 2


def test_a_paced_account_holds_back_its_other_posts(owner, fake_x, fake_linkedin):
    x, li = connect_twitter(owner, fake_x), connect_linkedin(owner, fake_linkedin)
    first = schedule(owner, [x], "First")
    second = schedule(owner, [x, li], "Second")
    fake_x.fail_next("rate_limit", retry_after=60)
    outcome = publishing.publish_due()
    # X was rate limited once: its second post is not tried during the pause; LinkedIn is
    assert outcome == {"retrying": 1, "published": 1}
    assert sent(fake_x, "/2/tweets") == 1
    assert target(second, "twitter").status == "scheduled"
    assert publishing.publish_due(now=later(90)) == {"published": 2}
    assert {p["text"] for p in fake_x.posts} == {"First", "Second"}
    assert target(first, "twitter").status == "published"


def test_transient_failures_stop_after_max_attempts(owner, fake_x, settings, post_failed_hook):
    settings.FLOWLINE_POSTS_MAX_ATTEMPTS = 2
    x = connect_twitter(owner, fake_x)
    post = schedule(owner, [x], "Always failing")
    fake_x.fail_next("server_error", times=5)
    assert publishing.publish_due() == {"retrying": 1}
    assert publishing.publish_due(now=later(3600)) == {"failed": 1}
    row = target(post, "twitter")
    assert row.status == "failed" and row.attempts == 2
    assert "gave up after 2 attempts" in row.error
    assert WebhookDelivery.unscoped.filter(event_type="post.failed").count() == 1


def test_rejected_content_fails_at_once_and_tells_the_author(
    owner, fake_x, fake_linkedin, post_failed_hook
):
    # given
    x, li = connect_twitter(owner, fake_x), connect_linkedin(owner, fake_linkedin)
    post = schedule(owner, [x, li], "Refused on X only")
    fake_x.fail_next("content_rejected")
    # when
    assert publishing.publish_due() == {"failed": 1, "published": 1}
    # then: the platform's error is kept, the author notified, post.failed emitted
    row = target(post, "twitter")
    assert row.status == "failed" and row.attempts == 1
    assert row.error.startswith("twitter answered 400")
    assert row.error_code == "platform_content_rejected"
    post.refresh_from_db()
    assert post.status == "partially_published"
    note = Notification.unscoped.get(user=owner.user, notification_type="post_failed")
    assert "twitter" in note.title
    delivery = WebhookDelivery.unscoped.get(event_type="post.failed")
    assert delivery.payload["platform"] == "twitter" and delivery.payload["post_id"] == post.id


def test_dead_token_fails_at_once_and_marks_the_account(owner, fake_x):
    x = connect_twitter(owner, fake_x)
    post = schedule(owner, [x], "Token revoked")
    fake_x.fail_next("token_revoked")
    assert publishing.publish_due() == {"failed": 1}
    assert target(post, "twitter").error_code == "social_account_unauthorized"
    x.refresh_from_db()
    assert x.status != SocialAccount.Status.ACTIVE
    # its other posts fail without calling the platform until it is reconnected
    other = schedule_later_for_dead_account(owner, x)
    assert publishing.publish_due() == {"failed": 1}
    assert target(other, "twitter").status == "failed"
    assert sent(fake_x, "/2/tweets") == 1


def schedule_later_for_dead_account(owner, account):
    from flowline.posts.models import Post as PostModel

    post = PostModel.unscoped.create(account=owner.account, author=owner.user, text="Queued")
    now = timezone.now()
    PostTarget.unscoped.create(
        account=owner.account,
        post=post,
        social_account=account,
        platform=account.platform,
        status="scheduled",
        due_at=now,
        next_attempt_at=now,
    )
    return post


def test_a_post_found_long_after_its_time_is_missed_not_sent_late(owner, fake_x, post_failed_hook):
    x = connect_twitter(owner, fake_x)
    post = schedule(owner, [x], "Too late")
    # the scheduler was down for two hours
    assert publishing.publish_due(now=later(2 * 3600)) == {"missed": 1}
    assert fake_x.requests == [] or sent(fake_x, "/2/tweets") == 0
    row = target(post, "twitter")
    assert row.status == "missed" and row.error_code == "missed"
    post.refresh_from_db()
    assert post.status == "missed"
    assert Notification.unscoped.filter(user=owner.user, notification_type="post_missed").exists()
    assert WebhookDelivery.unscoped.get(event_type="post.failed").payload["status"] == "missed"


def test_missed_window_is_configurable(owner, fake_x, settings):
    settings.FLOWLINE_POSTS_MISSED_AFTER = 6 * 3600
    x = connect_twitter(owner, fake_x)
    schedule(owner, [x], "Two hours late is fine here")
    assert publishing.publish_due(now=later(2 * 3600)) == {"published": 1}


def test_unknown_outcome_accepted_by_the_platform_is_settled_without_sending_again(
    owner, fake_x, social_timeouts
):
    # given: X takes the post and never answers
    x = connect_twitter(owner, fake_x)
    post = schedule(owner, [x], "Accepted then silence")
    fake_x.fail_next("timeout_after_accept")
    assert publishing.publish_due() == {"unknown": 1}
    assert target(post, "twitter").status == "unknown"
    assert publishing.publish_due() == {}  # settled later, not at once
    # when: the next pass looks it up
    assert publishing.publish_due(now=later(60)) == {"published": 1}
    # then: one publication, the id the platform gave it
    assert sent(fake_x, "/2/tweets") == 1 and len(fake_x.posts) == 1
    assert target(post, "twitter").external_id == fake_x.posts[0]["id"]


def test_unknown_outcome_not_on_the_platform_is_sent_again(owner, fake_x, social_timeouts):
    x = connect_twitter(owner, fake_x)
    post = schedule(owner, [x], "Lost before the platform got it")
    fake_x.fail_next("timeout")  # nothing done, no answer
    assert publishing.publish_due() == {"unknown": 1}
    assert publishing.publish_due(now=later(60)) == {"published": 1}
    assert len(fake_x.posts) == 1
    assert target(post, "twitter").attempts == 2


def test_an_unknown_outcome_waits_for_a_reconnection_instead_of_failing(
    owner, fake_x, social_timeouts
):
    # given: a send with no answer, then the account's token died
    x = connect_twitter(owner, fake_x)
    post = schedule(owner, [x], "Accepted while the token died")
    fake_x.fail_next("timeout_after_accept")
    publishing.publish_due()
    SocialAccount.unscoped.filter(id=x.id).update(status="expired")
    # when: the scheduler cannot look it up
    assert publishing.publish_due(now=later(60)) == {"unknown": 1}
    row = target(post, "twitter")
    assert row.status == "unknown" and "reconnected" in row.error
    # then: once reconnected it is found, never sent twice
    SocialAccount.unscoped.filter(id=x.id).update(status="active")
    assert publishing.publish_due(now=later(3600)) == {"published": 1}
    assert sent(fake_x, "/2/tweets") == 1 and len(fake_x.posts) == 1


def test_a_worker_that_died_after_claiming_is_settled_by_lookup(owner, fake_x, fake_linkedin):
    # given: two posts claimed by a worker that then died; one of them it had sent
    x, li = connect_twitter(owner, fake_x), connect_linkedin(owner, fake_linkedin)
    sent_one = schedule(owner, [x], "Sent before the crash")
    lost_one = schedule(owner, [li], "Claimed, never sent")
    first = claims.claim_next(timezone.now())
    second = claims.claim_next(timezone.now())
    by_platform = {c.target.platform: c for c in (first, second)}
    from flowline.social.public import adapter_for

    adapter_for(x).publish({"text": "Sent before the crash", "media": [], "link": ""})
    assert target(sent_one, "twitter").status == "publishing"
    # when: inside the lease nobody touches them; after it, another worker settles them
    assert publishing.publish_due() == {}
    assert publishing.publish_due(now=later(301)) == {"published": 2}
    # then: each went out exactly once
    assert len(fake_x.posts) == 1 and len(fake_linkedin.posts) == 1
    assert target(sent_one, "twitter").external_id == fake_x.posts[0]["id"]
    assert target(lost_one, "linkedin").status == "published"
    # the dead worker's claim can no longer record anything
    stale = by_platform["twitter"]
    assert publishing._record(stale, status="failed") is False


def test_retry_sends_only_the_failed_targets(owner, fake_x, fake_linkedin):
    # given: published on LinkedIn, refused on X
    x, li = connect_twitter(owner, fake_x), connect_linkedin(owner, fake_linkedin)
    post = schedule(owner, [x, li], "Partly out")
    fake_x.fail_next("content_rejected")
    publishing.publish_due()
    # when: retried over the API
    response = owner.client.post(f"{POSTS}{post.id}/retry/", {}, format="json")
    assert response.status_code == 200
    assert response.json()["data"]["retried"] == [target(post, "twitter").id]
    post.refresh_from_db()
    assert post.status == "publishing"
    assert publishing.publish_due() == {"published": 1}
    # then
    assert len(fake_x.posts) == 1 and len(fake_linkedin.posts) == 1
    assert sent(fake_linkedin, "/rest/posts") == 1
    post.refresh_from_db()
    assert post.status == "published"


def test_bulk_retry_of_one_social_account_after_reconnecting(owner, fake_x, fake_linkedin):
    # given: the X token died; three posts failed on X, LinkedIn went fine
    x, li = connect_twitter(owner, fake_x), connect_linkedin(owner, fake_linkedin)
    posts = [schedule(owner, [x, li], f"Post {n}") for n in range(3)]
    fake_x.fail_next("token_revoked")
    publishing.publish_due()
    assert all(target(p, "twitter").status == "failed" for p in posts)
    body = {"social_account": x.id}
    # retrying before reconnecting skips them with the reason
    response = owner.client.post(f"{POSTS}retry_failed/", body, format="json")
    assert response.json()["data"]["retried_count"] == 0
    assert len(response.json()["data"]["skipped"]) == 3
    # when: reconnected (a new token) and retried in bulk
    access, refresh = fake_x.issue_token(fake_x.user["id"])
    SocialAccount.unscoped.filter(id=x.id).update(
        status="active", access_token=access, refresh_token=refresh
    )
    response = owner.client.post(f"{POSTS}retry_failed/", body, format="json")
    assert response.json()["data"]["retried_count"] == 3
    assert publishing.publish_due() == {"published": 3}
    # then
    assert sorted(p["text"] for p in fake_x.posts) == ["Post 0", "Post 1", "Post 2"]
    assert len(fake_linkedin.posts) == 3


def test_bulk_retry_by_platform_and_foreign_ids(owner, other_owner, fake_x):
    x = connect_twitter(owner, fake_x)
    post = schedule(owner, [x], "Refused")
    fake_x.fail_next("content_rejected")
    publishing.publish_due()
    response = owner.client.post(f"{POSTS}retry_failed/", {"platform": "linkedin"}, format="json")
    assert response.json()["data"]["retried_count"] == 0
    response = other_owner.client.post(f"{POSTS}retry_failed/", {"ids": [post.id]}, format="json")
    assert response.status_code == 404
    response = other_owner.client.post(
        f"{POSTS}retry_failed/", {"social_account": x.id}, format="json"
    )
    assert response.status_code == 400
    assert other_owner.client.post(f"{POSTS}{post.id}/retry/", {}, format="json").status_code == 404
    assert target(post, "twitter").status == "failed"
    response = owner.client.post(
        f"{POSTS}retry_failed/", {"platform": "twitter", "ids": [post.id]}, format="json"
    )
    assert response.json()["data"]["retried_count"] == 1


def test_metrics_are_fetched_for_published_targets_and_summed(owner, fake_x, fake_linkedin):
    from flowline.posts import public
    from flowline.posts.services.metrics import metrics_fetch

    x, li = connect_twitter(owner, fake_x), connect_linkedin(owner, fake_linkedin)
    post = schedule(owner, [x, li], "Measured")
    publishing.publish_due()
    fake_x.set_metrics(
        target(post, "twitter").external_id,
        impression_count=100,
        like_count=5,
        retweet_count=1,
        reply_count=1,
        quote_count=0,
    )
    counts = metrics_fetch()
    assert counts["updated"] >= 1
    row = target(post, "twitter")
    assert row.metrics and row.metrics_updated_at is not None
    totals = public.metrics_totals(account_id=owner.account_id, post_ids=[post.id])
    assert totals["published_targets"] == 2
    assert totals.get("reach", totals.get("impressions", 0)) >= 100
    # fresh metrics are not fetched again at once
    assert metrics_fetch()["updated"] == 0


def test_a_target_left_publishing_by_a_dead_worker_is_settled_within_a_minute(owner, fake_x):
    # given: a worker claimed a post and sent it, then died before recording the answer
    x = connect_twitter(owner, fake_x)
    post = schedule(owner, [x], "Sent, then the worker died")
    claim = claims.claim_next(timezone.now())
    adapter_for(claim.target.social_account).publish(variant_for(post, "twitter"))
    assert target(post, "twitter").status == "publishing"
    # when: the sweeps run over the next 45 seconds
    assert publishing.publish_due(now=later(45)) == {"published": 1}
    # then: it was found on the platform, not sent again
    assert sent(fake_x, "/2/tweets") == 1
    assert target(post, "twitter").external_id == fake_x.posts[0]["id"]


def test_a_claim_whose_worker_is_alive_is_renewed_not_taken_over(owner, fake_x):
    # given: a claim whose lease has nearly run out, renewed by its worker's heartbeat
    x = connect_twitter(owner, fake_x)
    schedule(owner, [x], "Slow platform")
    claim = claims.claim_next(timezone.now())
    PostTarget.unscoped.filter(id=claim.target.id).update(
        claimed_at=claims.lease().abandoned_before(timezone.now())
    )
    assert claims.renew(claim)
    # when: a sweep runs just after the first lease would have ended
    # then: nothing is due: the live worker keeps its claim
    assert not claims.due_targets(timezone.now() + timedelta(seconds=1)).exists()
