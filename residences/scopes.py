"""Where something applies: one residence, one sector, or the whole landlord.

Every listing that is shown "for" a page (the home page, a sector page, a residence page) asks
the scope helper instead of testing the page's type itself: one rule, written once.
"""

from __future__ import annotations

from dataclasses import dataclass

from wagtail.models import Page

from portal.cache import ALL, depends_on, shown_by
from residences.models import ResidencePage, SectorPage


@dataclass(frozen=True)
class Scope:
    """A residence, a sector, or the landlord (neither).

    `Scope.of` names only the page itself (the querysets' `for_residence` finds the sector when
    it needs it); `Scope.containing` resolves both the residence and the sector above a page.
    """

    residence: ResidencePage | None = None
    sector: SectorPage | None = None

    @classmethod
    def of(cls, page: Page | None) -> Scope:
        """The scope a page stands for: a residence, a sector, or (any other page) the landlord."""
        specific = getattr(page, "specific", page)
        if isinstance(specific, ResidencePage):
            return cls(residence=specific)
        if isinstance(specific, SectorPage):
            return cls(sector=specific)
        return cls()

    @classmethod
    def containing(cls, page: Page) -> Scope:
        """The residence and sector a page sits under in the tree (itself included)."""
        ancestors = page.get_ancestors(inclusive=True).values("pk")
        return cls(
            residence=ResidencePage.objects.filter(pk__in=ancestors).first(),
            sector=SectorPage.objects.filter(pk__in=ancestors).first(),
        )

    @property
    def is_landlord(self) -> bool:
        return self.residence is None and self.sector is None

    @property
    def query(self) -> str:
        """The agenda or news filter that shows the same scope: « ?residence=les-tilleuls »."""
        if self.residence is not None:
            return f"?residence={self.residence.slug}"
        if self.sector is not None:
            return f"?secteur={self.sector.slug}"
        return ""

    def cache_tags(self) -> set[str]:
        """What a listing of this scope shows: the residence's or the sector's subtree and the
        levels above it (landlord-wide and the sector's own content), or everything."""
        place = self.residence or self.sector
        return shown_by(place, with_seats=False) if place is not None else {ALL}

    def narrow(self, queryset, *, landlord=None):
        """Apply the scope through the queryset's own verbs (`for_residence`, `in_sector`).

        `landlord` says what the landlord scope keeps; by default, everything. What is being
        cached then shows this scope (portal/cache/tree.py), and is stale when it changes.
        """
        depends_on(*self.cache_tags())
        if self.residence is not None:
            return queryset.for_residence(self.residence)
        if self.sector is not None:
            return queryset.in_sector(self.sector)
        return landlord(queryset) if landlord else queryset
