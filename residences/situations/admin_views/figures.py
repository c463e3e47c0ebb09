"""« Bilan des situations »: the anonymous figures of a period, on screen and as CSV."""

from __future__ import annotations

from django import forms
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from residences.situations import figures as compute

from .common import csv_response, team_view

ALL = "tous"


class PeriodForm(forms.Form):
    secteur = forms.ChoiceField(label=_("Secteur"), required=False)
    du = forms.DateField(
        label=_("Du"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    au = forms.DateField(
        label=_("Au (inclus)"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, data, sectors):
        super().__init__(data)
        self.fields["secteur"].choices = [(ALL, _("Tous mes secteurs"))] + [
            (str(s.pk), s.title) for s in sectors
        ]

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("du"), cleaned.get("au")
        if first and last and last < first:
            self.add_error(
                "au", _("La date de fin doit être le même jour ou après la date de début.")
            )
        return cleaned


def period_and_sectors(request, team):
    sectors = list(team.sectors())
    form = PeriodForm(request.GET or None, sectors)
    first, last = compute.last_month(timezone.localdate())
    chosen, label = sorted(team.sector_ids), str(_("Tous mes secteurs"))
    if form.is_bound and form.is_valid():
        first = form.cleaned_data["du"] or first
        last = form.cleaned_data["au"] or last
        wanted = form.cleaned_data["secteur"]
        for sector in sectors:
            if str(sector.pk) == wanted:
                chosen, label = [sector.pk], sector.title
    if len(sectors) == 1:
        label = sectors[0].title
    return form, first, last, chosen, label


@team_view
def figures_view(request, team):
    form, first, last, chosen, label = period_and_sectors(request, team)
    figures = compute.compute(chosen, first, last)
    if request.GET.get("format") == "csv":
        return csv_response(
            f"bilan-situations-{first:%Y-%m-%d}-{last:%Y-%m-%d}.csv",
            compute.csv_rows(figures, label),
        )
    context = {"form": form, "figures": figures, "label": label, "query": request.GET.urlencode()}
    return TemplateResponse(request, "residences/situations/admin/figures.html", context)
