"""Template tags for the shared page frame: navigation and breadcrumbs."""

from django import template

from wagtail.models import Page, Site

register = template.Library()


@register.inclusion_tag("navigation/main_navigation.html", takes_context=True)
def main_navigation(context):
    """The home page's live children marked "show in menus", in tree order."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return {"items": []}
    current = context.get("page")
    items = list(site.root_page.get_children().live().in_menu().public().specific(defer=True))
    for item in items:
        item.active = bool(current) and current.path.startswith(item.path)
    return {"items": items, "request": request}


@register.inclusion_tag("navigation/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, page: Page):
    """Ancestors below the Wagtail root; nothing on the home page itself."""
    ancestors = list(page.get_ancestors().filter(depth__gt=1)) if page.depth > 2 else []
    return {"ancestors": ancestors, "current": page, "request": context.get("request")}
