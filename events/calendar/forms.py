"""Admin form for pages with a schedule: checks the particular-date rows against the rule."""

from datetime import date

from django.utils.translation import gettext as _

from events.calendar import schedule as engine
from events.calendar.schedule_fields import horizon_date
from residences.placement.forms import PlaceChoicesForm

SCHEDULE_FIELDS = [
    "first_date",
    "start_time",
    "end_time",
    "end_date",
    "frequency",
    "interval",
    "weekdays",
    "until",
    "count",
]


class SchedulePageForm(PlaceChoicesForm):
    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("exceptions")
        if formset is None or not formset.is_valid():
            return cleaned
        if any(name in self.errors for name in SCHEDULE_FIELDS) or not cleaned.get("first_date"):
            return cleaned
        schedule = engine.Schedule(
            first_date=cleaned["first_date"],
            start_time=cleaned.get("start_time"),
            end_time=cleaned.get("end_time"),
            end_date=cleaned.get("end_date"),
            frequency=cleaned.get("frequency") or engine.Frequency.NONE,
            interval=cleaned.get("interval") or 1,
            weekdays=tuple(cleaned.get("weekdays") or ()),
            until=cleaned.get("until"),
            count=cleaned.get("count"),
        )
        rows = [
            form
            for form in formset.forms
            if form.has_changed() and not form.cleaned_data.get("DELETE")
        ]
        exceptions = [_row_exception(form.cleaned_data) for form in rows]

        errors = engine.validate(schedule, exceptions, horizon_date())
        for (index, name), messages in errors.rows.items():
            for message in messages:
                rows[index].add_error(name, message)
        if errors.rows:
            self.add_error(
                None, _("Vérifiez les dates particulières : certaines sont impossibles.")
            )
        return cleaned


def _row_exception(data: dict) -> engine.ScheduleException:
    day: date | None = data.get("date")
    return engine.ScheduleException(
        kind=data.get("kind") or engine.ExceptionKind.CANCELLED,
        date=day,
        reason=data.get("reason", ""),
        new_date=data.get("new_date"),
        new_start_time=data.get("new_start_time"),
        new_end_time=data.get("new_end_time"),
        venue_note=data.get("venue_note", ""),
    )


class PermanencePageForm(SchedulePageForm):
    """Also refuses closure periods that end before they start or overlap one another."""

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("closures")
        if formset is None or not formset.is_valid():
            return cleaned
        rows = [
            form
            for form in formset.forms
            if form.has_changed() and not form.cleaned_data.get("DELETE")
        ]
        periods = []
        for form in rows:
            first, last = form.cleaned_data.get("first_day"), form.cleaned_data.get("last_day")
            if first and last and last < first:
                form.add_error("last_day", _("La fin de la fermeture doit être après son début."))
            elif first and last:
                periods.append((first, last, form))
        periods.sort(key=lambda period: period[0])
        for (_first, last, _form), (next_first, _next_last, next_form) in zip(
            periods, periods[1:], strict=False
        ):
            if next_first <= last:
                next_form.add_error(
                    "first_day", _("Cette période chevauche une autre période de fermeture.")
                )
        if any(form.errors for form in rows):
            self.add_error(None, _("Vérifiez les périodes de fermeture."))
        return cleaned
