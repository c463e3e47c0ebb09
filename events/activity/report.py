"""The activity report a mediator gives the landlord: what mediation achieved in a sector and period.

A user who covers only part of a sector (a group with rights on one residence) gets the figures of
that part only, titled « Secteur – Résidence » (SectorScope in events/activity/dashboard.py). The
figures are in events/activity/figures.py, the chart's geometry in chart.py, the CSV in
report_csv.py; this view reads the form and picks the output (page, print and PDF, CSV).
"""

from datetime import date, timedelta

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from events.activity.chart import participation_chart
from events.activity.dashboard import editable_scopes
from events.activity.figures import ROWS, Period, build_report, figures
from events.activity.report_csv import write_csv
from portal.french import first_of_month

__all__ = ["ROWS", "Period", "activity_report", "figures"]


class ReportForm(forms.Form):
    secteur = forms.ChoiceField(label=_("Secteur"))
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

    def __init__(self, data, scopes):
        super().__init__(data)
        self.sectors = {s.slug: s for s in scopes}
        self.fields["secteur"].choices = [(s.slug, s.title) for s in scopes]

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("du"), cleaned.get("au")
        if first and last and last < first:
            self.add_error(
                "au", _("La date de fin doit être le même jour ou après la date de début.")
            )
        return cleaned


def last_month() -> Period:
    first_of_this = timezone.localdate().replace(day=1)
    last = first_of_this - timedelta(days=1)
    return Period(last.replace(day=1), last)


def day_label(day: date) -> str:
    """A day in the active language: « 1er novembre 2026 », « Nov. 1, 2026 »."""
    return first_of_month(date_format(day, "DATE_FORMAT"))


def period_label(period: Period) -> str:
    return gettext("du %(first)s au %(last)s") % {
        "first": day_label(period.first),
        "last": day_label(period.last),
    }


def activity_report(request):
    scopes = editable_scopes(request.user)
    if not scopes:
        raise PermissionDenied
    form = ReportForm(request.GET or {"secteur": scopes[0].slug}, scopes)
    period, scope = last_month(), scopes[0]
    if form.is_valid():
        scope = form.sectors[form.cleaned_data["secteur"]]
        default = last_month()
        period = Period(
            form.cleaned_data["du"] or default.first, form.cleaned_data["au"] or default.last
        )
    else:
        scope = form.sectors.get(request.GET.get("secteur"), scopes[0])
    report = build_report(scope, period)
    context = {
        "form": form,
        "sector": scope,  # its slug, and its title or « Secteur – Résidence »
        "period": period,
        "report": report,
        "rows": [(line.label, line.value) for line in report.lines],  # label -> this period
        "title": f"{scope.title} – {period_label(period)}",
        "period_label": period_label(period),
        "previous_label": period_label(report.previous),
        "breakdowns": [
            (gettext("Par résidence"), report.residences, gettext("Résidence")),
            (gettext("Par catégorie d'animation"), report.categories, gettext("Catégorie")),
        ],
        "chart": participation_chart(report.months),
        "report_printed": day_label(timezone.localdate()),
    }
    output = request.GET.get("format")
    if output == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="activite-{scope.slug}-{period.first}-{period.last}.csv"'
        )
        write_csv(response, scope.title, report)
        return response
    if output == "imprimer":
        from portal.pdf import printable

        filename = f"activite-{scope.slug}-{period.first}-{period.last}.pdf"
        return printable(request, "print/activity_report.html", context, filename)
    return TemplateResponse(request, "wagtailadmin_custom/activity_report.html", context)
