"""Materialised occurrences: what tenants see, what feeds export, what sign-ups will hang on."""

from datetime import date, datetime, time, timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.schedule import PARIS, Status


class OccurrenceQuerySet(models.QuerySet):
    def upcoming(self, now: datetime | None = None):
        """Not yet over (an occurrence in progress still counts), soonest first."""
        return self.filter(end__gt=now or timezone.now()).order_by("start", "pk")

    def events(self):
        return self.filter(kind=Occurrence.Kind.EVENT)

    def permanences(self):
        return self.filter(kind=Occurrence.Kind.PERMANENCE)

    def live(self):
        """Dates of published pages (a flag on the row: counting needs no join with pages)."""
        return self.filter(listed=True)

    def for_residence(self, residence):
        """What concerns a residence: its own, its sector's and the landlord-wide occurrences."""
        return self.filter(
            Q(residence=residence)
            | Q(residence__isnull=True, sector_id=_sector_id_of(residence))
            | Q(residence__isnull=True, sector__isnull=True)
        )

    def in_sector(self, sector):
        """Everything in a sector, its residences included, and the landlord-wide occurrences."""
        return self.filter(Q(sector=sector) | Q(sector__isnull=True))

    def on_or_after(self, day: date):
        return self.filter(end__gt=datetime.combine(day, time(0), tzinfo=PARIS))

    def before(self, day: date):
        """Starting before the given local date (exclusive)."""
        return self.filter(start__lt=datetime.combine(day, time(0), tzinfo=PARIS))

    def between(self, first: date, last: date):
        return self.on_or_after(first).before(last + timedelta(days=1))


def _sector_id_of(residence):
    from residences.models import SectorPage

    return SectorPage.objects.ancestor_of(residence).values("pk")[:1]


class Occurrence(models.Model):
    class Kind(models.TextChoices):
        EVENT = "event", _("Animation")
        PERMANENCE = "permanence", _("Permanence")

    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        related_name="occurrences",
    )
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    original_start = models.DateTimeField(
        _("début prévu"),
        help_text=_("Identifie la date dans la série, même quand elle est déplacée."),
    )
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))
    all_day = models.BooleanField(_("journée entière"), default=False)
    status = models.CharField(
        _("statut"), max_length=12, choices=Status.choices, default=Status.SCHEDULED
    )
    is_extra = models.BooleanField(_("date supplémentaire"), default=False)
    # False only for dates kept after their page was unpublished (people were registered).
    listed = models.BooleanField(_("page publiée"), default=True)
    reason = models.CharField(_("motif"), max_length=200, blank=True)
    venue_note = models.CharField(_("lieu modifié"), max_length=200, blank=True)
    residence = models.ForeignKey(
        "residences.ResidencePage",
        verbose_name=_("résidence"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sector = models.ForeignKey(
        "residences.SectorPage",
        verbose_name=_("secteur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = OccurrenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("date")
        verbose_name_plural = _("dates")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "original_start"], name="occurrence_unique_in_series"
            ),
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="occurrence_ends_after_start"
            ),
        ]
        indexes = [
            # What is still upcoming, of published pages: the agenda's count is an index-only scan.
            models.Index(fields=["kind", "listed", "end", "start"]),
            # The agenda's "next dates" in start order: an index scan that stops after a page.
            models.Index(fields=["kind", "start", "id"]),
            models.Index(fields=["residence", "start"]),
            models.Index(fields=["sector", "start"]),
        ]

    def __str__(self) -> str:
        return f"{self.page_id} @ {self.start:%Y-%m-%d %H:%M}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == Status.CANCELLED

    @property
    def is_moved(self) -> bool:
        return self.status == Status.MOVED

    @property
    def local_start(self) -> datetime:
        return timezone.localtime(self.start, PARIS)

    @property
    def local_end(self) -> datetime:
        return timezone.localtime(self.end, PARIS)

    @property
    def last_day(self) -> date:
        """The last calendar day it covers (an all-day end is exclusive midnight)."""
        end = self.local_end
        return (end - timedelta(days=1)).date() if self.all_day else end.date()

    @property
    def spans_days(self) -> bool:
        return self.last_day != self.local_start.date()


class SeriesVersion(models.Model):
    """Calendar bookkeeping kept off the page: a Wagtail publish rewrites every page field."""

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="series_version"
    )
    sequence = models.PositiveIntegerField(default=0)
    fingerprint = models.CharField(max_length=64, blank=True)
    modified = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("version de calendrier")
        verbose_name_plural = _("versions de calendrier")

    def __str__(self) -> str:
        return f"{self.page_id} v{self.sequence}"
