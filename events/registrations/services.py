"""Booking and cancelling seats: one service, guarded conditional updates, never an overbooking.

Seats are taken with `UPDATE … SET seats_taken = seats_taken + n WHERE seats_taken + n <=
capacity` inside the registration's transaction: correct on SQLite with
IMMEDIATE transactions and on PostgreSQL at READ COMMITTED, and the CHECK constraint on the
counter turns any forgotten path into an error instead of an overbooking.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from events.calendar.schedule import Status
from events.models import Occurrence
from events.registrations import notices as notifications
from events.registrations.models import Registration, SeatCounter
from portal.cache import SEATS, bump

logger = logging.getLogger(__name__)


class RegistrationError(Exception):
    """A refusal to show the tenant, in French."""


@dataclass(frozen=True)
class Party:
    first_name: str
    adults: int = 1
    children: int = 0
    email: str = ""
    phone: str = ""
    residence_id: int | None = None
    building_id: int | None = None
    allergies: str = ""
    mobility: str = ""


def contact_key(email: str, phone: str) -> str:
    """The same person written two ways is still one contact."""
    if email:
        return email.strip().lower()
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("33") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def registration_closed_reason(occurrence: Occurrence, now=None) -> str:
    """Why nobody can sign up now, in French; empty when sign-up is open."""
    now = now or timezone.now()
    page = occurrence.page.specific
    if not getattr(page, "registration_enabled", False) or not page.live:
        return "Cette animation ne prend pas d'inscription en ligne."
    if occurrence.status == Status.CANCELLED:
        return "Cette date est annulée."
    if occurrence.start <= now:
        return "Cette date est passée : les inscriptions sont closes."
    if page.registration_opens and now < page.registration_opens:
        return "Les inscriptions ne sont pas encore ouvertes."
    if page.registration_closes and now >= page.registration_closes:
        return "Les inscriptions sont closes."
    return ""


def counter_for(occurrence: Occurrence) -> SeatCounter:
    counter = SeatCounter.objects.filter(occurrence=occurrence).first()
    if counter is None:
        capacity = getattr(occurrence.page.specific, "capacity", None)
        try:
            with transaction.atomic():
                counter = SeatCounter.objects.create(occurrence=occurrence, capacity=capacity)
        except IntegrityError:  # created meanwhile by a concurrent sign-up
            counter = SeatCounter.objects.get(occurrence=occurrence)
    return counter


def take_seats(occurrence_id: int, seats: int) -> bool:
    """Atomically take `seats` if they fit; False when they do not."""
    updated = (
        SeatCounter.objects.filter(occurrence_id=occurrence_id)
        .filter(Q(capacity__isnull=True) | Q(capacity__gte=F("seats_taken") + seats))
        .update(seats_taken=F("seats_taken") + seats)
    )
    if updated:
        bump(SEATS)
    return updated == 1


def release_seats(occurrence_id: int, seats: int) -> None:
    SeatCounter.objects.filter(occurrence_id=occurrence_id).update(
        seats_taken=F("seats_taken") - seats
    )
    bump(SEATS)


@transaction.atomic
def register(
    occurrence: Occurrence,
    party: Party,
    *,
    source: str = Registration.Source.WEB,
    by_user=None,
    enforce_window: bool = True,
) -> Registration:
    """Confirm the party if it fits as a whole, else put it on the waiting list as a whole."""
    page = occurrence.page.specific
    if enforce_window:
        reason = registration_closed_reason(occurrence)
        if reason:
            raise RegistrationError(reason)
    elif occurrence.status == Status.CANCELLED:
        raise RegistrationError("Cette date est annulée.")
    if party.children and not page.children_allowed:
        raise RegistrationError("Cette animation est réservée aux adultes.")
    seats = page.seats_for(party.adults, party.children)
    if seats < 1:
        raise RegistrationError("Indiquez au moins une personne.")
    counter = counter_for(occurrence)
    if counter.capacity is not None and seats > counter.capacity:
        raise RegistrationError(
            f"Ce groupe est plus grand que le nombre total de places ({counter.capacity})."
        )
    key = contact_key(party.email, party.phone)
    if (
        key
        and Registration.objects.filter(
            occurrence=occurrence, contact_key=key, status__in=Registration.ACTIVE
        ).exists()
    ):
        raise RegistrationError(
            "Vous êtes déjà inscrit à cette date avec ce contact. Utilisez le lien reçu pour "
            "modifier votre inscription."
        )
    status = (
        Registration.Status.CONFIRMED
        if take_seats(occurrence.pk, seats)
        else Registration.Status.WAITING
    )
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                occurrence=occurrence,
                status=status,
                source=source,
                first_name=party.first_name,
                adults=party.adults,
                children=party.children,
                seats=seats,
                email=party.email,
                phone=party.phone,
                contact_key=key,
                residence_id=party.residence_id,
                building_id=party.building_id,
                allergies=party.allergies,
                mobility=party.mobility,
                registered_by=by_user,
                consent_at=timezone.now() if by_user is None else None,
            )
    except IntegrityError as error:  # the same contact, twice at the same instant
        raise RegistrationError("Vous êtes déjà inscrit à cette date avec ce contact.") from error
    logger.info(
        "registration created id=%s occurrence=%s status=%s seats=%s",
        registration.pk,
        occurrence.pk,
        status,
        seats,
    )
    return registration


@transaction.atomic
def cancel(registration: Registration) -> list[Registration]:
    """Cancel a registration; freed seats go to the waiting list. Returns the promoted ones."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if not registration.is_active:
        return []
    was_confirmed = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.CANCELLED
    registration.status_changed_at = timezone.now()
    registration.save(update_fields=["status", "status_changed_at"])
    logger.info("registration cancelled id=%s", registration.pk)
    if was_confirmed:
        release_seats(registration.occurrence_id, registration.seats)
        return promote_waiting(registration.occurrence_id)
    return []


@transaction.atomic
def change_party(registration: Registration, adults: int, children: int) -> list[Registration]:
    """Change the number of people; a larger confirmed party must still fit."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if not registration.is_active:
        raise RegistrationError("Cette inscription est annulée.")
    page = registration.occurrence.page.specific
    if children and not page.children_allowed:
        raise RegistrationError("Cette animation est réservée aux adultes.")
    seats = page.seats_for(adults, children)
    if seats < 1:
        raise RegistrationError("Indiquez au moins une personne.")
    delta = seats - registration.seats
    promoted: list[Registration] = []
    if registration.status == Registration.Status.CONFIRMED:
        if delta > 0 and not take_seats(registration.occurrence_id, delta):
            raise RegistrationError(
                "Il n'y a plus assez de places pour ajouter ces personnes. Votre inscription "
                "reste inchangée."
            )
        if delta < 0:
            release_seats(registration.occurrence_id, -delta)
    registration.adults, registration.children, registration.seats = adults, children, seats
    registration.save(update_fields=["adults", "children", "seats"])
    if delta < 0 or registration.status == Registration.Status.WAITING:
        promoted = promote_waiting(registration.occurrence_id)
    return promoted


def promote_waiting(occurrence_id: int) -> list[Registration]:
    """Fill free seats from the waiting list, oldest first, skipping parties that do not fit.

    Runs inside the caller's transaction; the counter row is locked first so that two
    promotions of the same occurrence never interleave (PostgreSQL; SQLite locks the database).
    """
    counter = SeatCounter.objects.select_for_update().filter(occurrence_id=occurrence_id).first()
    if counter is None:
        return []
    promoted = []
    waiting = Registration.objects.filter(
        occurrence_id=occurrence_id, status=Registration.Status.WAITING
    ).order_by("created_at", "pk")
    for candidate in waiting:
        if not take_seats(occurrence_id, candidate.seats):
            continue
        updated = Registration.objects.filter(
            pk=candidate.pk, status=Registration.Status.WAITING
        ).update(status=Registration.Status.CONFIRMED, status_changed_at=timezone.now())
        if updated:
            promoted.append(candidate)
            logger.info("registration promoted id=%s", candidate.pk)
        else:
            release_seats(occurrence_id, candidate.seats)
    if promoted:
        ids = [r.pk for r in promoted]
        transaction.on_commit(lambda: notifications.registrations_promoted(ids))
    return promoted


@transaction.atomic
def set_capacity(occurrence: Occurrence, capacity: int | None) -> list[Registration]:
    """Apply a new capacity; never below the seats already taken. Fills seats from the list."""
    counter = counter_for(occurrence)
    new_capacity = None if capacity is None else Greatest(Value(capacity), F("seats_taken"))
    SeatCounter.objects.filter(pk=counter.pk).update(capacity=new_capacity)
    bump(SEATS)
    return promote_waiting(occurrence.pk)


@transaction.atomic
def move_to_confirmed(registration: Registration) -> None:
    """A mediator confirms a waiting party by hand (it must fit)."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != Registration.Status.WAITING:
        raise RegistrationError("Cette inscription n'est pas sur la liste d'attente.")
    if not take_seats(registration.occurrence_id, registration.seats):
        raise RegistrationError("Il n'y a pas assez de places libres pour ce groupe.")
    registration.status = Registration.Status.CONFIRMED
    registration.status_changed_at = timezone.now()
    registration.save(update_fields=["status", "status_changed_at"])
