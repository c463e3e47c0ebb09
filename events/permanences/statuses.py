"""What tenants need to know about permanences: is it on today, and when are the next ones."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db.models import Prefetch
from django.utils import timezone

from events.calendar.models import Occurrence
from events.calendar.schedule import PARIS, Status, format_time
from events.permanences.models import PermanencePage
from residences.models import MediatorProfile
from residences.scopes import Scope

LOOKAHEAD_DAYS = 62
NEXT_DATES = 3


@dataclass
class PermanenceStatus:
    page: PermanencePage
    today: Occurrence | None = None
    closed_today: str = ""
    upcoming: list[Occurrence] = field(default_factory=list)
    cancelled: list[Occurrence] = field(default_factory=list)  # up to the last upcoming date

    @property
    def today_text(self) -> str:
        """« Permanence aujourd'hui 14h–17h », « Annulée aujourd'hui : formation »…"""
        if self.today is not None:
            hours = f"{format_time(self.today.local_start.time())}–{format_time(self.today.local_end.time())}"
            if self.today.status == Status.CANCELLED:
                reason = f" : {self.today.reason}" if self.today.reason else ""
                return f"Annulée aujourd'hui{reason}"
            if (
                self.today.status == Status.MOVED
                and self.today.local_start.date() != timezone.localdate()
            ):
                return "Déplacée, pas de permanence aujourd'hui"
            now = timezone.now()
            if self.today.end <= now:
                return f"Permanence terminée pour aujourd'hui ({hours})"
            if self.today.start <= now:
                return f"Permanence en cours, jusqu'à {format_time(self.today.local_end.time())}"
            return f"Permanence aujourd'hui {hours}"
        if self.closed_today:
            return f"Pas de permanence aujourd'hui : {self.closed_today}"
        return ""

    @property
    def is_over_today(self) -> bool:
        return bool(self.today and self.today.end <= timezone.now())

    @property
    def is_cancelled_today(self) -> bool:
        return bool(self.today and self.today.status == Status.CANCELLED) or bool(self.closed_today)


def pages_in_scope(scope=None):
    """Live permanences of a residence (and its agency's), of a sector, or of the whole site."""
    pages = Scope.of(scope).narrow(PermanencePage.objects.live().public())
    return (
        pages.select_related("venue_residence", "venue_partner")
        .prefetch_related(
            Prefetch("mediators", queryset=MediatorProfile.objects.order_by("last_name")),
            "closures",  # read by closure_reason() on a closed day, once per permanence
        )
        .order_by("path")
    )


def statuses(pages) -> list[PermanenceStatus]:
    """Today's status and the next dates of each page, in two queries whatever their number."""
    pages = list(pages)
    today = timezone.localdate()
    start_of_today = datetime.combine(today, time(0), tzinfo=PARIS)
    now = timezone.now()
    rows = Occurrence.objects.filter(
        page_id__in=[p.pk for p in pages],
        end__gt=start_of_today,
        start__lt=start_of_today + timedelta(days=LOOKAHEAD_DAYS),
    ).order_by("start", "pk")
    by_page: dict[int, list[Occurrence]] = {p.pk: [] for p in pages}
    for row in rows:
        by_page[row.page_id].append(row)
    result = []
    for page in pages:
        status = PermanenceStatus(page)
        for row in by_page[page.pk]:
            if (
                row.original_start.astimezone(PARIS).date() == today
                or row.local_start.date() == today
            ):
                status.today = status.today or row
            if row.end <= now or len(status.upcoming) >= NEXT_DATES:
                continue
            # « Prochaines dates » are dates that take place; cancellations among them apart.
            if row.status == Status.CANCELLED:
                status.cancelled.append(row)
            else:
                status.upcoming.append(row)
        if status.today is None:
            status.closed_today = closure_today(page, today)
        result.append(status)
    return result


def closure_today(page: PermanencePage, today) -> str:
    """The reason when today is a date of the rule but the permanence is closed."""
    schedule = page.get_schedule()
    if today < schedule.first_date or today not in schedule.local_dates(today):
        return ""
    return page.closure_reason(today)
