"""Inclusion tags that show permanences on residence, sector, home and mediator pages."""

from django import template

from events.models import PermanenceIndexPage
from events.permanences.statuses import pages_in_scope, statuses

register = template.Library()


@register.inclusion_tag("components/permanence_overview.html", takes_context=True)
def permanence_overview(
    context, scope=None, mediator=None, heading_level: int = 3, today_only: bool = False
):
    pages = pages_in_scope(scope)
    if mediator is not None:
        pages = pages.filter(mediators=mediator)
    found = statuses(pages)
    if today_only:
        found = [status for status in found if status.today_text]
    return {
        "statuses": found,
        "today_only": today_only,
        "heading_level": heading_level,
        "request": context.get("request"),
    }


@register.simple_tag
def permanence_index_page():
    """The site's « Permanences » page, for links from other pages (None if unpublished)."""

    return PermanenceIndexPage.objects.live().first()
