"""French public holidays by region, from the `holidays` library, named in French.

`PUBLIC_HOLIDAYS_REGION` names the landlord's region: `metropole`, `alsace-moselle` (Good Friday
and 26 December), or an overseas department (`guadeloupe`, `martinique`, `guyane`,
`la-reunion`, `mayotte`) or collectivity, each with its own days (the abolition of slavery on a
different date in each department, for example).
"""

from __future__ import annotations

from datetime import date
from functools import cache

import holidays

METROPOLE = "metropole"
ALSACE_MOSELLE = "alsace-moselle"

# Our setting's values → (the library's subdivision of France, the name shown to people).
REGIONS: dict[str, tuple[str | None, str]] = {
    METROPOLE: (None, "France métropolitaine"),
    ALSACE_MOSELLE: ("57", "Alsace-Moselle"),  # the Moselle (57) and Alsace (6AE) share the days
    "guadeloupe": ("971", "Guadeloupe"),
    "martinique": ("972", "Martinique"),
    "guyane": ("973", "Guyane"),
    "la-reunion": ("974", "La Réunion"),
    "mayotte": ("976", "Mayotte"),
    "saint-barthelemy": ("BL", "Saint-Barthélemy"),
    "saint-martin": ("MF", "Saint-Martin"),
    "saint-pierre-et-miquelon": ("PM", "Saint-Pierre-et-Miquelon"),
}


def region_name(region: str) -> str:
    return REGIONS[region][1]


@cache
def holidays_of(year: int, region: str = METROPOLE) -> dict[date, str]:
    """The public holidays of one year: date → French name."""
    if region not in REGIONS:
        raise ValueError(f"Unknown public holidays region {region!r}; one of {sorted(REGIONS)}")
    subdivision = REGIONS[region][0]
    found = holidays.country_holidays("FR", subdiv=subdivision, years=year, language="fr")
    return dict(sorted(found.items()))


def holidays_between(first: date, last: date, region: str = METROPOLE) -> dict[date, str]:
    found: dict[date, str] = {}
    for year in range(first.year, last.year + 1):
        found.update({d: n for d, n in holidays_of(year, region).items() if first <= d <= last})
    return found
