"""Where a piece of news applies, in words: « Les Tilleuls – Bâtiment B », « Agence Nord »."""

from __future__ import annotations

from collections.abc import Iterable

from wagtail.models import Page

from residences.models import ResidencePage, SectorPage

LANDLORD = "Toutes les résidences"


def label_places(items: Iterable[Page]) -> list:
    """Label each news page's place (its `place_label`), in two queries for the whole list.

    News sit directly under a residence, a sector or the home page; their buildings (prefetched
    by the caller) narrow a residence down. Every residence has a « Bâtiment B »: the label
    always names the residence first.
    """
    items = list(items)
    parents = {item.path[: -Page.steplen] for item in items}
    titles = {
        page.path: page.title
        for model in (ResidencePage, SectorPage)
        for page in model.objects.filter(path__in=parents).only("path", "title")
    }
    for item in items:
        where = titles.get(item.path[: -Page.steplen], LANDLORD)
        buildings = ", ".join(b.name for b in item.buildings.all())
        item._place_label = f"{where} – {buildings}" if buildings else where
    return items
