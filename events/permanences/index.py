"""The « Permanences » page: every permanence of the landlord, by sector and residence."""

from django.utils.translation import gettext_lazy as _

from events.permanences.statuses import pages_in_scope, statuses
from portal.models.listing import ListingPage
from residences.models import ResidencePage, SectorPage


class PermanenceIndexPage(ListingPage):
    """« Permanences » : every permanence, by sector and residence, with today's status."""

    template = "pages/permanence_index_page.html"

    class Meta:
        verbose_name = _("liste des permanences")
        verbose_name_plural = _("listes des permanences")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        items = statuses(pages_in_scope())
        sectors = list(SectorPage.objects.listed())
        residences = list(ResidencePage.objects.listed().order_by("path"))
        groups = []
        for sector in sectors:
            agency = [
                s
                for s in items
                if s.page.path[: len(sector.path)] == sector.path
                and s.page.depth == sector.depth + 1
            ]
            by_residence = [
                (r, [s for s in items if s.page.path.startswith(r.path)])
                for r in residences
                if r.path.startswith(sector.path)
            ]
            by_residence = [(r, found) for r, found in by_residence if found]
            if agency or by_residence:
                groups.append((sector, agency, by_residence))
        context["groups"] = groups
        return context
