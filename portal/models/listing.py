"""The base of the site's single listing pages (Résidences, Agenda, Permanences)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.models import Page


class ListingPage(Page):
    """One per site, right under the home page, with a short introduction and no children."""

    intro = models.TextField(_("introduction"), blank=True, max_length=500)
    # It lists every sector's content: any change anywhere makes its cached copy stale.
    cache_lists_everything = True

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        abstract = True
