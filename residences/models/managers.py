"""QuerySet verbs for the place tree, in the business's words."""

from wagtail.models import PageManager, PageQuerySet


class SectorQuerySet(PageQuerySet):
    def listed(self):
        return self.live().public().order_by("path")


class ResidenceQuerySet(PageQuerySet):
    def listed(self):
        return self.live().public().order_by("title")


SectorManager = PageManager.from_queryset(SectorQuerySet)
ResidenceManager = PageManager.from_queryset(ResidenceQuerySet)
