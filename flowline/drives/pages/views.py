"""The console page a drive's OAuth returns to (`drives/connected/`, the sandbox's
DRIVE_OAUTH_REDIRECT_URI): the code is exchanged through the API's callback, a Cancel
on the consent page (`error=access_denied`, as the real providers send) is reported as
cancelled, and the browser goes back to the page the connection was started from."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

from flowline.core.pages.api import Endpoint
from flowline.core.pages.views import Page
from flowline.drives.api.views import CALLBACK_PARAMS, ConnectCallbackView
from flowline.drives.providers import adapter_for

connect_callback = Endpoint(ConnectCallbackView)

RETURN_COOKIE = "fl_drive_return"
RETURN_SALT = "flowline.drives.return"
DEFAULT_RETURN = "/agents/"


def redirect_to_consent(request, authorization_url: str, *, return_to: str) -> HttpResponse:
    """Send the browser to the drive's consent page, remembering (signed, for as long as
    the OAuth state lives) the console page to come back to."""
    response = HttpResponseRedirect(authorization_url)
    response.set_signed_cookie(
        RETURN_COOKIE,
        return_to,
        salt=RETURN_SALT,
        max_age=settings.DRIVE_OAUTH_STATE_MAX_AGE,
        httponly=True,
        samesite="Lax",  # it must come back on the provider's cross-site redirect
        secure=request.is_secure(),
    )
    return response


class DriveConnectedPage(Page):
    """Not a page of its own: it finishes the connection and redirects, with a message."""

    def get(self, request, *args, **kwargs):
        query = request.GET
        answer = connect_callback.call(
            request, query={k: query[k] for k in CALLBACK_PARAMS if k in query}
        )
        if answer.ok:
            connection = answer.data
            label = adapter_for(connection["provider"]).label
            email = connection.get("account_email")
            messages.success(request, f"{label} connected" + (f" as {email}." if email else "."))
        elif answer.code == "drive_connection_cancelled":
            messages.warning(request, f"{answer.message} Nothing was connected.")
        else:
            messages.error(request, answer.message)
        response = HttpResponseRedirect(self._return_to(request))
        response.delete_cookie(RETURN_COOKIE)
        return response

    def _return_to(self, request) -> str:
        target = request.get_signed_cookie(RETURN_COOKIE, default="", salt=RETURN_SALT)
        safe = url_has_allowed_host_and_scheme(target, allowed_hosts=None)  # a path only
        return target if target.startswith("/") and safe else DEFAULT_RETURN
