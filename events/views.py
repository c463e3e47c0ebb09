"""Public pages of the events app that are not Wagtail pages: help and printables."""

from datetime import date, datetime, time, timedelta

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from events.calendar.schedule import PARIS
from events.models import Occurrence
from events.registrations.models import signup_phone_for
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


@require_safe
def printable_permanences(request, slug: str):
    """An A4 page for the building hall: every permanence date of the month."""
    residence = get_object_or_404(ResidencePage.objects.listed(), slug=slug)
    first = month_from(request.GET.get("mois", ""))
    after = (first + timedelta(days=32)).replace(day=1)
    occurrences = (
        Occurrence.objects.permanences()
        .live()
        .for_residence(residence)
        .filter(
            start__gte=datetime.combine(first, time(0), tzinfo=PARIS),
            start__lt=datetime.combine(after, time(0), tzinfo=PARIS),
        )
        .select_related("page", "page__permanencepage")
        .order_by("start")
    )
    context = {
        "residence": residence,
        "month": first,
        "previous_month": (first - timedelta(days=1)).replace(day=1),
        "next_month": after,
        "occurrences": occurrences,
        "phone": signup_phone_for(residence),
    }
    return render(request, "print/permanences_month.html", context)
