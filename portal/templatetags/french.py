"""Template filters for French typography, available in every template (a builtin library)."""

from django import template
from django.utils import timezone

from portal.french import french_date

register = template.Library()


@register.filter(expects_localtime=True)
def date_fr(value, fmt: str = "l j F Y") -> str:
    """Like `date`, with « 1er » for the first of a month: {{ day|date_fr:"j F Y" }}."""
    if value in (None, ""):
        return ""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return french_date(value, fmt)
