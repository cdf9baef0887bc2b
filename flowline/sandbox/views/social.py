"""What the sandbox social platforms received (the feed), and breaking their next call."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from urllib.parse import urlencode

from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from flowline.sandbox import providers
from flowline.sandbox.social.base import FAILURES
from flowline.sandbox.views.base import SandboxPage, require_sandbox

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
    require_sandbox()
    return JsonResponse({"sandbox": True, "posts": feed()})


@csrf_exempt
def control(request, name: str):
    """`POST {"fail_next": kind, "on": "publish"|"read"|"oauth"|"any"}`: break the next call."""
    require_sandbox()
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


class FeedPage(SandboxPage):
    """What the sandbox platforms received, and controls to break their next call."""

    template_name = "sandbox/feed.html"
    title = "Sandbox feed"

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
