"""Agenda and feed filters from the query string: invalid values are ignored, with a message."""

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models.categories import EventCategory
from events.models.event import Audience
from portal.filters import QueryFilterForm
from residences.models import ResidencePage, SectorPage

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
# Beyond these, turning a local date into UTC overflows (year 1 or 9999 was a 500).
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)


class Period:
    UPCOMING = ""
    TODAY = "aujourdhui"
    WEEK = "semaine"
    MONTH = "mois"
    DATES = "dates"
    CHOICES = [
        (UPCOMING, _("À venir")),
        (TODAY, _("Aujourd'hui")),
        (WEEK, _("Cette semaine")),
        (MONTH, _("Ce mois-ci")),
        (DATES, _("Entre deux dates")),
    ]


class SlugChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.title if hasattr(obj, "title") else str(obj)


class OccurrenceFilterForm(QueryFilterForm):
    """The filters shared by the agenda page and the events feed."""

    secteur = SlugChoiceField(
        queryset=SectorPage.objects.none(),
        to_field_name="slug",
        required=False,
        label=_("Secteur"),
        empty_label=_("Tous les secteurs"),
    )
    residence = SlugChoiceField(
        queryset=ResidencePage.objects.none(),
        to_field_name="slug",
        required=False,
        label=_("Résidence"),
        empty_label=_("Toutes les résidences"),
    )
    categorie = SlugChoiceField(
        queryset=EventCategory.objects.all(),
        to_field_name="slug",
        required=False,
        label=_("Catégorie"),
        empty_label=_("Toutes les catégories"),
    )

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["secteur"].queryset = SectorPage.objects.listed()
        self.fields["residence"].queryset = ResidencePage.objects.listed()

    def apply(self, occurrences):
        filters = self.valid_filters()
        if "secteur" in filters:
            occurrences = occurrences.in_sector(filters["secteur"])
        if "residence" in filters:
            occurrences = occurrences.for_residence(filters["residence"])
        if "categorie" in filters:
            occurrences = occurrences.filter(page__eventpage__category=filters["categorie"])
        return occurrences


class AgendaDateField(forms.DateField):
    """A day of the agenda, typed or picked; only years the agenda can show."""

    def __init__(self, **kwargs):
        super().__init__(required=False, input_formats=DATE_FORMATS, **kwargs)

    def validate(self, value):
        super().validate(value)
        if value and not FIRST_DAY <= value <= LAST_DAY:
            raise forms.ValidationError(
                _("Choisissez une date entre %(first)s et %(last)s."),
                code="out_of_range",
                params={"first": FIRST_DAY.year, "last": LAST_DAY.year},
            )


class AgendaFilterForm(OccurrenceFilterForm):
    public = forms.ChoiceField(
        choices=[("", _("Tous les publics"))] + list(Audience.choices),
        required=False,
        label=_("Public"),
    )
    periode = forms.ChoiceField(choices=Period.CHOICES, required=False, label=_("Période"))
    du = AgendaDateField(label=_("Du"))
    au = AgendaDateField(label=_("Au"))

    field_order = ["periode", "du", "au", "secteur", "residence", "categorie", "public"]

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("du"), cleaned.get("au")
        if first and last and last < first:
            self.add_error(
                "au", _("La date de fin doit être le même jour ou après la date de début.")
            )
        return cleaned

    def apply(self, occurrences):
        occurrences = super().apply(occurrences)
        filters = self.valid_filters()
        if "public" in filters:
            occurrences = occurrences.filter(page__eventpage__audience=filters["public"])
        first, last = self.date_range(filters)
        if first:
            occurrences = occurrences.on_or_after(first)
        if last:
            occurrences = occurrences.before(last + timedelta(days=1))
        return occurrences

    def date_range(self, filters: dict) -> tuple[date | None, date | None]:
        today = timezone.localdate()
        period = filters.get("periode", Period.UPCOMING)
        if period == Period.TODAY:
            return today, today
        if period == Period.WEEK:
            return today, today + timedelta(days=6 - today.weekday())
        if period == Period.MONTH:
            next_month = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
            return today, next_month - timedelta(days=1)
        return filters.get("du"), filters.get("au")
