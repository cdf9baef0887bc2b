"""System checks for core settings (`manage.py check`, and every start)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register(checks.Tags.security)
def private_files_are_not_public(app_configs, **kwargs):
    """The private root must not be inside the public media root (nor hold it)."""
    private = Path(settings.FLOWLINE_PRIVATE_MEDIA_ROOT).resolve()
    public = Path(settings.MEDIA_ROOT).resolve()
    if private == public or public in private.parents or private in public.parents:
        return [
            checks.Error(
                "FLOWLINE_PRIVATE_MEDIA_ROOT overlaps MEDIA_ROOT: private files would be "
                "served from the public media location.",
                id="flowline.E001",
            )
        ]
    return []


@checks.register(checks.Tags.security)
def trusted_proxies_are_addresses(app_configs, **kwargs):
    from flowline.core.client_address import trusted_proxies

    try:
        trusted_proxies()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="flowline.E002")]
    return []


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
