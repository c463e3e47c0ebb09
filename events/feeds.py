"""Calendar feeds and downloads: plain Django views (Wagtail routes cannot hold a dot)."""

import hashlib

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition, require_safe

from events import ical
from events.filters import OccurrenceFilterForm
from events.models import EventPage, Occurrence, SeriesVersion

CONTENT_TYPE = "text/calendar; charset=utf-8"


def export_for(page, occurrences, version, request) -> ical.SeriesExport:
    location = ", ".join(part for part in (page.venue_label, page.venue_full_address) if part)
    return ical.SeriesExport(
        uid_base=f"{page.occurrence_kind}-{page.pk}",
        title=page.title,
        url=request.build_absolute_uri(page.get_url(request)),
        schedule=page.get_schedule(),
        occurrences=occurrences,
        sequence=version.sequence if version else 0,
        modified=version.modified if version else page.last_published_at,
        description=getattr(page, "summary", ""),
        location=location,
    )


def calendar_response(body: bytes, filename: str, inline: bool = True) -> HttpResponse:
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    patch_cache_control(response, public=True, max_age=15 * 60)
    return response


def feed_pages(request) -> list[int]:
    """Ids of the live events the query string selects (unknown filters are ignored)."""
    form = OccurrenceFilterForm(request.GET or None)
    scoped = form.apply(Occurrence.objects.events().live())
    return sorted(set(scoped.values_list("page_id", flat=True)))


def feed_etag(request, *args, **kwargs) -> str:
    """From the pages' calendar versions only: answering 304 builds nothing."""
    page_ids = feed_pages(request)
    versions = SeriesVersion.objects.filter(page_id__in=page_ids).values_list(
        "page_id", "sequence", "modified"
    )
    digest = hashlib.sha256(repr(sorted(versions)).encode()).hexdigest()[:32]
    return f'"{digest}"'


@require_safe
@condition(etag_func=feed_etag)
def events_feed(request):
    page_ids = feed_pages(request)
    pages = (
        EventPage.objects.filter(pk__in=page_ids).select_related("venue_residence").order_by("pk")
    )
    body = ical.build_calendar(feed_name(request), exports(pages, request))
    return calendar_response(body, "evenements.ics")


def exports(pages, request) -> list[ical.SeriesExport]:
    pages = list(pages)
    ids = [page.pk for page in pages]
    by_page: dict[int, list] = {pk: [] for pk in ids}
    for occurrence in Occurrence.objects.filter(page_id__in=ids).order_by("start", "pk"):
        by_page[occurrence.page_id].append(occurrence)
    versions = {v.page_id: v for v in SeriesVersion.objects.filter(page_id__in=ids)}
    return [export_for(p, by_page[p.pk], versions.get(p.pk), request) for p in pages]


def feed_name(request) -> str:
    form = OccurrenceFilterForm(request.GET or None)
    filters = form.valid_filters()
    scope = filters.get("residence") or filters.get("secteur")
    name = f"Animations – {scope.title}" if scope else "Animations"
    if "categorie" in filters:
        name += f" ({filters['categorie'].name})"
    return f"{name} – {settings.WAGTAIL_SITE_NAME}"


@require_safe
def series_ics(request, page_id: int):
    page = get_object_or_404(EventPage.objects.live(), pk=page_id)
    body = ical.build_calendar(page.title, exports([page], request))
    return calendar_response(body, f"{page.slug}.ics", inline=False)


@require_safe
def occurrence_ics(request, pk: int):
    occurrence = get_object_or_404(Occurrence.objects.events().live(), pk=pk)
    page = occurrence.page.specific
    if not isinstance(page, EventPage):
        raise Http404
    item = exports([page], request)[0]
    body = ical.build_single(page.title, item, occurrence)
    filename = f"{page.slug}-{occurrence.local_start:%Y-%m-%d}.ics"
    return calendar_response(body, filename, inline=False)
