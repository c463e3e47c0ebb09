"""Materialised occurrences: what tenants see, what feeds export, what sign-ups hang on.

A row is both a projection of the series' rule (while it is in the future) and the record of what
happened (once it has started). The sync only ever touches future rows; started rows, and rows
that hold registrations, are never deleted: see `protect_history`.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Self

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Expression, Q, Subquery, Value
from django.db.models.deletion import CASCADE, ProtectedError
from django.db.models.functions import Coalesce, Least
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page

from events.calendar.lines import (
    LINE_FIELDS,
    OccurrenceLine,
    OccurrenceLineIterable,
    OccurrenceTimes,
)
from events.calendar.schedule import PARIS, Status
from residences.models import SectorPage


class OccurrenceQuerySet(models.QuerySet):
    def upcoming(self, now: datetime | None = None) -> Self:
        """Not yet over (an occurrence in progress still counts), soonest first.

        The past only grows (a year of weekly series is tens of thousands of rows), and
        `end > now` alone lets the database walk all of it in start order before the first
        upcoming row. So the scan starts where an upcoming row can start at the earliest (see
        `earliest_start_in_progress`): the index on (kind, start, id) seeks there and stops
        after the page it needs, whatever the size of the past.
        """
        now = now or timezone.now()
        return self.filter(end__gt=now, start__gte=earliest_start_in_progress(now)).order_by(
            "start", "pk"
        )

    def between(self, start: datetime, end: datetime) -> Self:
        """Dates that overlap [start, end), soonest first (the same seek as `upcoming`)."""
        return self.upcoming(start).filter(start__lt=end)

    def lines(self) -> models.QuerySet:
        """The dates as `OccurrenceLine`s (with the event's title), not model instances."""
        lines = self.values_list(*LINE_FIELDS)
        lines._iterable_class = OccurrenceLineIterable
        return lines

    def listing(self, start: datetime, end: datetime) -> list[OccurrenceLine]:
        """Every date overlapping [start, end), in start order, with its event: one query."""
        return list(self.between(start, end).lines())

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

    def on_or_after(self, day: date) -> Self:
        return self.filter(end__gt=datetime.combine(day, time(0), tzinfo=PARIS))

    def before(self, day: date) -> Self:
        """Starting before the given local date (exclusive)."""
        return self.filter(start__lt=datetime.combine(day, time(0), tzinfo=PARIS))


# The longest a date lasts when its page has no last day: a night (22:00–02:00) or a whole day,
# plus the hour of a clock change; a margin on top.
LONGEST_SINGLE_DAY = timedelta(hours=26)


def earliest_start_in_progress(now: datetime) -> Expression:
    """No date still running at `now` started before this (SQL, evaluated once per query).

    A date lasts at most `LONGEST_SINGLE_DAY`, unless its page runs over several days (a stay, a
    festival: `end_date`); the running dates of those few pages are found through their page
    (indexed), and the earliest of their starts moves the bound back.
    """
    # One IN over a UNION of the few multi-day pages: PostgreSQL then drives the page index
    # from them; with two ORed IN subqueries it scanned every date to test each (8 ms at 100k).
    pages = [
        apps.get_model("events", model).objects.filter(end_date__isnull=False).order_by()
        for model in ("EventPage", "PermanencePage")
    ]
    multi_day = pages[0].values("pk").union(pages[1].values("pk"))
    running = Occurrence.objects.filter(page_id__in=multi_day, end__gt=now, start__lte=now)
    single_day = Value(now - LONGEST_SINGLE_DAY, output_field=models.DateTimeField())
    first_running = Subquery(running.order_by("start").values("start")[:1])
    return Least(single_day, Coalesce(first_running, single_day))


def _sector_id_of(residence):
    return SectorPage.objects.ancestor_of(residence).values("pk")[:1]


def protect_history(collector, field, sub_objs, using):
    """Deleting a page takes its future, unbooked dates with it, never its history.

    Dates that have started, or that hold registrations (even cancelled ones), are what the
    activity report and the registrants rely on: the deletion is refused, and the page can be
    unpublished instead. The admin explains it before this is ever reached.
    """
    ids = [o.pk for o in sub_objs]
    kept = (
        Occurrence._base_manager.using(using)
        .filter(pk__in=ids)
        .filter(Q(start__lte=timezone.now()) | Q(registrations__isnull=False))
        .distinct()
    )
    if kept.exists():
        raise ProtectedError(
            "Cette page garde l'historique de dates passées ou d'inscriptions : "
            "dépubliez-la plutôt que de la supprimer.",
            set(kept),
        )
    CASCADE(collector, field, sub_objs, using)


class Occurrence(OccurrenceTimes, models.Model):
    class Kind(models.TextChoices):
        EVENT = "event", _("Animation")
        PERMANENCE = "permanence", _("Permanence")

    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        on_delete=protect_history,
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
    # Raised by the sync at each change people would be told of: one notice per version.
    version = models.PositiveIntegerField(_("version"), default=1)
    # When a change of the series moved a date that people had booked: what they were told first.
    previous_start = models.DateTimeField(_("début annoncé d'abord"), null=True, blank=True)
    previous_end = models.DateTimeField(_("fin annoncée d'abord"), null=True, blank=True)
    venue_note = models.CharField(_("lieu modifié"), max_length=200, blank=True)
    # Set by the sync (`ical.rule_fit`): the series' rule (for a single date, the page's date
    # and times) gives this date exactly as it is, so a feed writes it from the rule alone and
    # does not read it. False is always safe.
    # Bookkeeping, never shown: no verbose name to translate.
    follows_rule = models.BooleanField(default=False)
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
            # What a feed reads of its series: only the dates that differ from their rule.
            models.Index(
                fields=["page", "start"],
                condition=Q(follows_rule=False),
                name="occurrence_off_rule",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.page_id} @ {self.start:%Y-%m-%d %H:%M}"

    def has_started(self, now: datetime | None = None) -> bool:
        return self.start <= (now or timezone.now())


class SeriesVersion(models.Model):
    """Calendar bookkeeping kept off the page: a Wagtail publish rewrites every page field."""

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="series_version"
    )
    sequence = models.PositiveIntegerField(default=0)
    fingerprint = models.CharField(max_length=64, blank=True)
    modified = models.DateTimeField(default=timezone.now)
    # The last day the rows were computed up to: feeds end open rules there (see ical.py).
    horizon = models.DateField(null=True, blank=True)
    # What the sync found of the rows against the rule feeds write (`ical.rule_fit`): the local
    # days of rule instances without a row (EXDATEs), valid for the rule and horizon of
    # `feed_key`. An empty key (never synced since) makes a feed read every date of the series.
    feed_key = models.CharField(max_length=32, blank=True)
    exdates = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("version de calendrier")
        verbose_name_plural = _("versions de calendrier")

    def __str__(self) -> str:
        return f"{self.page_id} v{self.sequence}"


class DateChange(models.Model):
    """Who changed which date of a series, and how: the audit trail kept for every future date.

    Written by the sync when a publish moves, cancels, restores or removes a date that already
    existed; creations of new dates are not logged (the page's revisions tell them).
    """

    class Action(models.TextChoices):
        MOVED = "moved", _("Déplacée")
        CANCELLED = "cancelled", _("Annulée")
        RESTORED = "restored", _("Rétablie")
        REMOVED = "removed", _("Retirée du programme")
        RESCOPED = "rescoped", _("Rattachée à un autre lieu")

    occurrence = models.ForeignKey(
        Occurrence,
        verbose_name=_("date"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="changes",
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("changement"), max_length=12, choices=Action.choices)
    start_before = models.DateTimeField(_("début avant"))
    start_after = models.DateTimeField(_("début après"), null=True, blank=True)
    reason = models.CharField(_("motif"), max_length=200, blank=True)
    active_registrations = models.PositiveIntegerField(_("inscriptions en cours"), default=0)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("le"), default=timezone.now)

    class Meta:
        verbose_name = _("changement de date")
        verbose_name_plural = _("changements de dates")
        indexes = [models.Index(fields=["page", "at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.start_before:%Y-%m-%d %H:%M}"


@dataclass(frozen=True)
class History:
    """What a subtree of pages holds that a deletion would lose."""

    started_dates: int
    registrations: int

    def __bool__(self) -> bool:
        return bool(self.started_dates or self.registrations)

    def refusal(self) -> str:
        """Why the deletion is refused, in the user's language, and what to do instead."""
        parts = []
        if self.started_dates:
            parts.append(
                ngettext("%(n)s date passée", "%(n)s dates passées", self.started_dates)
                % {"n": self.started_dates}
            )
        if self.registrations:
            parts.append(
                ngettext("%(n)s inscription", "%(n)s inscriptions", self.registrations)
                % {"n": self.registrations}
            )
        return gettext(
            "Cette page ne peut pas être supprimée : elle garde l'historique de %(what)s, qui "
            "comptent dans les rapports d'activité. Dépubliez-la plutôt : ses dates à venir "
            "disparaîtront du portail et les personnes inscrites seront prévenues."
        ) % {"what": gettext(" et ").join(parts)}


def history_below(pages: Iterable[Page], now: datetime | None = None) -> History:
    """Dates that have started, and registrations, in the given pages and every page below them."""
    ids = set()
    for page in pages:
        ids.update(Page.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True))
    rows = Occurrence.objects.filter(page_id__in=ids)
    return History(
        started_dates=rows.filter(start__lte=now or timezone.now()).count(),
        registrations=rows.aggregate(total=models.Count("registrations"))["total"],
    )
