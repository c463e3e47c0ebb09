"""Site-wide search over the published pages, from the header's search box."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render

from wagtail.models import Page

from portal import throttle

MAX_QUERY_LENGTH = 100
PER_PAGE = 20


def clean_query(raw: str) -> str:
    # The SQLite search backend quotes each term without escaping '"': one made FTS5 fail (500).
    return " ".join(raw.replace("\x00", "").replace('"', " ").split())[:MAX_QUERY_LENGTH]


def search(request):
    query = clean_query(request.GET.get("q", ""))
    results = None
    if query and not throttle.allow("search", request, settings.SEARCH_RATE_LIMIT, 600):
        return throttle.too_many_requests(request)
    if query:
        found = Page.objects.live().public().specific().search(query, operator="and")
        results = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "pages/search_results.html", {"query": query, "results": results})


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to the static icon
    (resolved per request: the hashed name exists only once collectstatic has run)."""
    from django.shortcuts import redirect
    from django.templatetags.static import static

    return redirect(static("portal/img/favicon.png"))
