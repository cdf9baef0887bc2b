"""Template helpers of the console's components."""

from functools import lru_cache

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst, slugify

register = template.Library()


@register.simple_tag(takes_context=True)
def query(context, **changes) -> str:
    """This page's query string with some parameters changed (None or "" removes one)."""
    params = context["request"].GET.copy()
    for name, value in changes.items():
        if value in (None, ""):
            params.pop(name, None)
        else:
            params[name] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def lookup(row, key: str):
    """A (dotted) key of an API row: `row|lookup:"industry.name"`."""
    value = row
    for part in key.split("."):
        value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
        if value is None:
            return None
    return value


@register.simple_tag
def row_url(url_name, row) -> str:
    return reverse(url_name, kwargs={"pk": row["id"]}) if url_name else ""


@register.simple_tag
def next_ordering(current: str, field: str) -> str:
    """Clicking a header sorts ascending, then descending, then back to the default."""
    if current == field:
        return f"-{field}"
    if current == f"-{field}":
        return ""
    return field


@register.filter
def choice_words(value) -> str:
    """A choice's stored value read as words: "blog_post" -> "Blog post"."""
    text = str(value if value is not None else "").replace("_", " ")
    return text[:1].upper() + text[1:]


@register.simple_tag
def status_badge(value, label="") -> str:
    """The status component (`components/status.html`): a pill named after the value.
    A tag rather than markup in an include, because tables draw one per row and column;
    the few values there are are made once."""
    try:
        return _badge(value, label)
    except TypeError:  # an unhashable value
        return _badge.__wrapped__(value, label)


@lru_cache(maxsize=512)
def _badge(value, label) -> str:
    text = capfirst(label) if label else choice_words(value)
    return format_html(
        '<span class="badge rounded-pill status status-{}">{}</span>', slugify(value), text
    )
