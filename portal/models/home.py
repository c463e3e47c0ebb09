"""The home page: the root of a landlord's site."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from portal.blocks import BodyBlock


class HomePage(Page):
    # Next dates, news and the directory of every sector (portal/cache/tree.py).
    cache_lists_everything = True

    intro = models.TextField(
        _("message d'accueil"),
        blank=True,
        max_length=500,
        help_text=_("Une ou deux phrases affichées en haut de la page d'accueil."),
    )
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "residences.SectorPage",
        "residences.ResidenceIndexPage",
        "events.AgendaPage",
        "events.PermanenceIndexPage",
        "residences.NewsIndexPage",
        "residences.NewsPage",
        "events.EventPage",
        "portal.StandardPage",
    ]
    max_count_per_parent = 1
    template = "pages/home_page.html"

    class Meta:
        verbose_name = _("page d'accueil")
        verbose_name_plural = _("pages d'accueil")
