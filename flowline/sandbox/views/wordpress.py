"""The sandbox WordPress's public side: what Flowline published there, as a reader sees it."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render

from flowline.core.pages.shell import shell_context
from flowline.core.richtext import clean_html
from flowline.sandbox.wordpress.fake_wordpress import APP_PASSWORD, USERNAME


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
