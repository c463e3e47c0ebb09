"""An animation: one date, several days, or a recurring series with particular dates."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from events.forms import SchedulePageForm
from portal.blocks import BodyBlock

from .schedule_fields import ScheduleExceptionRow, SchedulePageMixin


class Audience(models.TextChoices):
    EVERYONE = "tout_public", _("Tout public")
    FAMILIES = "familles", _("Familles")
    CHILDREN = "enfants", _("Enfants")
    YOUTH = "jeunes", _("Jeunes")
    SENIORS = "seniors", _("Seniors")


class VenueMixin(models.Model):
    """Where it happens: a residence's common room, or a free address."""

    venue_residence = models.ForeignKey(
        "residences.ResidencePage",
        verbose_name=_("dans la salle commune de la résidence"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    venue_name = models.CharField(
        _("autre lieu"),
        max_length=150,
        blank=True,
        help_text=_("Par exemple « Parc Barbieux » ; laissez vide si c'est la salle commune."),
    )
    venue_address = models.CharField(_("adresse du lieu"), max_length=255, blank=True)
    access_details = models.TextField(
        _("accès"),
        blank=True,
        max_length=500,
        help_text=_("Accès de plain-pied, ascenseur, point de rendez-vous…"),
    )

    venue_panels = [
        MultiFieldPanel(
            [
                FieldPanel("venue_residence", widget=forms.Select),
                FieldPanel("venue_name"),
                FieldPanel("venue_address"),
                FieldPanel("access_details"),
            ],
            heading=_("Lieu"),
        )
    ]

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if not self.venue_residence_id and not self.venue_name:
            raise ValidationError(
                {
                    "venue_name": _(
                        "Choisissez la salle commune d'une résidence ou indiquez un lieu."
                    )
                }
            )

    @property
    def venue_label(self) -> str:
        if self.venue_name:
            return self.venue_name
        residence = self.venue_residence
        if residence is None:
            return ""
        room = residence.common_room_name or "Salle commune"
        return f"{room}, {residence.title}"

    @property
    def venue_full_address(self) -> str:
        if self.venue_address or self.venue_name:
            return self.venue_address
        residence = self.venue_residence
        if residence is None:
            return ""
        parts = [residence.common_room_location, residence.full_address]
        return " – ".join(p for p in parts if p)


class EventPage(SchedulePageMixin, VenueMixin, Page):  # noqa: DJ008 (Page.__str__)
    category = models.ForeignKey(
        "events.EventCategory",
        verbose_name=_("catégorie"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    audience = models.CharField(
        _("public"), max_length=20, choices=Audience.choices, default=Audience.EVERYONE
    )
    summary = models.CharField(
        _("en bref"),
        max_length=300,
        help_text=_("Une ou deux phrases, affichées dans l'agenda."),
    )
    body = StreamField(BodyBlock(), verbose_name=_("description"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image_alt = models.CharField(
        _("description de l'image"),
        max_length=250,
        blank=True,
        help_text=_(
            "Pour les personnes qui ne voient pas l'image. Laissez vide si elle est décorative."
        ),
    )
    organising_mediators = ParentalManyToManyField(
        "residences.MediatorProfile",
        verbose_name=_("médiateurs organisateurs"),
        blank=True,
        related_name="events",
    )
    organising_partners = ParentalManyToManyField(
        "residences.Partner",
        verbose_name=_("partenaires organisateurs"),
        blank=True,
        related_name="events",
    )
    price = models.CharField(
        _("tarif"), max_length=100, blank=True, help_text=_("Laissez vide si c'est gratuit.")
    )
    accessibility = models.TextField(
        _("accessibilité"),
        blank=True,
        max_length=500,
        help_text=_("Accès en fauteuil, boucle magnétique, traduction…"),
    )

    base_form_class = SchedulePageForm

    content_panels = (
        Page.content_panels
        + [
            FieldPanel("summary"),
            FieldPanel("category", widget=forms.Select),
            FieldPanel("audience"),
            FieldPanel("image"),
            FieldPanel("image_alt"),
            FieldPanel("body"),
        ]
        + VenueMixin.venue_panels
        + [
            MultiFieldPanel(
                [
                    FieldPanel("organising_mediators", widget=forms.CheckboxSelectMultiple),
                    FieldPanel("organising_partners", widget=forms.CheckboxSelectMultiple),
                ],
                heading=_("Organisation"),
            ),
            FieldPanel("price"),
            FieldPanel("accessibility"),
        ]
    )
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Contenu")),
            ObjectList(SchedulePageMixin.schedule_panels, heading=_("Dates")),
            ObjectList(Page.promote_panels, heading=_("Référencement")),
            ObjectList(Page.settings_panels, heading=_("Paramètres")),
        ]
    )
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("venue_name"),
        index.AutocompleteField("summary"),
        index.RelatedFields("category", [index.SearchField("name")]),
        index.FilterField("audience"),
    ]

    parent_page_types = ["portal.HomePage", "residences.SectorPage", "residences.ResidencePage"]
    subpage_types: list[str] = []
    template = "pages/event_page.html"

    class Meta:
        verbose_name = _("animation")
        verbose_name_plural = _("animations")

    def get_context(self, request, *args, **kwargs):
        from .occurrence import Occurrence

        context = super().get_context(request, *args, **kwargs)
        context["next_occurrences"] = list(Occurrence.objects.filter(page=self).upcoming()[:12])
        return context

    @property
    def price_label(self) -> str:
        return self.price or "Gratuit"


class EventException(Orderable, ScheduleExceptionRow):
    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="exceptions")

    class Meta(Orderable.Meta):
        verbose_name = _("date particulière")
        verbose_name_plural = _("dates particulières")
