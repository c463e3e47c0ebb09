"""The booking service: whole parties, waiting list oldest first, skip-not-split, one per contact."""

import pytest

from events.models import Registration, SeatCounter
from events.registrations.services import (
    Party,
    RegistrationError,
    cancel,
    change_party,
    register,
    set_capacity,
)

pytestmark = [pytest.mark.django_db, pytest.mark.engine]


def party(n: int, adults: int = 1, children: int = 0) -> Party:
    return Party(first_name=f"P{n}", adults=adults, children=children, email=f"p{n}@example.fr")


def taken(occurrence) -> int:
    return SeatCounter.objects.get(occurrence=occurrence).seats_taken


def test_party_that_fits_is_confirmed_and_counted(outing):
    registration = register(outing, party(1, adults=2, children=2))
    assert registration.status == "confirmed" and registration.seats == 4
    assert taken(outing) == 4


def test_party_that_does_not_fit_waits_as_a_whole(outing):
    set_capacity(outing, 5)
    register(outing, party(1, adults=4))
    late = register(outing, party(2, adults=2))
    assert late.status == "waiting" and late.waiting_position == 1
    assert taken(outing) == 4


def test_cancellation_promotes_oldest_first_skipping_parties_that_do_not_fit(
    outing, mailoutbox, django_capture_on_commit_callbacks
):
    set_capacity(outing, 4)
    first = register(outing, party(1, adults=4))
    big = register(outing, party(2, adults=3))
    small = register(outing, party(3, adults=1))
    smaller = register(outing, party(4, adults=1))
    assert [r.status for r in (big, small, smaller)] == ["waiting"] * 3
    with django_capture_on_commit_callbacks(execute=True):
        change_party(first, 2, 0)  # frees two seats: the party of 3 does not fit, 1 + 1 do
    statuses = dict(Registration.objects.values_list("pk", "status"))
    assert statuses[big.pk] == "waiting"
    assert statuses[small.pk] == statuses[smaller.pk] == "confirmed"
    assert taken(outing) == 4
    assert {m.to[0] for m in mailoutbox if "place s'est libérée" in m.subject} == {
        "p3@example.fr",
        "p4@example.fr",
    }
    cancel(first)  # two free seats: still not enough for the party of three
    assert Registration.objects.get(pk=big.pk).status == "waiting"
    cancel(small)  # three free seats
    assert Registration.objects.get(pk=big.pk).status == "confirmed"
    assert taken(outing) == 4


def test_capacity_increase_fills_from_the_waiting_list(outing):
    set_capacity(outing, 2)
    register(outing, party(1, adults=2))
    waiting = register(outing, party(2, adults=2))
    set_capacity(outing, 4)
    assert Registration.objects.get(pk=waiting.pk).status == "confirmed"


def test_a_lowered_capacity_is_kept_and_the_people_over_it_stay_confirmed(outing):
    register(outing, party(1, adults=3))
    change = set_capacity(outing, 1)
    counter = SeatCounter.objects.get(occurrence=outing)
    assert (counter.capacity, counter.seats_taken, counter.overbooking) == (1, 3, 2)
    assert change.over == 2
    assert Registration.objects.get().status == "confirmed"


def test_one_active_registration_per_contact(outing):
    register(outing, Party(first_name="Awa", email="Awa@Example.fr"))
    with pytest.raises(RegistrationError, match="existe déjà"):
        register(outing, Party(first_name="Awa", email="awa@example.fr "))
    register(outing, Party(first_name="Luc", phone="06 12 34 56 78"))
    with pytest.raises(RegistrationError, match="existe déjà"):
        register(outing, Party(first_name="Luc", phone="+33612345678"))


def test_a_cancelled_registration_frees_the_contact(outing):
    first = register(outing, Party(first_name="Awa", email="awa@example.fr"))
    cancel(first)
    assert register(outing, Party(first_name="Awa", email="awa@example.fr")).status == "confirmed"


def test_growing_a_party_must_fit(outing):
    set_capacity(outing, 4)
    registration = register(outing, party(1, adults=2))
    register(outing, party(2, adults=2))
    with pytest.raises(RegistrationError, match="plus assez de places"):
        change_party(registration, 3, 0)
    assert Registration.objects.get(pk=registration.pk).seats == 2
    assert taken(outing) == 4


def test_party_larger_than_capacity_is_refused(outing):
    set_capacity(outing, 3)
    with pytest.raises(RegistrationError, match="plus grand que le nombre total"):
        register(outing, party(1, adults=4))
    assert not Registration.objects.exists()


def test_children_not_counted_when_the_event_says_so(outing):
    page = outing.page.specific
    page.children_counted = False
    page.save_revision().publish()
    assert register(outing, party(1, adults=1, children=3)).seats == 1


def test_closed_cancelled_or_past_dates_refuse(outing, publish_event, residence):
    from datetime import date

    from events.models import Occurrence

    past = publish_event(residence, first_date=date(2020, 1, 7), registration_enabled=True)
    with pytest.raises(RegistrationError, match="passée"):
        register(Occurrence.objects.get(page=past), party(1))
    closed = publish_event(residence, first_date=date(2030, 1, 8), registration_enabled=False)
    with pytest.raises(RegistrationError, match="ne prend pas d'inscription"):
        register(Occurrence.objects.get(page=closed), party(2))
    Occurrence.objects.filter(pk=outing.pk).update(status="cancelled")
    outing.refresh_from_db()
    with pytest.raises(RegistrationError, match="annulée"):
        register(outing, party(3))


def test_waiting_party_leaving_promotes_nobody_wrongly(outing):
    set_capacity(outing, 1)
    register(outing, party(1))
    waiting = register(outing, party(2))
    cancel(waiting)
    assert taken(outing) == 1
    assert Registration.objects.get(pk=waiting.pk).status == "cancelled"
