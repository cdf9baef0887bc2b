"""Many posts due in the same minute, several workers sweeping at once, and workers that
die after claiming: still exactly one publication per post and platform, counted on the
platform fakes. Needs PostgreSQL row locks (SKIP LOCKED); the process test also needs
Redis as the Celery broker."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from flowline.core import tenancy
from flowline.core.testing.race import race
from flowline.core.testing.workers import kill, wait_until
from flowline.posts.models import PostTarget
from flowline.posts.services import claims, publishing
from flowline.posts.services.content import post_create, variant_for
from flowline.posts.services.scheduling import post_schedule
from flowline.social.public import adapter_for
from flowline.social.testing.fixtures import connect_linkedin, connect_twitter

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]
POSTS_DUE = 30


def _due_posts(owner, accounts, count: int, prefix: str) -> list[int]:
    """`count` posts to every account, all due within the current minute."""
    ids = []
    with tenancy.tenant_scope(owner.account_id, user_id=owner.user.id, role="owner"):
        for n in range(count):
            post = post_create(
                author_id=owner.user.id, targets=accounts, text=f"{prefix} number {n}"
            )
            post_schedule(post=post, scheduled_at=timezone.now())
            ids.append(post.id)
    return ids


def _publications(fake) -> dict[str, int]:
    counts: dict[str, int] = {}
    for post in fake.posts:
        counts[post["text"]] = counts.get(post["text"], 0) + 1
    return counts


def _assert_once_each(fakes, texts):
    for fake in fakes:
        assert _publications(fake) == dict.fromkeys(texts, 1)


def test_three_workers_and_a_crashed_one_publish_each_post_once(owner, fake_x, fake_linkedin):
    # given: 30 posts to X and LinkedIn, due in the same minute
    x, li = connect_twitter(owner, fake_x), connect_linkedin(owner, fake_linkedin)
    _due_posts(owner, [x, li], POSTS_DUE, "Flash sale")
    texts = [f"Flash sale number {n}" for n in range(POSTS_DUE)]
    # and a worker that claimed four targets and died: after sending two, before the others
    crashed = [claims.claim_next(timezone.now()) for _ in range(4)]
    for claim in crashed[:2]:
        target = claim.target
        adapter_for(target.social_account).publish(variant_for(target.post, target.platform))
    # when: three workers sweep at once, after the dead worker's lease ran out
    sweep_at = claims.lease().until(timezone.now()) + timedelta(seconds=1)

    def worker():
        while publishing.publish_due(now=sweep_at):
            pass

    race(worker, count=3, timeout=120)
    # then: every target published, each post exactly once on each platform
    statuses = set(
        PostTarget.unscoped.filter(account=owner.account).values_list("status", flat=True)
    )
    assert statuses == {"published"}
    _assert_once_each([fake_x, fake_linkedin], texts)
    # and the two posts sent before the crash were found, not sent again
    publish_requests = sum(
        1
        for r in fake_x.requests + fake_linkedin.requests
        if r["method"] == "POST" and r["path"] in ("/2/tweets", "/rest/posts")
    )
    assert publish_requests == 2 * POSTS_DUE


# --- real worker processes on Redis ------------------------------------------------------


def _worker(start, name: str, fakes: dict):
    return start(
        name,
        env={
            "SOCIAL_TWITTER_API_BASE": fakes["x"].root,
            "SOCIAL_LINKEDIN_API_BASE": fakes["linkedin"].root,
            "FLOWLINE_ALLOWED_PRIVATE_HOSTS": ",".join(settings.FLOWLINE_ALLOWED_PRIVATE_HOSTS),
            "SOCIAL_HTTP_TIMEOUT": "20",
            "FLOWLINE_POSTS_LEASE_SECONDS": "5",
            "FLOWLINE_POSTS_SETTLE_SECONDS": "0",
        },
    )


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis as the Celery broker")
def test_worker_processes_killed_mid_publication_still_publish_each_post_once(
    owner, fake_x, fake_linkedin, worker_processes
):
    from flowline.posts.tasks import publish_due

    x, li = connect_twitter(owner, fake_x), connect_linkedin(owner, fake_linkedin)
    fakes = {"x": fake_x, "linkedin": fake_linkedin}
    # given: X takes the first post and never answers, and loses the second one
    fake_x.hang_seconds = 30
    fake_x.fail_next("timeout_after_accept")
    fake_x.fail_next("timeout")
    _due_posts(owner, [x, li], 12, "Processes")
    texts = [f"Processes number {n}" for n in range(12)]
    workers = [_worker(worker_processes, f"posts{n}", fakes) for n in range(3)]
    # when: workers sweep until two X targets hang in flight, then all are killed
    wait_until(
        lambda: PostTarget.unscoped.filter(status="publishing", platform="twitter").count() >= 2,
        90.0,
        what="two targets hanging in flight",
        every=0.3,
        tick=lambda: publish_due.apply_async(),
    )
    for process in workers:
        kill(process)
    fake_x.release.set()  # the hung requests end with the processes gone
    for n in range(3):
        _worker(worker_processes, f"posts-new{n}", fakes)
    # then: the new workers settle the dead ones' claims and finish the rest
    wait_until(
        lambda: set(PostTarget.unscoped.values_list("status", flat=True)) == {"published"},
        90.0,
        what="everything published",
        every=0.3,
        tick=lambda: publish_due.apply_async(),
    )
    _assert_once_each([fake_x, fake_linkedin], texts)
