"""Admin form for pages with a schedule: checks the particular-date rows against the rule."""

from datetime import date

from django.utils.translation import gettext as _

from wagtail.admin.forms import WagtailAdminPageForm

from events import schedule as engine

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


class SchedulePageForm(WagtailAdminPageForm):
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
        from events.models.schedule_fields import horizon_date

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
