"""The activity report as CSV (semicolons, UTF-8 with a BOM for spreadsheets): the same figures
as the page, each beside the same period a year before, then the breakdowns and the months."""

from __future__ import annotations

import csv
from typing import TYPE_CHECKING

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from events.calendar.schedule import PARIS
from events.registrations.admin_views import safe_cell

if TYPE_CHECKING:
    from django.http import HttpResponse

    from events.activity.figures import Breakdown, Period, Report


def _period(report_period: Period) -> str:
    return f"{report_period.first:%d/%m/%Y} – {report_period.last:%d/%m/%Y}"


def _breakdown(title: str, breakdown: Breakdown, place: str) -> list[list[str]]:
    header = [place]
    for column in breakdown.columns:
        header += [column, f"{column} ({_('un an avant')})"]
    rows = [[title], header]
    for group in breakdown.groups:
        row = [safe_cell(group.label)]
        for _column, value, last_year in group.cells:
            row += [str(value), str(last_year)]
        rows.append(row)
    return rows


def report_rows(place: str, report: Report) -> list[list[str]]:
    current, previous = _period(report.period), _period(report.previous)
    rows = [
        [_("Secteur"), safe_cell(place)],
        [_("Période"), current],
        [_("Même période un an avant"), previous],
        [],
        [_("Indicateur"), current, previous],
    ]
    rows += [[line.label, str(line.value), str(line.last_year)] for line in report.lines]
    rows.append([])
    rows += _breakdown(_("Par résidence"), report.residences, _("Résidence"))
    rows.append([])
    rows += _breakdown(_("Par catégorie"), report.categories, _("Catégorie"))
    rows += [
        [],
        [_("Participation par mois")],
        [
            _("Mois"),
            _("Personnes inscrites"),
            _("Personnes présentes"),
            f"{_('Personnes inscrites')} ({_('un an avant')})",
            f"{_('Personnes présentes')} ({_('un an avant')})",
        ],
    ]
    for month in report.months:
        rows.append(
            [
                date_format(month.month, "Y-m"),
                str(month.registered),
                str(month.present),
                str(month.registered_last_year),
                str(month.present_last_year),
            ]
        )
    rows += [
        [],
        [_("Dates annulées")],
        [_("Date"), _("Animation ou permanence"), _("Motif"), _("Personnes inscrites")],
    ]
    for cancelled in report.cancelled:
        rows.append(
            [
                f"{cancelled.start.astimezone(PARIS):%d/%m/%Y %H:%M}",
                safe_cell(cancelled.title),
                safe_cell(cancelled.reason),
                str(cancelled.people),
            ]
        )
    return rows


def write_csv(response: HttpResponse, place: str, report: Report) -> None:
    response.write("\ufeff")
    csv.writer(response, delimiter=";").writerows(report_rows(place, report))
