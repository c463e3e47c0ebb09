"""A sector: an agency or neighbourhood, the unit mediators' rights are scoped to."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.models import Page
from wagtail.search import index

from portal.models.mixins import AddressMixin, ContactMixin

from .managers import SectorManager
from .slugs import UniqueSlugMixin


class SectorPage(UniqueSlugMixin, AddressMixin, ContactMixin, Page):
    class Kind(models.TextChoices):
        AGENCY = "agence", _("Agence")
        NEIGHBOURHOOD = "quartier", _("Quartier")

    # Content below it belongs to this sector: a change there leaves other sectors cached.
    cache_scope_root = True

    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.AGENCY)
    intro = models.TextField(_("présentation"), blank=True, max_length=1000)
    opening_hours = models.TextField(
        _("horaires d'ouverture"),
        blank=True,
        max_length=500,
        help_text=_("Une ligne par plage, par exemple « Lundi au vendredi : 9h–12h, 14h–17h »."),
    )

    objects = SectorManager()

    content_panels = (
        Page.content_panels
        + [FieldPanel("kind"), FieldPanel("intro")]
        + AddressMixin.address_panels
        + ContactMixin.contact_panels
        + [FieldPanel("opening_hours")]
    )
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("town"),
        index.AutocompleteField("town"),
    ]

    parent_page_types = ["portal.HomePage"]
    subpage_types = [
        "residences.ResidencePage",
        "residences.NewsPage",
        "events.EventPage",
        "events.PermanencePage",
    ]
    template = "pages/sector_page.html"
    slug_taken_message = _("Un autre secteur utilise déjà cet identifiant d'URL.")

    class Meta:
        verbose_name = _("secteur")
        verbose_name_plural = _("secteurs")

    @property
    def opening_hours_lines(self) -> list[str]:
        return [line.strip() for line in self.opening_hours.splitlines() if line.strip()]

    def get_context(self, request, *args, **kwargs):
        from .residence import ResidencePage

        context = super().get_context(request, *args, **kwargs)
        context["residences"] = ResidencePage.objects.listed().child_of(self)
        context["mediators"] = self.mediators.order_by("last_name", "first_name")
        context["partners"] = self.partners.order_by("name")
        return context
