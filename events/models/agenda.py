"""The agenda: upcoming occurrences across the site, grouped by day, filtered by the URL."""

from datetime import timedelta

from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from events.calendar.models import Occurrence
from events.filters import AgendaFilterForm
from portal.models.listing import ListingPage

PER_PAGE = 20


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
            lambda: Paginator(occurrences, PER_PAGE).get_page(page_number or None)
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
