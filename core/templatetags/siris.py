from django import template

from core import events

register = template.Library()


@register.filter
def event_label(entry) -> str:
    return events.label(getattr(entry, "event_type", entry))


@register.simple_tag(takes_context=True)
def querystring_without(context, *names):
    """The current query string without the given keys (for pagination and sorting links)."""
    request = context["request"]
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()
