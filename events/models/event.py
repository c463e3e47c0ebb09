"""An animation: one date, several days, or a recurring series with particular dates."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from events.calendar.forms import SchedulePageForm
from events.calendar.models import Occurrence
from events.calendar.schedule import Status
from events.calendar.schedule_fields import ScheduleExceptionRow, SchedulePageMixin
from events.registrations.models import RegistrationSettingsMixin
from portal.blocks import BodyBlock

from .venue import VenueMixin

NEXT_DATES = 12
ALL_DATES = 400  # every date up to the horizon, even for a weekly series


class Audience(models.TextChoices):
    EVERYONE = "tout_public", _("Tout public")
    FAMILIES = "familles", _("Familles")
    CHILDREN = "enfants", _("Enfants")
    YOUTH = "jeunes", _("Jeunes")
    SENIORS = "seniors", _("Seniors")


class EventPage(  # noqa: DJ008 (Page.__str__)
    SchedulePageMixin, VenueMixin, RegistrationSettingsMixin, Page
):
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
            ObjectList(RegistrationSettingsMixin.registration_panels, heading=_("Inscriptions")),
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
    placement_question = _("Où a lieu l'animation ?")  # residences.placement

    class Meta:
        verbose_name = _("animation")
        verbose_name_plural = _("animations")

    def get_context(self, request, *args, **kwargs):

        context = super().get_context(request, *args, **kwargs)
        # Lazy, with seat counts in the same query: the cached dates fragment may need neither.
        upcoming = Occurrence.objects.filter(page=self).upcoming().select_related("seats")
        show_all = request.GET.get("toutes") == "1"
        # « Prochaines dates » take place; cancelled ones are listed apart, never counted in.
        held = upcoming.exclude(status=Status.CANCELLED)
        context["next_occurrences"] = held[: ALL_DATES if show_all else NEXT_DATES]
        context["cancelled_occurrences"] = upcoming.filter(status=Status.CANCELLED)[:NEXT_DATES]
        context["all_dates"] = show_all
        context["more_dates"] = (not show_all) and held[NEXT_DATES : NEXT_DATES + 1]
        return context

    @property
    def price_label(self) -> str:
        return self.price or "Gratuit"


class EventException(Orderable, ScheduleExceptionRow):
    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="exceptions")

    class Meta(Orderable.Meta):
        verbose_name = _("date particulière")
        verbose_name_plural = _("dates particulières")
