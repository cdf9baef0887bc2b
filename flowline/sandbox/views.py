"""Sandbox pages and the providers' HTTP endpoints, under /sandbox/ (404 outside sandbox mode).

- `/sandbox/<provider>/<path>`: the provider's own API (what Flowline's clients call);
  `/sandbox/wordpress/` is also that WordPress's site, showing what was published;
- `/sandbox/checkout/<session>`: Stripe Checkout's page for a session;
- `/sandbox/outbox/`: the e-mails Flowline would have sent;
- `/sandbox/customer/`: a customer writing to the shop on Messenger, Instagram, WhatsApp;
- `/sandbox/consent/<provider>/`: the platform's consent page, before its authorize URL;
- `/sandbox/feed/`: the posts the social providers received, and the "make the next call
  fail" controls; `/sandbox/feed.json` and `POST /sandbox/control/<provider>/` are the same
  for scripts and tests.
"""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

from flowline.core.outbound.client import Client
from flowline.core.pages.shell import shell_context
from flowline.core.pages.views import PublicPage
from flowline.core.richtext import clean_html
from flowline.sandbox import http, mail, providers
from flowline.sandbox.drives import fake_google, fake_microsoft
from flowline.sandbox.oidc.oidc_provider import LOGIN_FORM
from flowline.sandbox.social import graph as graph_fake
from flowline.sandbox.social import meta_inbound
from flowline.sandbox.social.base import FAILURES
from flowline.sandbox.stripe import checkout, fake_stripe
from flowline.sandbox.wordpress.fake_wordpress import APP_PASSWORD, USERNAME

# What the feed page offers to break, with the words it shows.
BREAKS = {
    "rate_limit": "Rate limit (429)",
    "token_revoked": "Token revoked",
    "expire_tokens": "Access tokens expire (refresh works)",
    "server_error": "Server error (5xx)",
    "timeout": "No answer (timeout)",
    "timeout_after_accept": "Lost answer (posted, no reply)",
    "content_rejected": "Content refused",
}


def _require_sandbox() -> None:
    if not providers.enabled():
        raise Http404


@csrf_exempt
def provider_api(request, name: str, path: str = ""):
    """A provider's API, answered by the provider itself (Flowline's clients call this).
    The sandbox WordPress also shows its site to people, outside `/wp-json/`."""
    _require_sandbox()
    provider = providers.get(name)
    if provider is None:
        raise Http404
    if name == "wordpress" and not path.startswith("wp-json/"):
        return wordpress_site(request, provider, path)
    if name == "stripe":
        return stripe_api(request, provider, path)
    if name == "oidc":
        return oidc_provider(request, provider, path)
    return http.serve(provider, request, path)


def stripe_api(request, fake, path: str):
    status, payload = fake_stripe.answer(
        fake,
        request.method,
        "/" + path,
        request.META.get("QUERY_STRING", ""),
        request.body.decode(errors="replace"),
        dict(request.headers.items()),
    )
    with fake.lock:  # a long-running sandbox keeps only the recent requests
        del fake.requests[:-200]
    providers.save("stripe")
    response = JsonResponse(payload, status=status, safe=False)
    response["Request-Id"] = f"req_sandbox{len(fake.requests)}"
    return response


def oidc_provider(request, provider, path: str):
    """The sign-in provider (a WSGI app) answering a Django request."""
    body = request.body
    environ = {key: value for key, value in request.META.items() if key.startswith("HTTP_")} | {
        "REQUEST_METHOD": request.method,
        "PATH_INFO": "/" + path,
        "QUERY_STRING": request.META.get("QUERY_STRING", ""),
        "CONTENT_TYPE": request.META.get("CONTENT_TYPE", ""),
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
    }
    answer = {}

    def start_response(status, headers):
        answer.update(status=int(status.split()[0]), headers=headers)

    content = b"".join(provider.wsgi(environ, start_response))
    if content == LOGIN_FORM.encode():  # its sign-in form: shown as the console shows pages
        return sign_in_page(request, path, wrong_password=answer["status"] == 401)
    response = HttpResponse(content, status=answer["status"])
    for key, value in answer["headers"]:
        response[key] = value
    return response


def sign_in_page(request, path: str, *, wrong_password: bool):
    """The sandbox sign-in provider's form, for whichever login provider it plays (from its
    authorize path); it posts the provider's own fields back to the same URL."""
    if path.startswith("login/oauth"):
        label = "GitHub"
    elif path.endswith("oauth2/v2.0/authorize"):
        label = "Microsoft"
    elif path.startswith("dialog/oauth"):
        label = "Facebook"
    else:  # OpenID Connect's /authorize: Apple answers by form_post
        label = "Apple" if request.GET.get("response_mode") == "form_post" else "Google"
    context = {
        "provider": label,
        "identity": providers.SANDBOX_IDENTITY,
        "password": providers.SANDBOX_PASSWORD,
        "wrong_password": wrong_password,
        "email": request.POST.get("username", ""),
        "title": f"Sign in with {label}",
        "shell": shell_context(request, signed_in=False),
    }
    status = 401 if wrong_password else 200
    return render(request, "sandbox/sign_in.html", context, status=status)


class CheckoutPage(PublicPage):
    """Stripe Checkout as the sandbox plays it: the amount, a test card that pays
    (4242 4242 4242 4242) or is declined (4000 0000 0000 0002), and the signed
    `checkout.session.completed` / `.expired` webhooks Stripe would send."""

    template_name = "sandbox/checkout.html"
    title = "Sandbox checkout"

    def handle(self, request, *args, **kwargs):
        _require_sandbox()
        self.fake = providers.get("stripe")
        self.session = self.fake.sessions.get(kwargs["session_id"])
        if self.session is None:
            raise Http404
        return super().handle(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session = self.session
        context.update(
            session=session,
            items=[_line(item) for item in session.get("line_items_sent") or []],
            total=_money(session.get("amount_total") or 0, session.get("currency")),
            paying_card=checkout.PAYING_CARD,
            declined_card=checkout.DECLINED_CARD,
        )
        return context

    def post(self, request, *args, **kwargs):
        session_id = self.session["id"]
        if request.POST.get("action") == "cancel":
            session = checkout.expire(self.fake, session_id)
            checkout.send_webhook("checkout.session.expired", session)
            providers.save("stripe")  # the session, and the event id sequence
            return HttpResponseRedirect(session.get("cancel_url") or "/")
        try:
            session = checkout.pay(self.fake, session_id, card=request.POST.get("card", ""))
        except checkout.CardDeclined as exc:
            context = self.get_context_data(declined=str(exc))
            return self.render_to_response(context, status=402)
        checkout.send_webhook("checkout.session.completed", session)
        providers.save("stripe")  # the session, and the event id sequence
        return HttpResponseRedirect(
            session["success_url"].replace("{CHECKOUT_SESSION_ID}", session_id)
        )


# The sandbox customer on each channel: (label, Meta's webhook object, their id).
CUSTOMER_CHANNELS = {
    "messenger": ("Messenger (Facebook page)", "page", graph_fake.CUSTOMER_PSID),
    "instagram": ("Instagram direct", "instagram", graph_fake.CUSTOMER_IGSID),
    "whatsapp": ("WhatsApp", "whatsapp", graph_fake.CUSTOMER_WA_ID),
}


def customer_send(channel: str, text: str) -> int:
    """The sandbox customer writes `text` to the shop on `channel`: Meta's webhook,
    signed with META_APP_SECRET, delivered to Flowline over HTTP. The answer's status."""
    graph = providers.get("graph")
    _, kind, customer = CUSTOMER_CHANNELS[channel]
    page = next(iter(graph.pages.values()))
    mid = f"m_sandbox_{len(graph.customer_log) + 1}_{int(datetime.now(UTC).timestamp())}"
    if channel == "whatsapp":
        payload = meta_inbound.whatsapp(
            next(iter(graph.whatsapp)), mid, text, sender=customer, name=graph_fake.CUSTOMER_NAME
        )
    else:
        inbox = page["id"] if channel == "messenger" else page["ig"]
        payload = meta_inbound.messenger(inbox, mid, text, kind, sender=customer)
    raw, signature = meta_inbound.signed(payload, settings.META_APP_SECRET)
    origin = settings.FLOWLINE_SANDBOX_URL.removesuffix("/sandbox")
    headers = {"Content-Type": "application/json", "X-Hub-Signature-256": signature}
    with Client(service="Sandbox Meta webhook", timeout=20) as client:
        answer = client.request(
            "POST",
            f"{origin}/api/v1/chat/webhooks/meta/",
            content=raw,
            headers=headers,
            check=False,
        )
    # How many replies had come before this message: the page shows them in order.
    graph.customer_log.append(
        {"channel": channel, "text": text, "from": "you", "after": len(_replies(channel))}
    )
    providers.save("graph")
    return answer.status_code


def customer_conversation(channel: str) -> list[dict]:
    """What the customer sent on `channel` and the shop's replies (Send API), in order."""
    sent = [m for m in providers.get("graph").customer_log if m["channel"] == channel]
    replies = _replies(channel)
    conversation, shown = [], 0
    for message in sent:
        conversation += replies[shown : message["after"]]
        shown = max(shown, message["after"])
        conversation.append(message)
    return conversation + replies[shown:]


def _replies(channel: str) -> list[dict]:
    """The shop's messages to the sandbox customer on `channel`, as the Send API got them."""
    customer = CUSTOMER_CHANNELS[channel][2]
    return [
        {"from": "shop", "text": _reply_text(m)}
        for m in providers.get("graph").messages
        if (m.get("recipient") or {}).get("id") == customer or m.get("to") == customer
    ]


def _reply_text(message: dict) -> str:
    text = (message.get("message") or {}).get("text") or (message.get("text") or {}).get("body")
    return text or "(attachment)"


class CustomerPage(PublicPage):
    """A sandbox customer who writes to the shop on Messenger, Instagram or WhatsApp;
    each message reaches the inbox as Meta's signed webhook, and the shop's replies
    (sent through the Send API to the sandbox Graph) show here."""

    template_name = "sandbox/customer.html"
    title = "Sandbox customer"

    def handle(self, request, *args, **kwargs):
        _require_sandbox()
        return super().handle(request, *args, **kwargs)

    def _channel(self) -> str:
        wanted = self.request.GET.get("channel") or self.request.POST.get("channel", "")
        return wanted if wanted in CUSTOMER_CHANNELS else "messenger"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        channel = self._channel()
        context.update(
            channel=channel,
            channels={k: v[0] for k, v in CUSTOMER_CHANNELS.items()},
            conversation=customer_conversation(channel),
        )
        return context

    def post(self, request, *args, **kwargs):
        text = " ".join(request.POST.get("text", "").split())[:2000]
        channel = self._channel()
        if not text:
            return self.render_to_response(self.get_context_data(error="Write a message first."))
        status = customer_send(channel, text)
        if status >= 300:
            error = f"Flowline refused the webhook ({status}): is a {channel} inbox connected?"
            return self.render_to_response(self.get_context_data(error=error), status=502)
        return HttpResponseRedirect(f"{request.path}?{urlencode({'channel': channel})}")


class OutboxPage(PublicPage):
    """The e-mails Flowline would have sent (verification, reset, invitations...) and the
    Web Push notifications the sandbox push service received, decrypted with its browsers'
    keys. They hold sign-in links, so the page answers only this machine (loopback), as
    `make run` serves it."""

    template_name = "sandbox/outbox.html"
    title = "Sandbox outbox"

    def handle(self, request, *args, **kwargs):
        _require_sandbox()
        if request.META.get("REMOTE_ADDR") not in ("127.0.0.1", "::1"):
            raise Http404
        return super().handle(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["messages_sent"] = mail.outbox()
        context["pushes"] = push_deliveries()
        return context


def push_deliveries() -> list[dict]:
    """What the sandbox push service received, newest first: each notification as the
    subscribed browser decrypted it (its title, body and link)."""
    service = providers.get("push")
    return [
        {
            "to": delivery.path.rsplit("/", 1)[-1],
            "title": delivery.message.get("title", ""),
            "body": delivery.message.get("body", ""),
            "link": delivery.message.get("link", ""),
            "type": delivery.message.get("type", ""),
            "received_at": delivery.received_at,
        }
        for delivery in reversed(service.deliveries)
    ]


def _money(minor: int, currency: str | None) -> str:
    return f"{minor / 100:,.2f} {(currency or '').upper()}"


def _line(item: dict) -> dict:
    price = item.get("price_data") or {}
    name = (price.get("product_data") or {}).get("name") or item.get("price") or "Item"
    quantity = int(item.get("quantity") or 1)
    amount = int(price.get("unit_amount") or 0) * quantity
    return {"name": name, "quantity": quantity, "amount": _money(amount, price.get("currency"))}


def wordpress_site(request, site, path: str):
    """The sandbox WordPress's public side: its published posts (the front page, a post by
    its permalink `/<slug>/` or `/?p=<id>`) and its uploads."""
    if request.method != "GET":
        return HttpResponse(status=405)
    if path.startswith("wp-content/uploads/"):
        name = path.rsplit("/", 1)[-1]
        media = next((m for m in site.media.values() if m["source_url"].endswith(f"/{name}")), None)
        if media is None:
            raise Http404
        response = HttpResponse(media["data"], content_type=media["mime_type"])
        response["X-Content-Type-Options"] = "nosniff"
        return response
    published = sorted(
        (p for p in site.posts.values() if p["status"] == "publish"),
        key=lambda p: p["date"],
        reverse=True,
    )
    slug, wanted = path.strip("/"), request.GET.get("p", "")
    if slug or wanted:
        published = [p for p in published if p["slug"] == slug or str(p["id"]) == wanted]
        if not published:
            raise Http404
    posts = [
        {
            "title": post["title"],
            "date": post["date"],
            "link": f"{site.base_url}/{post['slug']}/",
            # Flowline's own HTML, cleaned again as the console would show it.
            "html": clean_html(post["content"]),
        }
        for post in published
    ]
    context = {
        "posts": posts,
        "single": bool(slug or wanted),
        "site_url": site.base_url,
        "username": USERNAME,
        "app_password": APP_PASSWORD,
        "title": "Sandbox WordPress",
    }
    context["shell"] = shell_context(request, signed_in=False)
    return render(request, "sandbox/wordpress.html", context)


def break_next(name: str, kind: str, *, on: str = "any") -> None:
    """Make the provider's next call of class `on` fail as `kind` (see BREAKS)."""
    provider = providers.get(name)
    if provider is None or name not in providers.SOCIAL:
        raise Http404
    if kind == "expire_tokens":
        provider.expire_access_tokens()
    elif kind not in FAILURES or kind == "answer":
        raise ValueError(kind)
    else:
        provider.fail_next(kind, on=on, retry_after=30 if kind == "rate_limit" else None)
    providers.save(name)


def feed() -> list[dict]:
    """Every post the social providers received, newest first."""
    rows = []
    for name, meta in providers.SOCIAL.items():
        for post in providers.get(name).posts:
            container = post.get("container") or {}
            media = (
                [m for m in post.get("media") or [] if m]
                or [u for u in (container.get("image_url"), container.get("video_url")) if u]
                or [f"{providers.get(name).root}/media/{m}" for m in post.get("media_ids") or []]
            )
            rows.append(
                {
                    "provider": name,
                    "platform": meta["label"],
                    "id": post["id"],
                    "author": _author(name, providers.get(name), post["author"]),
                    "text": post["text"],
                    "media": media,
                    "created_at": datetime.fromtimestamp(post["created_at"], UTC).isoformat(),
                }
            )
    return sorted(rows, key=lambda row: row["created_at"], reverse=True)


def _author(name: str, provider, author: str) -> str:
    """How the platform shows who posted: @handle, page name or member name."""
    if name == "x":
        return f"@{provider.user['username']}"
    if name == "linkedin":
        return provider.member["name"]
    if author in provider.instagram:
        return f"@{provider.instagram[author]['username']} (Instagram)"
    page = provider.pages.get(author)
    return f"{page['name']} (Facebook)" if page else author


def feed_json(request):
    _require_sandbox()
    return JsonResponse({"sandbox": True, "posts": feed()})


@csrf_exempt
def control(request, name: str):
    """`POST {"fail_next": kind, "on": "publish"|"read"|"oauth"|"any"}`: break the next call."""
    _require_sandbox()
    if request.method != "POST":
        return JsonResponse({"error": "POST only"}, status=405)
    try:
        body = json.loads(request.body or b"{}")
        kind = str(body["fail_next"])
        break_next(name, kind, on=str(body.get("on", "any")))
    except (ValueError, KeyError, TypeError):
        choices = ", ".join(BREAKS)
        return JsonResponse({"error": f"fail_next must be one of: {choices}"}, status=400)
    return JsonResponse({"sandbox": True, "provider": name, "fail_next": kind})


class ConsentPage(PublicPage):
    """The platform's or drive's "Allow Flowline to…?" page. Allow goes on to the
    provider's own authorize endpoint (which checks the client, PKCE and redirect URI,
    then redirects back with a code); Cancel goes back with `error=access_denied`, as
    the real services do."""

    template_name = "sandbox/consent.html"
    title = "Sandbox sign-in"

    def handle(self, request, *args, **kwargs):
        _require_sandbox()
        if kwargs["name"] not in providers.SOCIAL | providers.DRIVES:
            raise Http404
        return super().handle(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        name = kwargs["name"]
        provider = providers.get(name)
        service = (providers.SOCIAL | providers.DRIVES)[name]
        registered = (
            settings.SOCIAL_OAUTH_REDIRECT_URI
            if name in providers.SOCIAL
            else settings.DRIVE_OAUTH_REDIRECT_URI
        )
        query = self.request.GET
        allow = f"{provider.root}{service['authorize']}?{query.urlencode()}"
        deny = ""
        # Back only to the redirect URI Flowline registered: the page is no open redirect.
        if query.get("redirect_uri") == registered:
            denied = {"error": "access_denied", "state": query.get("state", "")}
            deny = f"{registered}?{urlencode(denied)}"
        context.update(
            platform=service["label"],
            identity=_identity(name, provider),
            scopes=(query.get("scope") or "").replace(",", " ").split(),
            allow_url=allow,
            deny_url=deny,
            drive=name in providers.DRIVES,
        )
        return context


def _identity(name: str, provider) -> str:
    if name == "x":
        return f"@{provider.user['username']}"
    if name == "linkedin":
        return provider.member["name"]
    if name in providers.DRIVES:
        return fake_google.EMAIL if name == "google" else fake_microsoft.EMAIL
    pages = ", ".join(page["name"] for page in provider.pages.values())
    return f"the pages {pages}"


class FeedPage(PublicPage):
    """What the sandbox platforms received, and controls to break their next call."""

    template_name = "sandbox/feed.html"
    title = "Sandbox feed"

    def handle(self, request, *args, **kwargs):
        _require_sandbox()
        return super().handle(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            posts=feed(),
            platforms=providers.SOCIAL,
            breaks=BREAKS,
            notice=self._notice(),
        )
        return context

    def post(self, request, *args, **kwargs):
        name, kind = request.POST.get("provider", ""), request.POST.get("kind", "")
        try:
            break_next(name, kind)
        except ValueError:
            return self.error_page(400, "Choose one of the failures offered.")
        return HttpResponseRedirect(f"{request.path}?{urlencode({'broken': f'{name}:{kind}'})}")

    def _notice(self) -> str:
        name, _, kind = self.request.GET.get("broken", "").partition(":")
        if name in providers.SOCIAL and kind in BREAKS:
            return f"The next call to {providers.SOCIAL[name]['label']}: {BREAKS[kind]}."
        return ""
