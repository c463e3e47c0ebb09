"""The agenda: upcoming occurrences across the site, grouped by day, filtered by the URL."""

from datetime import timedelta

from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import gettext_lazy as _

from events.calendar.models import Occurrence
from events.filters import AgendaFilterForm
from portal.models.listing import ListingPage

PER_PAGE = 20
# Counting every upcoming date grows with the site (a year of weekly series is tens of
# thousands of dates); counting up to here does not. Beyond it the page says « Plus de 200 ».
COUNT_CAP = 200


class CappedPaginator(Paginator):
    """Pages of dates counted only as far as needed: `cap`, or the page asked for, plus one.

    The one more tells whether a next page exists; past `reach` the total is « plus de … »,
    honestly, and the pages are numbered without « sur N ».
    """

    def __init__(self, object_list, per_page: int, cap: int, number: int) -> None:
        super().__init__(object_list, per_page)
        self.reach = max(cap, number * per_page)

    @cached_property
    def count(self) -> int:
        return self.object_list[: self.reach + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.reach


def page_wanted(text: str) -> int:
    """The page number the URL asks for (1 when it asks for none or for nonsense)."""
    return int(text) if text.isdigit() and int(text) > 0 else 1


class AgendaPage(ListingPage):
    template = "pages/agenda_page.html"

    class Meta:
        verbose_name = _("agenda")
        verbose_name_plural = _("agendas")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        form = AgendaFilterForm(request.GET or None)
        occurrences = form.apply(Occurrence.objects.events().live().upcoming()).select_related(
            "page",
            "page__eventpage",
            "page__eventpage__category",
            "page__eventpage__venue_residence",
        )
        page_number = request.GET.get("page", "")[:12]
        # Lazy: a cached results fragment (see the template) runs none of these queries.
        page_obj = SimpleLazyObject(
            lambda: CappedPaginator(
                occurrences, PER_PAGE, COUNT_CAP, page_wanted(page_number)
            ).get_page(page_number or None)
        )
        context.update(
            form=form,
            page_obj=page_obj,
            days=SimpleLazyObject(lambda: group_by_day(page_obj.object_list)),
            filter_params=form.query_params(),
            page_number=page_number,
        )
        return context


def day_label(day, today) -> str:
    if day == today:
        return "Aujourd'hui"
    if day == today + timedelta(days=1):
        return "Demain"
    return date_format(day, "l j F" if day.year == today.year else "l j F Y")


def group_by_day(occurrences) -> list[tuple[str, list]]:
    """[("Aujourd'hui", [occurrence, …]), ("jeudi 12 mars", […]), …] in start order."""
    today = timezone.localdate()
    groups: list[tuple] = []
    for occurrence in occurrences:
        day = max(occurrence.local_start.date(), today)
        if not groups or groups[-1][0] != day:
            groups.append((day, []))
        groups[-1][1].append(occurrence)
    return [(day_label(day, today), items) for day, items in groups]
