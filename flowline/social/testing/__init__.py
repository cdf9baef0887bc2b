"""Test fixtures for the social platforms' fakes (no network, real protocol).

The fakes themselves are the sandbox providers in `flowline.sandbox.social` (one fake per
protocol serves the tests and sandbox mode, docs/sandbox.md). In tests each fake is an
HTTP server on 127.0.0.1 speaking the platform's own paths, JSON shapes, error bodies and
rate-limit answers; Flowline's real adapters talk to it, through the guarded
outbound client (the fixtures allow-list each fake's host:port for the test).

Fixtures (add `from flowline.social.testing.fixtures import *  # noqa: F403` to a
conftest.py) start a fake and point the settings at it:

- `fake_graph` — `FakeGraphAPI`: Facebook pages, Instagram business (containers +
  media_publish), WhatsApp Business, Messenger/Instagram Send API. Starts with one page
  (with an Instagram account) and one WhatsApp number: `fake.pages`, `fake.instagram`,
  `fake.whatsapp`; `fake.add_page(name, instagram="handle")`, `fake.add_whatsapp_number()`.
- `fake_x` — `FakeXAPI`: X API v2 and its OAuth 2.0 PKCE endpoints (`fake.user`).
- `fake_linkedin` — `FakeLinkedIn`: OAuth, userinfo, `/rest/posts`, images, socialActions.
- `social_timeouts` — client timeouts of 0.5 s, for the scripted timeouts.

Stored accounts the fakes accept (helpers in `fixtures`, `member` from core.testing):
`connect_facebook_page(member, fake)`, `connect_instagram(member, fake)`,
`connect_whatsapp(member, fake, broadcast_to=[...])`, `connect_twitter(member, fake,
expires_in=7200)`, `connect_linkedin(member, fake)`.

Scripting failures (every fake):

    fake.fail_next("rate_limit", retry_after=30)   # next publish: the platform's 429 / throttle
    fake.fail_next("server_error")                 # next publish: 5xx
    fake.fail_next("timeout")                      # next publish: no answer, nothing posted
    fake.fail_next("timeout_after_accept")         # next publish: posted, then no answer
    fake.fail_next("token_revoked")                # every token dies, then invalid-token answer
    fake.fail_next("content_rejected")             # next publish: the content is refused
    fake.fail_next(kind, on="read" | "upload" | "oauth" | "any", times=2)
    fake.expire_access_tokens()                    # access tokens fail, refresh tokens work
    fake.revoke_all()                              # the user removed the app

`publish` requests are the ones that create a post or send a message (Graph feed / photos /
videos / media_publish / messages, X `POST /2/tweets`, LinkedIn `POST /rest/posts`).
The fakes also refuse duplicates as the platforms do (Graph 506, X 403, LinkedIn 422).

Inspecting: `fake.posts` (dicts with id, author, text, created_at, and the platform's
extras), `fake.posts_by(author_id)`, `fake.messages` (Send API / WhatsApp messages),
`fake.requests` (every request: method, path, headers, json, body), `fake.refresh_count`.
Metrics for `fetch_metrics`: `fake.set_metrics(post_id, **values)` with the platform's
names (Graph `post_impressions_unique`, `post_clicks`, `reach`, `total_interactions`…;
X `impression_count`, `like_count`…; LinkedIn `likes`, `comments`).
"""
