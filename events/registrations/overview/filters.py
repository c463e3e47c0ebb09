"""The « Inscriptions » overview's filters: period, event, residence, status and a search.

Every choice offered, and every registration found, comes from the registrations the user may
run (events/registrations/access.py): an id from another sector typed into the URL is refused at
the field, never used.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import reduce
from operator import or_
from typing import Any

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.activity.dashboard import editable_scopes
from events.calendar.schedule import PARIS
from events.models import Registration
from events.outreach.calls import pending_calls
from events.outreach.lookup import normalise_reference
from events.registrations.access import runnable_events, runnable_registrations
from portal.validators import as_id
from residences.models import ResidencePage, SectorPage

UPCOMING, PAST, DATES = "a_venir", "passees", "dates"
TO_CALL = "a_appeler"


def _date_field(label):
    return forms.DateField(
        label=label,
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class IdChoiceField(forms.ChoiceField):
    """A choice among ids: anything but plain digits, or an id not offered, is refused."""

    default_error_messages = {
        "invalid_choice": _("Choisissez une valeur de la liste."),
    }

    def to_python(self, value):
        value = super().to_python(value)
        return "" if value in ("", None) else str(as_id(value) or "x")


class OverviewFilters(forms.Form):
    periode = forms.ChoiceField(
        label=_("Période"),
        required=False,
        choices=[
            (UPCOMING, _("À venir")),
            (PAST, _("Passées")),
            (DATES, _("Entre deux dates")),
        ],
    )
    du = _date_field(_("Du"))
    au = _date_field(_("Au (inclus)"))
    animation = IdChoiceField(label=_("Animation"), required=False)
    residence = IdChoiceField(label=_("Résidence"), required=False)
    statut = forms.ChoiceField(
        label=_("Statut"),
        required=False,
        choices=[
            ("", _("Tous")),
            (Registration.Status.CONFIRMED, _("Confirmées")),
            (Registration.Status.WAITING, _("En liste d'attente")),
            (Registration.Status.CANCELLED, _("Annulées")),
            (TO_CALL, _("À appeler")),
        ],
    )
    q = forms.CharField(
        label=_("Prénom ou référence"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "K7MX3P"}),
    )

    def __init__(self, data: Any, user):
        super().__init__(data)
        self.user = user
        self.fields["animation"].choices = [("", _("Toutes"))] + [
            (str(pk), title) for pk, title in event_choices(user)
        ]
        self.fields["residence"].choices = [("", _("Toutes"))] + [
            (str(pk), title) for pk, title in residence_choices(user)
        ]

    def clean_q(self):
        # Control characters (a pasted NUL) are no part of a name or a reference.
        return "".join(c for c in self.cleaned_data["q"] if c.isprintable()).strip()

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("du"), cleaned.get("au")
        if cleaned.get("periode") == DATES and not (first or last):
            self.add_error("du", _("Indiquez au moins une date de début ou de fin."))
        if first and last and last < first:
            self.add_error(
                "au", _("La date de fin doit être le même jour ou après la date de début.")
            )
        return cleaned

    def period(self) -> str:
        """The period asked for: « entre deux dates » as soon as a date is given."""
        data = getattr(self, "cleaned_data", {})
        if data.get("du") or data.get("au"):
            return DATES
        chosen = data.get("periode")
        return chosen if chosen in (UPCOMING, PAST) else UPCOMING


def event_choices(user) -> list[tuple[int, str]]:
    """The events the user runs that hold registrations, by title (one query)."""
    held = Registration.objects.filter(occurrence__page_id=OuterRef("pk"))
    return list(
        runnable_events(user)
        .filter(Exists(held))
        .order_by("title", "pk")
        .values_list("pk", "title")
    )


def residence_choices(user) -> list[tuple[int, str]]:
    """The residences the user covers, as page editor or as a sector's manager (every one for
    an administrator), by title."""
    residences = ResidencePage.objects.all()
    if not user.is_superuser:
        covered = reduce(
            or_, (scope.pages_below() for scope in editable_scopes(user)), Q(pk__in=[])
        )
        managed = SectorPage.objects.filter(team__managers__in=user.groups.all())
        for path in managed.values_list("path", flat=True):
            covered |= Q(path__startswith=path)
        residences = residences.filter(covered)
    return list(residences.order_by("title", "pk").values_list("pk", "title"))


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=PARIS)


def overview(user, data: dict) -> QuerySet[Registration]:
    """The registrations the filters ask for, with everything a row shows (constant queries).

    `data`: the form's cleaned data (only the fields that were valid).
    """
    found = runnable_registrations(user).annotate(
        to_call=Exists(pending_calls().filter(registration=OuterRef("pk")))
    )
    now = timezone.now()
    first, last = data.get("du"), data.get("au")
    if first or last:
        if first:
            found = found.filter(occurrence__start__gte=_midnight(first))
        if last:
            found = found.filter(occurrence__start__lt=_midnight(last + timedelta(days=1)))
        order = ("occurrence__start", "occurrence_id")
    elif data.get("periode") == PAST:
        found = found.filter(occurrence__end__lte=now)
        order = ("-occurrence__start", "-occurrence_id")
    else:
        found = found.filter(occurrence__end__gt=now)
        order = ("occurrence__start", "occurrence_id")
    if data.get("animation"):
        found = found.filter(occurrence__page_id=int(data["animation"]))
    if data.get("residence"):
        residence = int(data["residence"])
        # The household's residence; for a walk-in who gave none, where the date takes place.
        found = found.filter(
            Q(residence_id=residence)
            | Q(residence__isnull=True, occurrence__residence_id=residence)
        )
    status = data.get("statut")
    if status == TO_CALL:
        found = found.filter(to_call=True)
    elif status:
        found = found.filter(status=status)
    search = data.get("q")
    if search:
        reference = normalise_reference(search)
        by_reference = Q(reference=reference) if len(reference) == 6 else Q(pk__in=[])
        found = found.filter(by_reference | Q(first_name__icontains=search))
    return found.select_related("occurrence__page", "residence", "building").order_by(
        *order, "status", "created_at", "pk"
    )
