"""Template tags for the shared page frame: navigation, breadcrumbs, cached fragments."""

from django import template

from wagtail.models import Page, Site

from portal.cache import ALL, cached_fragment, depends_on, fragment_key, shown_by

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


@register.filter
def minutes(duration) -> int:
    """A timedelta in whole minutes (at least 1)."""
    return max(1, round(duration.total_seconds() / 60)) if duration else 1


class CachedNode(template.Node):
    def __init__(self, nodelist, kind, parts, with_seats):
        self.nodelist, self.kind, self.parts, self.with_seats = nodelist, kind, parts, with_seats

    def render(self, context):
        request = context.get("request")
        if request is None or getattr(request, "is_preview", False):
            # A preview shows a draft: it must neither read the public fragment nor write it.
            return self.nodelist.render(context)
        parts = [str(part.resolve(context)) for part in self.parts]
        page = context.get("page")

        def render():
            if page is not None:
                depends_on(*shown_by(page, with_seats=self.with_seats))
            return self.nodelist.render(context)

        return cached_fragment(fragment_key(self.kind, *parts), render, default=(ALL,))


@register.tag
def cached(parser, token):
    """{% cached "kind" part… [seats] %}…{% endcached %}: the block, cached until what its page
    shows changes (see portal/cache/tree.py). Parts name what the block varies on (a page id, the
    filters); a trailing ``seats`` makes the page's registration counts part of what it shows."""
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("{% cached %} needs a fragment name.")
    with_seats = bits[-1] == "seats"
    if with_seats:
        bits = bits[:-1]
    nodelist = parser.parse(("endcached",))
    parser.delete_first_token()
    kind = bits[0].strip("\"'")
    return CachedNode(nodelist, kind, [parser.compile_filter(bit) for bit in bits[1:]], with_seats)
