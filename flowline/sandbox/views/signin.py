"""The sandbox sign-in provider (OpenID Connect and the OAuth logins it plays), with its
sign-in form shown as the console shows pages."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.shortcuts import render

from flowline.core.pages.shell import shell_context
from flowline.sandbox import providers
from flowline.sandbox.oidc.oidc_provider import LOGIN_FORM


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
