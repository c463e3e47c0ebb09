"""What every view of the Situations area shares: the team check and « never cache »."""

from __future__ import annotations

import csv
import functools

from django.http import HttpResponse
from django.views.decorators.cache import never_cache

from residences.situations.access import Team


def team_view(view):
    """The view gets the user's Team; anyone outside every sector's team is refused (403).
    `never_cache`: no browser or proxy keeps a copy (Cache-Control: no-store, private)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        team = Team.of(request.user)
        team.require_member()
        return view(request, team, *args, **kwargs)

    return never_cache(wrapped)


def safe_cell(value) -> str:
    """No spreadsheet formulas from what people typed (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_response(filename: str, rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # Excel opens UTF-8 with accents correctly
    writer = csv.writer(response, delimiter=";")
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return response
