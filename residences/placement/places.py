"""The places a user covers: where they may file a new page, and what its forms may offer.

One rule, Wagtail's: a user may file a page under a residence, a sector or the home page (the
whole landlord) when they hold the « add » permission there (`PagePermissionPolicy`), and the
page type may live there (`parent_page_types`). Sector teams hold it on their sector
(residences.teams), so landlord-wide pages stay with administrators, or with a group an
administrator gave rights on the home page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from residences.models import ResidencePage, SectorPage


@dataclass
class SectorPlaces:
    """A sector as offered to the user: itself if they may file there, and its residences."""

    sector: SectorPage
    whole: bool  # the user may file under the sector itself
    residences: list[ResidencePage] = field(default_factory=list)


@dataclass
class Places:
    """Where the user may file a new page of one type, grouped for the step's list."""

    landlord: Page | None
    sectors: list[SectorPlaces]

    def ids(self) -> set[int]:
        found = {self.landlord.pk} if self.landlord is not None else set()
        for group in self.sectors:
            if group.whole:
                found.add(group.sector.pk)
            found.update(residence.pk for residence in group.residences)
        return found

    def __bool__(self) -> bool:
        return bool(self.ids())


def _addable(user: Any) -> QuerySet:
    return PagePermissionPolicy().instances_user_has_permission_for(user, "add")


def places_for(user: Any, model: type[Page]) -> Places:
    """The residences (by sector), sectors and landlord where `user` may create a `model`.

    Four queries whatever the size of the tree."""
    addable = _addable(user).values("pk")
    homes = Page.objects.filter(depth=2, pk__in=addable).order_by("path")
    landlord = next((home for home in homes if model.can_create_at(home)), None)
    allowed = set(SectorPage.objects.filter(pk__in=addable).values_list("pk", flat=True))
    residences = [
        residence
        for residence in ResidencePage.objects.filter(pk__in=addable).order_by("path")
        if model.can_create_at(residence)
    ]
    groups = []
    for sector in SectorPage.objects.order_by("path"):
        group = SectorPlaces(
            sector=sector,
            whole=sector.pk in allowed and model.can_create_at(sector),
            residences=[r for r in residences if r.path.startswith(sector.path)],
        )
        if group.whole or group.residences:
            groups.append(group)
    return Places(landlord=landlord, sectors=groups)


def covered_sectors(user: Any) -> QuerySet:
    """The sectors the user may edit something in: all of them, or those their rights reach
    (rights on a residence cover its sector for the lists of mediators and partners)."""
    if user.is_superuser:
        return SectorPage.objects.all()
    roots = [
        permission.page
        for permission in PagePermissionPolicy().get_cached_permissions_for_user(user)
        if permission.permission.codename == "change_page"
    ]
    sector_ids = [
        sector.pk
        for sector in SectorPage.objects.only("path")
        if any(sector.path.startswith(r.path) or r.path.startswith(sector.path) for r in roots)
    ]
    return SectorPage.objects.filter(pk__in=sector_ids)


def covered_residences(user: Any) -> QuerySet:
    """The residences the user may edit (every one for an administrator)."""
    editable = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    return ResidencePage.objects.filter(pk__in=editable.values("pk"))
