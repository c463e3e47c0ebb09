"""A residence (housing estate), its buildings and its common room."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from portal.blocks import RICH_TEXT_FEATURES
from portal.models.mixins import AddressMixin
from portal.validators import validate_latitude, validate_longitude, validate_phone

from .managers import ResidenceManager
from .slugs import UniqueSlugMixin


class ResidencePage(UniqueSlugMixin, AddressMixin, Page):
    # Content below it belongs to this residence (portal/cache/tree.py).
    cache_scope_root = True
    intro = RichTextField(_("présentation"), blank=True, features=RICH_TEXT_FEATURES)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Renseignez le texte alternatif de l'image dans la médiathèque."),
    )
    homes_count = models.PositiveIntegerField(_("nombre de logements"), null=True, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[validate_latitude],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[validate_longitude],
    )
    common_room_name = models.CharField(
        _("salle commune"),
        max_length=120,
        blank=True,
        help_text=_("Par exemple « Salle commune (LCR) »."),
    )
    common_room_location = models.CharField(
        _("emplacement de la salle commune"),
        max_length=255,
        blank=True,
        help_text=_("Par exemple « Rez-de-chaussée du bâtiment B, porte gauche »."),
    )
    caretaker_name = models.CharField(_("gardien ou gardienne"), max_length=120, blank=True)
    caretaker_phone = models.CharField(
        _("téléphone de la loge"), max_length=30, blank=True, validators=[validate_phone]
    )
    caretaker_hours = models.CharField(
        _("horaires de la loge"),
        max_length=255,
        blank=True,
        help_text=_("Par exemple « Du lundi au vendredi, 8h–12h »."),
    )
    accessibility_notes = models.TextField(
        _("accessibilité"),
        blank=True,
        max_length=1000,
        help_text=_("Accès de plain-pied, ascenseur, places réservées…"),
    )
    mediators = ParentalManyToManyField(
        "residences.MediatorProfile",
        verbose_name=_("médiateurs et médiatrices"),
        blank=True,
        related_name="residences",
    )

    objects = ResidenceManager()

    content_panels = (
        Page.content_panels
        + [FieldPanel("intro"), FieldPanel("photo")]
        + AddressMixin.address_panels
        + [
            MultiFieldPanel(
                [
                    FieldPanel("homes_count"),
                    FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                ],
                heading=_("Situation"),
            ),
            InlinePanel("buildings", heading=_("Bâtiments"), label=_("Bâtiment")),
            MultiFieldPanel(
                [FieldPanel("common_room_name"), FieldPanel("common_room_location")],
                heading=_("Salle commune"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("caretaker_name"),
                    FieldPanel("caretaker_phone"),
                    FieldPanel("caretaker_hours"),
                ],
                heading=_("Loge du gardien"),
            ),
            FieldPanel("mediators", widget=forms.CheckboxSelectMultiple),
            FieldPanel("accessibility_notes"),
        ]
    )
    search_fields = Page.search_fields + [
        index.SearchField("address"),
        index.SearchField("town"),
        index.AutocompleteField("address"),
    ]

    parent_page_types = ["residences.SectorPage"]
    subpage_types = ["residences.NewsPage", "events.EventPage", "events.PermanencePage"]
    template = "pages/residence_page.html"
    slug_taken_message = _("Une autre résidence utilise déjà cet identifiant d'URL.")

    class Meta:
        verbose_name = _("résidence")
        verbose_name_plural = _("résidences")

    def clean(self):
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            message = _("Indiquez la latitude et la longitude, ou aucune des deux.")
            field = "longitude" if self.longitude is None else "latitude"
            raise ValidationError({field: message})

    @property
    def sector(self):
        from .sector import SectorPage

        return SectorPage.objects.ancestor_of(self).first()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        sector = self.sector
        context.update(
            sector=sector,
            buildings=self.buildings.all(),
            mediators=self.mediators.order_by("last_name", "first_name"),
            partners=sector.partners.order_by("name") if sector else [],
        )
        return context

    @property
    def map_url(self) -> str:
        if self.latitude is None or self.longitude is None:
            return ""
        # geo: does nothing on iPhone; OpenStreetMap opens in every browser and offers the route.
        lat, lon = self.latitude, self.longitude
        return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=18/{lat}/{lon}"


class Building(Orderable):
    residence = ParentalKey(ResidencePage, on_delete=models.CASCADE, related_name="buildings")
    name = models.CharField(_("nom"), max_length=60, help_text=_("Par exemple « Bâtiment A »."))
    entrances = models.CharField(
        _("entrées ou cages d'escalier"),
        max_length=120,
        blank=True,
        help_text=_("Par exemple « Entrées 1 à 3 »."),
    )
    address = models.CharField(_("adresse du bâtiment"), max_length=255, blank=True)

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("entrances")]), FieldPanel("address")]

    class Meta(Orderable.Meta):
        verbose_name = _("bâtiment")
        verbose_name_plural = _("bâtiments")

    def __str__(self) -> str:
        return self.name
