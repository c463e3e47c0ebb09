"""A plain content page: accessibility statement, legal notice, privacy, help."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from portal.blocks import BodyBlock


class StandardPage(Page):
    intro = models.TextField(_("chapeau"), blank=True, max_length=500)
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["portal.HomePage", "portal.StandardPage"]
    subpage_types = ["portal.StandardPage"]
    template = "pages/standard_page.html"

    class Meta:
        verbose_name = _("page simple")
        verbose_name_plural = _("pages simples")
