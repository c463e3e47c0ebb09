"""A permanence: a mediator's recurring drop-in office hours, with its closures."""

from datetime import date, timedelta

from django import forms
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    InlinePanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.models import Orderable, Page, PageManager, PageQuerySet
from wagtail.search import index

from events.calendar.forms import PermanencePageForm
from events.calendar.holidays import holidays_between
from events.calendar.models import Occurrence
from events.calendar.schedule_fields import ScheduleExceptionRow, SchedulePageMixin
from events.models.venue import VenueMixin


class PermanenceQuerySet(PageQuerySet):
    def for_residence(self, residence):
        """A residence's own permanences and those held at its agency (the sector's level)."""
        sector = residence.sector
        in_sector = self.child_of(sector) if sector else self.none()
        return self.descendant_of(residence) | in_sector

    def in_sector(self, sector):
        return self.descendant_of(sector)


class PermanencePage(SchedulePageMixin, VenueMixin, Page):  # noqa: DJ008 (Page.__str__)
    occurrence_kind = "permanence"
    summary_column = "public_note"
    objects = PageManager.from_queryset(PermanenceQuerySet)()

    mediators = ParentalManyToManyField(
        "residences.MediatorProfile",
        verbose_name=_("médiateurs et médiatrices présents"),
        blank=True,
        related_name="permanences",
    )
    public_note = models.CharField(
        _("à savoir"),
        max_length=250,
        blank=True,
        help_text=_(
            "Par exemple « Sans rendez-vous » ou « Avec l'assistante sociale le 1er mardi »."
        ),
    )
    skip_public_holidays = models.BooleanField(
        _("fermée les jours fériés"),
        default=True,
        help_text=_(
            "Les jours fériés de la région du portail (métropole, Alsace-Moselle ou outre-mer) "
            "sont retirés automatiquement."
        ),
    )

    base_form_class = PermanencePageForm

    content_panels = (
        Page.content_panels
        + [
            FieldPanel("mediators", widget=forms.CheckboxSelectMultiple),
            FieldPanel("public_note"),
        ]
        + VenueMixin.venue_panels
    )
    closure_panels = [
        FieldPanel("skip_public_holidays"),
        InlinePanel(
            "closures",
            heading=_("Périodes de fermeture"),
            label=_("Période de fermeture"),
            help_text=_("Vacances scolaires, été… : aucune permanence pendant ces périodes."),
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Contenu")),
            ObjectList(SchedulePageMixin.schedule_panels, heading=_("Dates")),
            ObjectList(closure_panels, heading=_("Fermetures")),
            ObjectList(Page.promote_panels, heading=_("Référencement")),
            ObjectList(Page.settings_panels, heading=_("Paramètres")),
        ]
    )
    search_fields = Page.search_fields + [
        index.SearchField("public_note"),
        index.SearchField("venue_name"),
    ]

    parent_page_types = ["residences.SectorPage", "residences.ResidencePage"]
    subpage_types: list[str] = []
    placement_question = _("Où a lieu la permanence ?")  # residences.placement
    template = "pages/permanence_page.html"

    class Meta:
        verbose_name = _("permanence")
        verbose_name_plural = _("permanences")

    def closed_dates(self, horizon: date) -> frozenset[date]:
        closed: set[date] = set()
        if self.skip_public_holidays:
            closed.update(
                holidays_between(self.first_date, horizon, settings.PUBLIC_HOLIDAYS_REGION)
            )
        for closure in self.closures.all():
            day = closure.first_day
            while day <= min(closure.last_day, horizon):
                closed.add(day)
                day += timedelta(days=1)
        return frozenset(closed)

    def closure_fingerprint(self) -> list:
        rows = [(c.first_day, c.last_day, c.reason) for c in self.closures.all()]
        return [self.skip_public_holidays, settings.PUBLIC_HOLIDAYS_REGION, sorted(rows)]

    def closure_reason(self, day: date) -> str:
        """Why there is no permanence on a rule date: a closure period or a public holiday."""
        for closure in self.closures.all():
            if closure.first_day <= day <= closure.last_day:
                return closure.reason or "Fermeture"
        if self.skip_public_holidays:
            return holidays_between(day, day, settings.PUBLIC_HOLIDAYS_REGION).get(day, "")
        return ""

    def holidays_skipped(self, first: date, last: date) -> list[tuple[date, str]]:
        """Dates of the rule between `first` and `last` left out for a public holiday, named."""
        if not self.skip_public_holidays:
            return []
        found = holidays_between(first, last, settings.PUBLIC_HOLIDAYS_REGION)
        dates = self.get_schedule().local_dates(last)
        return [(day, found[day]) for day in dates if day >= first and day in found]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        upcoming = list(Occurrence.objects.filter(page=self).upcoming()[:12])
        context["next_occurrences"] = upcoming
        today = timezone.localdate()
        last = upcoming[-1].last_day if upcoming else today + timedelta(days=92)
        context["holidays_skipped"] = self.holidays_skipped(today, last)
        return context

    @property
    def summary(self) -> str:
        return self.public_note


class PermanenceException(Orderable, ScheduleExceptionRow):
    page = ParentalKey(PermanencePage, on_delete=models.CASCADE, related_name="exceptions")

    class Meta(Orderable.Meta):
        verbose_name = _("date particulière")
        verbose_name_plural = _("dates particulières")


class ClosurePeriod(Orderable):
    page = ParentalKey(PermanencePage, on_delete=models.CASCADE, related_name="closures")
    first_day = models.DateField(_("du"))
    last_day = models.DateField(_("au (inclus)"))
    reason = models.CharField(
        _("motif affiché"),
        max_length=150,
        blank=True,
        help_text=_("Par exemple « Vacances d'été »."),
    )

    panels = [FieldPanel("first_day"), FieldPanel("last_day"), FieldPanel("reason")]

    class Meta(Orderable.Meta):
        verbose_name = _("période de fermeture")
        verbose_name_plural = _("périodes de fermeture")

    def __str__(self) -> str:
        return f"{self.first_day} – {self.last_day}"
