"""Inclusion tags through which other pages show the place tree; this app decides the queries."""

from django import template

from wagtail.models import Site

from residences.models import NewsIndexPage, NewsPage, ResidenceIndexPage, ResidencePage, SectorPage
from residences.places import label_places
from residences.scopes import Scope

register = template.Library()


@register.inclusion_tag("components/residence_finder.html", takes_context=True)
def residence_finder(context):
    """The "find my residence" form, pointing at the site's residences page when there is one."""
    index_page = ResidenceIndexPage.objects.live().first()
    return {"index_page": index_page, "request": context.get("request")}


@register.inclusion_tag("components/sector_directory.html", takes_context=True)
def sector_directory(context):
    """Every live sector with its residences: two queries whatever the size of the tree."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    sectors = SectorPage.objects.listed()
    residences = ResidencePage.objects.listed()
    if site is not None:
        sectors = sectors.descendant_of(site.root_page)
        residences = residences.descendant_of(site.root_page)
    residences = list(residences.only("title", "path", "url_path", "slug", "depth"))
    groups = [(s, [r for r in residences if r.path.startswith(s.path)]) for s in sectors]
    return {"groups": groups, "request": request}


@register.inclusion_tag("components/alert_banner.html")
def running_alerts(scope=None):
    """Alerts running now for a residence (its own, its sector's, landlord-wide) or the site."""
    alerts = Scope.of(scope).narrow(
        NewsPage.objects.running_alerts(), landlord=lambda qs: qs.landlord_wide()
    )
    return {"alerts": label_places(alerts.prefetch_related("buildings"))}


@register.inclusion_tag("components/news_list.html", takes_context=True)
def latest_news(context, scope=None, limit: int = 3):
    where = Scope.of(scope)
    news, query = where.narrow(NewsPage.objects.listed()), where.query
    return {
        "news": label_places(news.prefetch_related("buildings")[:limit]),
        "index": NewsIndexPage.objects.live().first(),
        "index_query": query,
        "request": context.get("request"),
    }


@register.inclusion_tag("residences/situations/help_link.html")
def help_request_link(page=None):
    """« Demander l'aide d'un médiateur »: for the residence the page sits in (its buildings
    pre-filled), or the general form on a page of no residence."""

    residence = Scope.containing(page).residence if page is not None else None
    return {"residence": residence}
