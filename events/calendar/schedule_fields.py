"""Date fields shared by every page that has occurrences: events and permanences."""

from datetime import date, time, timedelta
from typing import TYPE_CHECKING, Protocol

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.deletion import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Page

from events.calendar import schedule as engine
from events.calendar.models import history_below

from .fields import WeekdaysField


def horizon_date(today: date | None = None) -> date:
    """How far ahead occurrences are materialised (18 months by default)."""
    today = today or timezone.localdate()
    return today + timedelta(days=settings.OCCURRENCE_HORIZON_DAYS)


def schedulable_models() -> list[type[Page]]:
    """Every concrete page model with dates (events, permanences)."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, SchedulePageMixin) and issubclass(model, Page)
    ]


class ScheduleFields(Protocol):
    """The date fields of a page with dates, on the model or on a lean line of its columns."""

    @property
    def first_date(self) -> date: ...
    @property
    def start_time(self) -> time | None: ...
    @property
    def end_time(self) -> time | None: ...
    @property
    def end_date(self) -> date | None: ...
    @property
    def frequency(self) -> str: ...
    @property
    def interval(self) -> int | None: ...
    @property
    def weekdays(self) -> list[int] | tuple[int, ...] | None: ...
    @property
    def until(self) -> date | None: ...
    @property
    def count(self) -> int | None: ...


def schedule_of(page: ScheduleFields) -> engine.Schedule:
    """The schedule the engine expands, from a page's date fields."""
    return engine.Schedule(
        first_date=page.first_date,
        start_time=page.start_time,
        end_time=page.end_time,
        end_date=page.end_date,
        frequency=page.frequency,
        interval=page.interval or 1,
        weekdays=tuple(page.weekdays or ()),
        until=page.until,
        count=page.count,
    )


class SchedulePageMixin(models.Model):
    first_date = models.DateField(
        _("date"), help_text=_("Le jour de l'animation, ou la première date d'une série.")
    )
    start_time = models.TimeField(
        _("heure de début"),
        null=True,
        blank=True,
        help_text=_("Laissez vide pour une journée entière."),
    )
    end_time = models.TimeField(_("heure de fin"), null=True, blank=True)
    end_date = models.DateField(
        _("dernier jour"),
        null=True,
        blank=True,
        help_text=_("Seulement pour une animation sur plusieurs jours (un séjour, un festival)."),
    )
    frequency = models.CharField(
        _("répétition"),
        max_length=20,
        choices=engine.Frequency.choices,
        default=engine.Frequency.NONE,
    )
    interval = models.PositiveSmallIntegerField(
        _("intervalle"),
        default=1,
        help_text=_("1 : chaque semaine (ou chaque mois) ; 2 : une semaine sur deux ; etc."),
    )
    weekdays = WeekdaysField(
        _("jours de la semaine"),
        help_text=_(
            "Pour une répétition chaque semaine. Sans choix : le jour de la première date."
        ),
    )
    until = models.DateField(
        _("jusqu'au"), null=True, blank=True, help_text=_("Dernière date possible, incluse.")
    )
    count = models.PositiveSmallIntegerField(
        _("nombre de dates"),
        null=True,
        blank=True,
        help_text=_("Au lieu d'une date de fin : la série s'arrête après ce nombre de dates."),
    )

    occurrence_kind = "event"
    # The column that holds the page's `summary` (feeds read it without the model).
    summary_column = "summary"

    if TYPE_CHECKING:
        # Every concrete page also inherits wagtail's Page (untyped here), and its
        # ScheduleExceptionRow model points back with ParentalKey(related_name="exceptions").
        title: str
        url_path: str
        exceptions: models.Manager["ScheduleExceptionRow"]

    schedule_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("first_date"), FieldPanel("end_date")]),
                FieldRowPanel([FieldPanel("start_time"), FieldPanel("end_time")]),
            ],
            heading=_("Quand"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("frequency"),
                FieldPanel("interval"),
                FieldPanel("weekdays"),
                FieldRowPanel([FieldPanel("until"), FieldPanel("count")]),
            ],
            heading=_("Répétition"),
        ),
        HelpPanel(
            content=_(
                "<p>Pour annuler une seule date, la déplacer ou en ajouter une, utilisez les "
                "lignes ci-dessous. Les heures sont celles de Paris.</p>"
            )
        ),
        InlinePanel("exceptions", heading=_("Dates particulières"), label=_("Date particulière")),
    ]

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        # Refuse before Wagtail logs the deletion: a refused delete leaves no trace in history.
        history = history_below([self])
        if history:
            raise ProtectedError(history.refusal(), set())
        return super().delete(*args, **kwargs)

    def get_schedule(self) -> engine.Schedule:
        return schedule_of(self)

    def get_schedule_exceptions(self) -> list[engine.ScheduleException]:
        return [row.as_exception() for row in self.exceptions.all()]

    def closed_dates(self, horizon: date) -> frozenset[date]:
        """Dates on which the series does not take place at all (none for events)."""
        return frozenset()

    def closure_fingerprint(self) -> list:
        """What decides closed_dates(), for the calendar fingerprint (nothing for events)."""
        return []

    def planned_occurrences(self, horizon: date | None = None) -> list[engine.PlannedOccurrence]:
        horizon = horizon or horizon_date()
        return engine.plan(
            self.get_schedule(), self.get_schedule_exceptions(), horizon, self.closed_dates(horizon)
        )

    def schedule_errors(
        self, exceptions: list[engine.ScheduleException] | None = None
    ) -> engine.ScheduleErrors:
        if self.first_date is None:
            return engine.ScheduleErrors()
        if exceptions is None:
            exceptions = self.get_schedule_exceptions()
        return engine.validate(self.get_schedule(), exceptions, horizon_date())

    def clean(self):
        # The particular-date rows are checked by SchedulePageForm, which sees the edited rows;
        # here only the page's own fields, so that a stale saved row never blocks an edit.
        super().clean()
        errors = self.schedule_errors(exceptions=[])
        if errors.fields:
            raise ValidationError(errors.fields)

    @property
    def schedule_summary(self) -> str:
        return self.get_schedule().describe() if self.first_date else ""


class ScheduleExceptionRow(models.Model):
    """One particular date of a series: cancelled, moved or added."""

    kind = models.CharField(
        _("type"),
        max_length=12,
        choices=engine.ExceptionKind.choices,
        default=engine.ExceptionKind.CANCELLED,
    )
    date = models.DateField(
        _("date concernée"),
        help_text=_(
            "La date annulée ou déplacée, telle qu'elle était prévue ; ou la date ajoutée."
        ),
    )
    reason = models.CharField(
        _("motif affiché"),
        max_length=200,
        blank=True,
        help_text=_("Par exemple « formation de l'équipe » ; affiché aux locataires."),
    )
    new_date = models.DateField(_("nouvelle date"), null=True, blank=True)
    new_start_time = models.TimeField(_("nouvelle heure de début"), null=True, blank=True)
    new_end_time = models.TimeField(_("nouvelle heure de fin"), null=True, blank=True)
    venue_note = models.CharField(
        _("nouveau lieu"),
        max_length=200,
        blank=True,
        help_text=_("Seulement si le lieu change pour cette date."),
    )

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("date")]),
        FieldPanel("reason"),
        FieldRowPanel(
            [FieldPanel("new_date"), FieldPanel("new_start_time"), FieldPanel("new_end_time")],
            heading=_("Pour une date déplacée ou ajoutée"),
        ),
        FieldPanel("venue_note"),
    ]

    class Meta:
        abstract = True

    def as_exception(self) -> engine.ScheduleException:
        return engine.ScheduleException(
            kind=self.kind,
            date=self.date,
            reason=self.reason,
            new_date=self.new_date,
            new_start_time=self.new_start_time,
            new_end_time=self.new_end_time,
            venue_note=self.venue_note,
        )
