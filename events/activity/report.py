"""The activity report a mediator gives the landlord: what mediation achieved in a sector and period.

A user who covers only part of a sector (a group with rights on one residence) gets the figures of
that part only, titled « Secteur – Résidence » (SectorScope in events/activity/dashboard.py).
"""

import csv
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.activity.dashboard import SectorScope, editable_scopes
from events.calendar.schedule import PARIS, Status
from events.models import Occurrence, Registration

ROWS = [
    ("events_held", "Animations tenues (dates)"),
    ("events_distinct", "Animations différentes"),
    ("events_cancelled", "Dates d'animation annulées"),
    ("registrations", "Inscriptions confirmées"),
    ("people_registered", "Personnes inscrites"),
    ("people_present", "Personnes présentes (émargement)"),
    ("permanences_held", "Permanences tenues"),
    ("permanences_cancelled", "Permanences annulées"),
]

EVENT, PERMANENCE = Occurrence.Kind.EVENT, Occurrence.Kind.PERMANENCE
HELD = [Status.SCHEDULED, Status.MOVED]  # a date that took place, at its time or moved


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


@dataclass
class Period:
    first: date
    last: date

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(0), tzinfo=PARIS)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time(0), tzinfo=PARIS)


def last_month() -> Period:
    first_of_this = timezone.localdate().replace(day=1)
    last = first_of_this - timedelta(days=1)
    return Period(last.replace(day=1), last)


def figures(sector, period: Period) -> dict[str, int]:
    """Two aggregate queries, whatever the amount of data. `sector`: a SectorPage (all of it)
    or a SectorScope (what the user covers of it)."""
    now = timezone.now()
    scope = sector if isinstance(sector, SectorScope) else SectorScope(sector)
    occurrences = Occurrence.objects.filter(
        scope.occurrences(), start__gte=period.start, start__lt=period.end
    )
    held = Q(status__in=HELD, start__lt=now)
    counts = occurrences.aggregate(
        events_held=Count("pk", filter=Q(kind=EVENT) & held),
        events_distinct=Count("page", filter=Q(kind=EVENT) & held, distinct=True),
        events_cancelled=Count("pk", filter=Q(kind=EVENT, status=Status.CANCELLED)),
        permanences_held=Count("pk", filter=Q(kind=PERMANENCE) & held),
        permanences_cancelled=Count("pk", filter=Q(kind=PERMANENCE, status=Status.CANCELLED)),
    )
    registrations = Registration.objects.filter(
        occurrence__in=occurrences, status=Registration.Status.CONFIRMED
    ).aggregate(
        registrations=Count("pk"),
        people_registered=Sum("seats"),
        people_present=Sum("seats", filter=Q(attended=True)),
    )
    counts.update({k: v or 0 for k, v in registrations.items()})
    return counts


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
    sector = scope  # the templates' « sector »: its slug, and its title or « Secteur – Résidence »
    values = figures(scope, period)
    rows = [(label, values[key]) for key, label in ROWS]
    context = {"form": form, "sector": sector, "period": period, "rows": rows}
    output = request.GET.get("format")
    if output == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="activite-{sector.slug}-{period.first}-{period.last}.csv"'
        )
        response.write("\ufeff")
        writer = csv.writer(response, delimiter=";")
        writer.writerow(["Secteur", sector.title])
        writer.writerow(["Période", f"{period.first:%d/%m/%Y} – {period.last:%d/%m/%Y}"])
        writer.writerows(rows)
        return response
    template = (
        "print/activity_report.html"
        if output == "imprimer"
        else "wagtailadmin_custom/activity_report.html"
    )
    return TemplateResponse(request, template, context)
