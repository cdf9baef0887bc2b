"""The composer: one post to several social accounts, each platform's own text and media
checked as it is typed (the API's platform rules, given to the page as JSON), AI help,
a preview per platform; saved as a draft, posted now, scheduled, or submitted for approval.

The form becomes the API's post body; `social/posts/` validates it (the same rules as any
client) and its refusals are shown beside the fields, per platform.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from flowline.core.pages.views import Page
from flowline.core.roles import Role
from flowline.posts.pages import endpoints as api
from flowline.posts.services.imports import media_items

INTENTS = ("draft", "now", "schedule", "next_slot", "submit")


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


def _urls(media: list[dict]) -> str:
    return "\n".join(item.get("url") or item.get("file_id", "") for item in media or [])


def post_body(form, platforms: list[str]) -> dict:
    """The API's post body from the composer's fields. A platform gets a variant only when
    its own text or media is given: otherwise it takes the post's default content."""
    body = {
        "title": form.get("title", ""),
        "text": form.get("text", ""),
        "link": form.get("link", ""),
        "media": media_items(_lines(form.get("media", ""))),
        "targets": [int(v) for v in form.getlist("targets") if v.isdigit()],
        "requires_approval": form.get("requires_approval") in ("true", "on"),
    }
    variants = {}
    for platform in platforms:
        text = form.get(f"variant_{platform}_text", "")
        media = _lines(form.get(f"variant_{platform}_media", ""))
        if text.strip() or media:
            variants[platform] = {
                "text": text or body["text"],
                "media": media_items(media) if media else body["media"],
                "link": body["link"],
            }
    body["variants"] = variants
    return body


def form_values(post: dict) -> dict:
    """The composer's fields from a stored post (editing a draft)."""
    values = {
        "title": post["title"],
        "text": post["text"],
        "link": post["link"],
        "media": _urls(post["media"]),
        "targets": [t["social_account"] for t in post["targets"]],
        "requires_approval": post["requires_approval"],
    }
    for platform, variant in post["variants"].items():
        values[f"variant_{platform}_text"] = variant["text"]
        values[f"variant_{platform}_media"] = _urls(variant["media"])
    return values


def scheduled_at(raw: str) -> str | None:
    """A `datetime-local` value, read as UTC (the composer and the calendar show UTC)."""
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


def next_step(request, intent: str, post_id: int):
    """After saving: schedule the post (now, at the chosen time, in the next free slot) or
    submit it for approval; the API's answer, or None for a draft."""
    if intent == "now":
        body = {"post": post_id, "scheduled_at": timezone.now().isoformat()}
        return api.schedules.call(request, "POST", body=body)
    if intent == "schedule":
        when = scheduled_at(request.POST.get("scheduled_at", ""))
        body = {"post": post_id, **({"scheduled_at": when} if when else {})}
        return api.schedules.call(request, "POST", body=body)
    if intent == "next_slot":
        body = {"post": post_id, "next_free_slot": True}
        return api.schedules.call(request, "POST", body=body)
    if intent == "submit":
        return api.post_submit.call(request, "POST", pk=post_id)
    return None


class ComposerPage(Page):
    """New post (`/social/posts/new/`), or a stored post's edit (`.../<pk>/edit/`)."""

    template_name = "posts/composer.html"
    read_role = Role.EDITOR  # viewers read posts; writing one is an editor's

    def stored(self) -> dict | None:
        pk = self.kwargs.get("pk")
        if pk is None:
            return None
        return self.fetched(api.post, pk=pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        stored = self.stored()
        accounts = api.connected_accounts(self.request)
        answer = api.platform_rules.call(self.request)
        rules = {row["platform"]: row for row in answer.data or []}
        platforms = list(dict.fromkeys(a["platform"] for a in accounts))
        values = kwargs.get("values") or (form_values(stored) if stored else {"targets": []})
        variant_errors = kwargs.get("variant_errors") or {}
        context.update(
            title=f"Edit “{stored['title'] or 'post'}”" if stored else "New post",
            post=stored,
            accounts=accounts,
            platforms=[
                {
                    "name": p,
                    "label": api.PLATFORM_LABELS.get(p, p),
                    "rules": rules.get(p, {}),
                    "text": values.get(f"variant_{p}_text", ""),
                    "media": values.get(f"variant_{p}_media", ""),
                    "errors": variant_errors.get(p, {}),
                }
                for p in platforms
            ],
            rules=rules,
            values=values,
            errors=kwargs.get("errors") or {},
            crumbs=[{"label": "Posts", "url": reverse("console-posts")}],
            now=timezone.now().strftime("%Y-%m-%dT%H:%M"),
        )
        return context

    def post(self, request, *args, **kwargs):
        intent = request.POST.get("intent", "draft")
        if intent not in INTENTS:
            intent = "draft"
        platforms = list(dict.fromkeys(a["platform"] for a in api.connected_accounts(request)))
        body = post_body(request.POST, platforms)
        stored = self.stored()
        if stored:
            answer = api.post.call(request, "PUT", body=body, pk=stored["id"])
        else:
            answer = api.posts.call(request, "POST", body=body)
        if not answer.ok:
            return self.refused(answer)
        post_id = answer.data["id"]
        follow_up = next_step(request, intent, post_id)
        if follow_up is not None and not follow_up.ok:
            # The post is saved; what failed is the next step (an unapproved post, a
            # time in the past, no free slot): say so on its page.
            messages.error(request, f"Saved as a draft, but: {follow_up.message}")
        else:
            messages.success(request, SUCCESS[intent])
        return redirect("console-post", pk=post_id)

    def refused(self, answer):
        found = answer.body.get("errors") or {}
        variant_errors = found.get("variants") if isinstance(found.get("variants"), dict) else {}
        errors = {k: v for k, v in answer.errors.items() if k != "variants"}
        # A default-content refusal names no variant: show the platforms' own messages.
        summary = (
            "Please correct the highlighted fields." if errors or variant_errors else answer.message
        )
        context = self.get_context_data(
            form_error=summary,
            errors=errors,
            variant_errors={
                platform: {field: api.messages_of(msgs) for field, msgs in (fields or {}).items()}
                for platform, fields in (variant_errors or {}).items()
                if isinstance(fields, dict)
            },
            values=_posted_values(self.request.POST),
        )
        response = self.render_to_response(context)
        response.status_code = answer.status if answer.status < 500 else 400
        return response


def _posted_values(form) -> dict:
    values = {name: form.get(name, "") for name in form if name != "targets"}
    values["targets"] = [int(v) for v in form.getlist("targets") if v.isdigit()]
    values["requires_approval"] = form.get("requires_approval") in ("true", "on")
    return values


SUCCESS = {
    "draft": "Saved as a draft.",
    "now": "Posting now.",
    "schedule": "Scheduled.",
    "next_slot": "Scheduled in the next free slot.",
    "submit": "Submitted for approval.",
}
