"""The API docs pages, served entirely from our own static files."""

from drf_spectacular.views import SpectacularRedocView


class RedocView(SpectacularRedocView):
    """ReDoc without the web fonts the stock page fetches from a CDN."""

    template_name = "flowline/redoc.html"
