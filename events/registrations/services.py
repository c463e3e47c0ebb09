"""Booking and cancelling seats: one service, every decision taken under the date's counter lock.

Each operation (sign up, change a party, cancel, confirm by hand, apply a capacity, promote)
locks the date's seat counter first and decides inside the lock, so no interleaving of
transactions can overbook, or leave a free seat beside a waiting party that fits. The CHECK
constraint on the counter turns any forgotten path into an error instead of an overbooking.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from events.calendar.schedule import Status
from events.models import Occurrence
from events.registrations import notices as notifications
from events.registrations.models import Registration, SeatCounter
from portal.cache import bump, seats
from portal.phones import phone_or_none

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)


class RegistrationError(Exception):
    """A refusal to show: in French to tenants, in the admin user's language to mediators."""


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
    sms_consent: bool = False


def stored_phone(phone: str) -> str:
    """E.164 when the number reads as one (forms give it so already), else as given."""
    number = phone_or_none(phone) if phone else None
    return number.e164 if number else (phone or "").strip()


def contact_key(email: str, phone: str) -> str:
    """The same person written two ways is still one contact."""
    if email:
        return email.strip().lower()
    return stored_phone(phone)


def already_registered(email: str) -> str:
    """Said to whoever signs up twice for one date: how to change the first registration."""
    if email:
        return gettext(
            "Une inscription à cette date existe déjà avec cette adresse e-mail. Pour la "
            "modifier, utilisez le lien reçu par e-mail."
        )
    return gettext(
        "Une inscription à cette date existe déjà avec ce numéro de téléphone. Pour la "
        "modifier, utilisez le lien reçu par SMS, ou appelez l'équipe de médiation en donnant "
        "votre référence."
    )


def registration_closed_reason(occurrence: Occurrence, now: datetime | None = None) -> str:
    """Why nobody can sign up now, in French; empty when sign-up is open."""
    now = now or timezone.now()
    page = occurrence.page.specific
    if not getattr(page, "registration_enabled", False) or not page.live:
        return gettext("Cette animation ne prend pas d'inscription en ligne.")
    if occurrence.status == Status.CANCELLED:
        return gettext("Cette date est annulée.")
    if occurrence.start <= now:
        return gettext("Cette date est passée : les inscriptions sont closes.")
    if page.registration_opens and now < page.registration_opens:
        return gettext("Les inscriptions ne sont pas encore ouvertes.")
    if page.registration_closes and now >= page.registration_closes:
        return gettext("Les inscriptions sont closes.")
    return ""


def counter_for(occurrence: Occurrence) -> SeatCounter:
    """The date's seat counter, created with the page's capacity the first time."""
    counter = SeatCounter.objects.filter(occurrence=occurrence).first()
    if counter is None:
        capacity = getattr(occurrence.page.specific, "capacity", None)
        try:
            with transaction.atomic():
                counter = SeatCounter.objects.create(occurrence=occurrence, capacity=capacity)
        except IntegrityError:  # created meanwhile by a concurrent sign-up
            counter = SeatCounter.objects.get(occurrence=occurrence)
    return counter


def lock_counter(occurrence: Occurrence) -> SeatCounter:
    """Every booking decision starts here: the date's counter, locked until the transaction ends.

    PostgreSQL holds a row lock (`SELECT … FOR UPDATE`); SQLite's IMMEDIATE transactions
    already hold the database's write lock from their first statement. Whatever follows —
    confirm or put on the waiting list, promote, change a party, apply a capacity — is decided
    by one transaction at a time for this date, so no interleaving can leave a free seat beside
    a waiting party.
    """
    counter_for(occurrence)
    counter = SeatCounter.objects.select_for_update().get(occurrence_id=occurrence.pk)
    counter.occurrence = occurrence  # the page whose seats it shows (_save_counter), no query
    occurrence.refresh_from_db(fields=["status", "start", "end", "reason"])
    return counter


def closed_for_changes(occurrence: Occurrence, now: datetime | None = None) -> str:
    """Why a date takes no sign-up, promotion or party change any more; empty when it does."""
    if occurrence.status == Status.CANCELLED:
        if occurrence.reason:
            return gettext("Cette date est annulée (%(reason)s).") % {"reason": occurrence.reason}
        return gettext("Cette date est annulée.")
    if occurrence.start <= (now or timezone.now()):
        return gettext("Cette date est passée.")
    return ""


def _save_counter(counter: SeatCounter) -> None:
    counter.save(update_fields=["capacity", "seats_taken", "overbooking"])
    # The pages that show this date's places remaining (its event page and fragments).
    bump(seats(counter.occurrence.page_id))


@transaction.atomic
def register(
    occurrence: Occurrence,
    party: Party,
    *,
    source: str = Registration.Source.WEB,
    by_user: User | None = None,
    enforce_window: bool = True,
    beyond_capacity: bool = False,
) -> Registration:
    """Confirm the party if it fits as a whole, else put it on the waiting list as a whole.

    `beyond_capacity` (a mediator's knowing choice, after a confirmation step) confirms the
    party even when the date is full; it is recorded on the registration.
    """
    counter = lock_counter(occurrence)
    page = occurrence.page.specific
    reason = registration_closed_reason(occurrence) if enforce_window else ""
    reason = reason or closed_for_changes(occurrence)
    if reason:
        raise RegistrationError(reason)
    if party.children and not page.children_allowed:
        raise RegistrationError(gettext("Cette animation est réservée aux adultes."))
    seats = page.seats_for(party.adults, party.children)
    if seats < 1:
        raise RegistrationError(gettext("Indiquez au moins une personne."))
    if counter.capacity is not None and seats > counter.capacity and not beyond_capacity:
        raise RegistrationError(
            gettext("Ce groupe est plus grand que le nombre total de places (%(capacity)s).")
            % {"capacity": counter.capacity}
        )
    phone = stored_phone(party.phone)
    key = contact_key(party.email, phone)
    if (
        key
        and Registration.objects.filter(
            occurrence=occurrence, contact_key=key, status__in=Registration.ACTIVE
        ).exists()
    ):
        raise RegistrationError(already_registered(party.email))
    over = False
    if counter.fits(seats):
        status = Registration.Status.CONFIRMED
        counter.take(seats)
    elif beyond_capacity:
        status, over = Registration.Status.CONFIRMED, True
        counter.take_beyond_capacity(seats)
    else:
        status = Registration.Status.WAITING
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
                phone=phone,
                sms_consent=party.sms_consent and bool(phone),
                contact_key=key,
                residence_id=party.residence_id,
                building_id=party.building_id,
                allergies=party.allergies,
                mobility=party.mobility,
                registered_by=by_user,
                beyond_capacity=over,
                beyond_capacity_by=by_user if over else None,
                consent_at=timezone.now() if by_user is None else None,
            )
    except IntegrityError as error:  # the same contact, twice at the same instant
        raise RegistrationError(already_registered(party.email)) from error
    if status == Registration.Status.CONFIRMED:
        _save_counter(counter)
    logger.info(
        "registration created id=%s occurrence=%s status=%s seats=%s beyond=%s",
        registration.pk,
        occurrence.pk,
        status,
        seats,
        over,
    )
    return registration


def _locked_registration(registration: Registration) -> tuple[SeatCounter, Registration]:
    """The date's counter, then the registration: always in this order (no deadlock)."""
    occurrence = Occurrence.objects.select_related("page").get(pk=registration.occurrence_id)
    counter = lock_counter(occurrence)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    registration.occurrence = occurrence
    return counter, registration


@transaction.atomic
def cancel(registration: Registration) -> list[Registration]:
    """Cancel a registration; freed seats go to the waiting list. Returns the promoted ones."""
    counter, registration = _locked_registration(registration)
    if not registration.is_active:
        return []
    was_confirmed = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.CANCELLED
    registration.status_changed_at = timezone.now()
    registration.save(update_fields=["status", "status_changed_at"])
    logger.info("registration cancelled id=%s", registration.pk)
    if not was_confirmed:
        return []
    counter.release(registration.seats)
    promoted = _promote(counter, registration.occurrence)
    _save_counter(counter)
    return promoted


@transaction.atomic
def change_party(registration: Registration, adults: int, children: int) -> list[Registration]:
    """Change the number of people; a larger confirmed party must still fit."""
    counter, registration = _locked_registration(registration)
    if not registration.is_active:
        raise RegistrationError(gettext("Cette inscription est annulée."))
    occurrence = registration.occurrence
    reason = closed_for_changes(occurrence)
    if reason:
        raise RegistrationError(
            gettext("%(reason)s Le nombre de personnes ne peut plus changer.") % {"reason": reason}
        )
    page = occurrence.page.specific
    if children and not page.children_allowed:
        raise RegistrationError(gettext("Cette animation est réservée aux adultes."))
    seats = page.seats_for(adults, children)
    if seats < 1:
        raise RegistrationError(gettext("Indiquez au moins une personne."))
    if counter.capacity is not None and seats > counter.capacity:
        raise RegistrationError(
            gettext("Ce groupe est plus grand que le nombre total de places (%(capacity)s).")
            % {"capacity": counter.capacity}
        )
    delta = seats - registration.seats
    if registration.status == Registration.Status.CONFIRMED:
        if delta > 0 and not counter.fits(delta):
            raise RegistrationError(
                gettext(
                    "Il n'y a plus assez de places pour ajouter ces personnes. Votre inscription "
                    "reste inchangée."
                )
            )
        if delta > 0:
            counter.take(delta)
        elif delta < 0:
            counter.release(-delta)
    registration.adults, registration.children, registration.seats = adults, children, seats
    registration.save(update_fields=["adults", "children", "seats"])
    promoted = _promote(counter, occurrence)
    _save_counter(counter)
    return promoted


def _promote(counter: SeatCounter, occurrence: Occurrence) -> list[Registration]:
    """Fill free seats from the waiting list, oldest first, skipping parties that do not fit.

    The caller holds the counter's lock. A cancelled or past date promotes nobody: nobody is
    told « une place s'est libérée » for a date that will not take place.
    """
    if closed_for_changes(occurrence) or counter.remaining == 0:
        return []
    promoted = []
    waiting = Registration.objects.filter(
        occurrence_id=occurrence.pk, status=Registration.Status.WAITING
    ).order_by("created_at", "pk")
    now = timezone.now()
    for candidate in waiting:
        if not counter.fits(candidate.seats):
            continue
        counter.take(candidate.seats)
        candidate.status, candidate.status_changed_at = Registration.Status.CONFIRMED, now
        promoted.append(candidate)
        logger.info("registration promoted id=%s", candidate.pk)
        if counter.remaining == 0:
            break
    Registration.objects.bulk_update(promoted, ["status", "status_changed_at"])
    if promoted:
        ids = [r.pk for r in promoted]
        transaction.on_commit(lambda: notifications.registrations_promoted(ids))
    return promoted


@dataclass(frozen=True)
class CapacityChange:
    promoted: list[Registration]
    over: int  # people confirmed beyond the new capacity (they stay confirmed)


@transaction.atomic
def set_capacity(occurrence: Occurrence, capacity: int | None) -> CapacityChange:
    """Apply the capacity the mediator set, exactly.

    Confirmed parties beyond a lowered capacity stay confirmed (they were promised a place);
    the counter records how many people are over, and nobody is promoted until the seats
    taken fall below the new capacity.
    """
    counter = lock_counter(occurrence)
    counter.capacity = capacity
    counter.overbooking = counter.excess
    promoted = _promote(counter, occurrence)
    _save_counter(counter)
    if counter.overbooking:
        logger.info(
            "capacity below seats taken occurrence=%s over=%s", occurrence.pk, counter.overbooking
        )
    return CapacityChange(promoted=promoted, over=counter.overbooking)


@transaction.atomic
def move_to_confirmed(
    registration: Registration, *, by_user: User | None = None, beyond_capacity: bool = False
) -> None:
    """A mediator confirms a waiting party by hand; beyond the capacity only knowingly."""
    counter, registration = _locked_registration(registration)
    if registration.status != Registration.Status.WAITING:
        raise RegistrationError(gettext("Cette inscription n'est pas sur la liste d'attente."))
    reason = closed_for_changes(registration.occurrence)
    if reason:
        raise RegistrationError(reason)
    if counter.fits(registration.seats):
        counter.take(registration.seats)
    elif beyond_capacity:
        counter.take_beyond_capacity(registration.seats)
        registration.beyond_capacity, registration.beyond_capacity_by = True, by_user
    else:
        free = counter.remaining or 0  # a date without capacity always fits
        raise RegistrationError(
            gettext("Il n'y a pas assez de places libres pour ce groupe (%(people)s, %(free)s).")
            % {
                "people": ngettext("%(n)s personne", "%(n)s personnes", registration.seats)
                % {"n": registration.seats},
                "free": ngettext("%(n)s place libre", "%(n)s places libres", free) % {"n": free},
            }
        )
    registration.status = Registration.Status.CONFIRMED
    registration.status_changed_at = timezone.now()
    registration.save(
        update_fields=["status", "status_changed_at", "beyond_capacity", "beyond_capacity_by"]
    )
    _save_counter(counter)
