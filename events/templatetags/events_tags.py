"""Inclusion tags through which other pages show occurrences; this app decides the queries."""

from django import template

from events.calendar import admin_formatting, formatting
from events.models import AgendaPage, Occurrence
from residences.scopes import Scope

register = template.Library()


@register.inclusion_tag("components/upcoming_occurrences.html", takes_context=True)
def upcoming_occurrences(context, scope=None, limit: int = 5):
    """The next events for a residence, a sector or (without scope) the whole site."""
    where = Scope.of(scope)
    occurrences = where.narrow(Occurrence.objects.events().live().upcoming())
    items = list(
        occurrences.select_related(
            "page",
            "page__eventpage",
            "page__eventpage__category",
            "page__eventpage__venue_residence",
        )[:limit]
    )
    return {
        "occurrences": items,
        "agenda": AgendaPage.objects.live().first(),
        "agenda_query": where.query,
        "request": context.get("request"),
    }


@register.simple_tag(takes_context=True)
def feed_links(context, path: str, params: dict | None = None) -> dict:
    """The ways to subscribe to a feed: webcal:// (Apple, Outlook, Thunderbird open it with one
    tap), Google Agenda's « add by URL » page for the https:// address (Android phones do
    nothing with webcal://), and the https:// link to copy."""
    from urllib.parse import quote, urlencode

    request = context["request"]
    query = f"?{urlencode(params)}" if params else ""
    https = request.build_absolute_uri(path + query)
    webcal = "webcal://" + https.split("://", 1)[1]
    google = GOOGLE_ADD_BY_URL + quote(https, safe="")
    return {
        "https": https,
        "webcal": webcal,
        "google": google,
        "id": abs(hash(path + query)) % 10_000,
    }


# Google Agenda's page that proposes to add a calendar from its URL (the `cid` parameter).
GOOGLE_ADD_BY_URL = "https://calendar.google.com/calendar/render?cid="


@register.filter
def when(occurrence, with_date=True):
    return formatting.when(occurrence, with_date=with_date)


@register.filter
def admin_when(occurrence, with_date=True):
    """`when` in the admin user's language (French stays `when`)."""
    return admin_formatting.admin_when(occurrence, with_date=with_date)


@register.filter
def admin_schedule(page):
    """The page's rule in the admin user's language (French stays `schedule_summary`)."""
    return admin_formatting.admin_schedule(page)


@register.filter
def former_time(occurrence):
    return formatting.former_time(occurrence)
