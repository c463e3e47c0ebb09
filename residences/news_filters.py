"""Filters of the news index, from the query string; invalid values are ignored with a message."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.filters import QueryFilterForm

from .models import ResidencePage, SectorPage
from .models.news import NewsCategory


class NewsFilterForm(QueryFilterForm):
    residence = forms.ModelChoiceField(
        queryset=ResidencePage.objects.none(),
        to_field_name="slug",
        required=False,
        label=_("Résidence"),
        empty_label=_("Toutes les résidences"),
    )
    secteur = forms.ModelChoiceField(
        queryset=SectorPage.objects.none(),
        to_field_name="slug",
        required=False,
        label=_("Secteur"),
        empty_label=_("Tous les secteurs"),
    )
    categorie = forms.ChoiceField(
        choices=[("", _("Toutes les catégories"))] + list(NewsCategory.choices),
        required=False,
        label=_("Catégorie"),
    )

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["residence"].queryset = ResidencePage.objects.listed()
        self.fields["secteur"].queryset = SectorPage.objects.listed()
        self.fields["residence"].label_from_instance = lambda page: page.title
        self.fields["secteur"].label_from_instance = lambda page: page.title

    def apply(self, news):
        filters = self.valid_filters()
        if "residence" in filters:
            news = news.for_residence(filters["residence"])
        if "secteur" in filters:
            news = news.in_sector(filters["secteur"])
        if "categorie" in filters:
            news = news.filter(category=filters["categorie"])
        return news
