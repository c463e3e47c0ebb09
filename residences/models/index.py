"""The "Résidences" page: every residence by sector, with a search by name or street."""

from django.utils.translation import gettext_lazy as _

from portal.models.listing import ListingPage
from residences.search import MAX_QUERY_LENGTH, matches


class ResidenceIndexPage(ListingPage):
    template = "pages/residence_index_page.html"

    class Meta:
        verbose_name = _("liste des résidences")
        verbose_name_plural = _("listes des résidences")

    def get_context(self, request, *args, **kwargs):
        from .residence import ResidencePage
        from .sector import SectorPage

        context = super().get_context(request, *args, **kwargs)
        query = request.GET.get("q", "").replace("\x00", "")[:MAX_QUERY_LENGTH].strip()
        residences = list(
            ResidencePage.objects.listed()
            .descendant_of(self.get_site().root_page)
            .prefetch_related("buildings")
        )
        if query:
            residences = [r for r in residences if matches(query, _haystacks(r))]
        sectors = SectorPage.objects.listed()
        context.update(
            query=query,
            result_count=len(residences),
            groups=_group_by_sector(sectors, residences),
        )
        return context


def _haystacks(residence) -> list[str]:
    return [residence.title, residence.address, residence.town, residence.postcode] + [
        building.address for building in residence.buildings.all()
    ]


def _group_by_sector(sectors, residences) -> list[tuple]:
    """[(sector, [residence, …]), …] in tree order, leaving out sectors with no match."""
    groups = []
    for sector in sectors:
        members = [r for r in residences if r.path.startswith(sector.path)]
        if members:
            groups.append((sector, members))
    return groups
