"""Public pages of the events app that are not Wagtail pages: help and printables."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from events.calendar.schedule import PARIS, Status
from events.models import Occurrence
from events.registrations.models import signup_phone_for
from portal.pdf import printable
from residences.models import ResidencePage


@require_safe
def subscription_help(request):
    """Step-by-step subscription instructions for Google, Apple, Outlook and Thunderbird."""
    return render(
        request, "pages/subscription_help.html", {"feed_path": request.GET.get("flux", "")}
    )


def month_from(value: str) -> date:
    """The first day of the month asked for as YYYY-MM, or of the current month."""
    try:
        parsed = datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        return timezone.localdate().replace(day=1)
    return parsed if 2000 <= parsed.year <= 2100 else timezone.localdate().replace(day=1)


def month_bounds(first: date) -> tuple[date, datetime, datetime]:
    """The next month's first day, and the month as an aware [start, end) in Paris time."""
    after = (first + timedelta(days=32)).replace(day=1)
    return (
        after,
        datetime.combine(first, time(0), tzinfo=PARIS),
        datetime.combine(after, time(0), tzinfo=PARIS),
    )


def month_sheet(residence: ResidencePage, first: date, after: date, phone: str, rows) -> dict:
    """The context of `print/base_month.html`: the residence, the month and its neighbours, the
    phone printed at the foot, and the rows of its table."""
    return {
        "residence": residence,
        "month": first,
        "previous_month": (first - timedelta(days=1)).replace(day=1),
        "next_month": after,
        "phone": phone,
        "rows": rows,
    }


@require_safe
def printable_permanences(request, slug: str):
    """An A4 page for the building hall: every permanence date of the month (`?pdf=1`: PDF)."""
    residence = get_object_or_404(ResidencePage.objects.listed(), slug=slug)
    first = month_from(request.GET.get("mois", ""))
    after, start, end = month_bounds(first)
    occurrences = (
        Occurrence.objects.permanences()
        .live()
        .for_residence(residence)
        .filter(start__gte=start, start__lt=end)
        .select_related("page", "page__permanencepage")
        .order_by("start")
    )
    context = month_sheet(residence, first, after, signup_phone_for(residence), occurrences)
    return printable(
        request,
        "print/permanences_month.html",
        context,
        filename=f"permanences-{residence.slug}-{first:%Y-%m}.pdf",
        public=True,
    )


@dataclass
class ProgrammeLine:
    """One row of the hall programme: a date of the month, or a date moved out of it."""

    occurrence: Occurrence
    day: datetime  # the local start it is listed under
    title: str
    venue: str
    signup: bool = False  # an event on registration
    phone: str = ""  # its own number to sign up, when it is not the sheet's
    moved_away: bool = False  # planned this month, now on another date


@require_safe
def printable_programme(request, slug: str):
    """The month's programme for a residence's hall: the events and permanences its page shows
    (its own, its sector's, the landlord's), cancelled and moved dates marked, the phone to
    register (`?pdf=1`: the same as a PDF)."""
    residence = get_object_or_404(ResidencePage.objects.listed(), slug=slug)
    first = month_from(request.GET.get("mois", ""))
    after, start, end = month_bounds(first)
    in_month = Q(start__lt=end, end__gt=start)
    planned_in_month = Q(previous_start__gte=start, previous_start__lt=end) | Q(
        previous_start__isnull=True,
        status=Status.MOVED,
        original_start__gte=start,
        original_start__lt=end,
    )
    occurrences = (
        Occurrence.objects.live()
        .for_residence(residence)
        .filter(in_month | planned_in_month)
        .select_related(
            "page",
            "page__eventpage",
            "page__eventpage__venue_residence",
            "page__eventpage__venue_partner",
            "page__permanencepage",
            "page__permanencepage__venue_residence",
            "page__permanencepage__venue_partner",
        )
        .order_by("start", "pk")
    )
    phone = signup_phone_for(residence)
    event_phones: dict[int, str] = {}
    lines = []
    for occurrence in occurrences:
        is_event = occurrence.kind == Occurrence.Kind.EVENT
        page = occurrence.page.eventpage if is_event else occurrence.page.permanencepage
        line = ProgrammeLine(
            occurrence=occurrence,
            day=occurrence.local_start,
            title=page.title,
            venue=occurrence.venue_note or page.venue_label,
        )
        if not (occurrence.start < end and occurrence.end > start):
            line.moved_away, line.day = True, timezone.localtime(occurrence.moved_from, PARIS)
        if is_event and page.registration_enabled:
            line.signup = True
            if page.pk not in event_phones:
                event_phones[page.pk] = signup_phone_for(page)
            line.phone = "" if event_phones[page.pk] == phone else event_phones[page.pk]
        lines.append(line)
    lines.sort(key=lambda line: (line.day, line.occurrence.pk))
    context = month_sheet(residence, first, after, phone, lines)
    return printable(
        request,
        "print/programme_month.html",
        context,
        filename=f"programme-{residence.slug}-{first:%Y-%m}.pdf",
        public=True,
    )
