"""Inclusion tags through which other pages show occurrences; this app decides the queries."""

from django import template

from events import formatting
from events.models import Occurrence

register = template.Library()


def scoped(occurrences, scope) -> tuple:
    """The occurrences that concern the scope page, and the agenda filter that shows them."""
    from residences.models import ResidencePage, SectorPage

    if isinstance(scope, ResidencePage):
        return occurrences.for_residence(scope), f"?residence={scope.slug}"
    if isinstance(scope, SectorPage):
        return occurrences.in_sector(scope), f"?secteur={scope.slug}"
    return occurrences, ""


@register.inclusion_tag("components/upcoming_occurrences.html", takes_context=True)
def upcoming_occurrences(context, scope=None, limit: int = 5):
    """The next events for a residence, a sector or (without scope) the whole site."""
    occurrences, agenda_query = scoped(Occurrence.objects.events().live().upcoming(), scope)
    items = list(
        occurrences.select_related(
            "page",
            "page__eventpage",
            "page__eventpage__category",
            "page__eventpage__venue_residence",
        )[:limit]
    )
    from events.models import AgendaPage

    return {
        "occurrences": items,
        "agenda": AgendaPage.objects.live().first(),
        "agenda_query": agenda_query,
        "request": context.get("request"),
    }


@register.simple_tag(takes_context=True)
def feed_links(context, path: str, params: dict | None = None) -> dict:
    """A webcal:// link for one-tap subscription and the https:// link to copy."""
    from urllib.parse import urlencode

    request = context["request"]
    query = f"?{urlencode(params)}" if params else ""
    https = request.build_absolute_uri(path + query)
    webcal = "webcal://" + https.split("://", 1)[1]
    return {"https": https, "webcal": webcal, "id": abs(hash(path + query)) % 10_000}


@register.filter
def when(occurrence, with_date=True):
    return formatting.when(occurrence, with_date=with_date)
