"""System checks for core settings (`manage.py check`, and every start)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register(checks.Tags.security)
def allowed_private_hosts_are_host_ports(app_configs, **kwargs):
    """Every FLOWLINE_ALLOWED_PRIVATE_HOSTS entry is a host:port (core.outbound)."""
    from flowline.core.outbound.addresses import parse_entry

    found = []
    for entry in settings.FLOWLINE_ALLOWED_PRIVATE_HOSTS:
        try:
            parse_entry(entry)
        except ImproperlyConfigured as exc:
            found.append(checks.Error(str(exc), id="flowline.E003"))
    return found
