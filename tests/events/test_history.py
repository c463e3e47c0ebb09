"""Dates and registrations are history (#13): what a publish, an unpublish, a move or a deletion
may change, and what it must leave exactly as it was.

Every scenario is built on pages published through a Wagtail revision, with real registrations
taken in March 2026; "now" is Wednesday 15 April 2026, so March is last month's report, and
Tuesday 21 April (three registrations, one cancelled, one without e-mail) and Tuesday 19 May
(one confirmed party filling the three places, one on the waiting list) are booked future dates.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import icalendar
import pytest
import time_machine

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.db.models.deletion import ProtectedError
from django.urls import reverse

from wagtail.models import Page, PageLogEntry

from events.activity.report import Period, figures
from events.calendar.models import DateChange
from events.calendar.occurrences import RETIRED_REASON, UNPUBLISHED_REASON
from events.calendar.schedule import PARIS
from events.models import Occurrence, Registration
from events.registrations.services import Party, cancel, register
from tests.factories import ResidencePageFactory, SectorPageFactory

from .readers import as_set, ical_js, recurring_ical_events, site_set

pytestmark = [pytest.mark.django_db, pytest.mark.engine]

NOW = "2026-04-15 09:00 +02:00"
SETUP = "2026-03-01 09:00 +01:00"
MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))
WINDOW = ("2026-03-01T00:00:00+00:00", "2026-09-01T00:00:00+00:00")
TODAY = date(2026, 4, 15)

APRIL_21, MAY_19 = date(2026, 4, 21), date(2026, 5, 19)
# Who is registered where, and how: (first name, adults, has an e-mail, what happened next).
TUESDAY_BOOKINGS = {
    date(2026, 3, 10): [("Alice", 2, True, "attended"), ("Bruno", 1, True, "")],
    date(2026, 3, 24): [("Chloe", 1, True, "attended")],
    APRIL_21: [("Dounia", 1, True, ""), ("Emile", 1, True, "cancelled"), ("Farid", 1, False, "")],
    MAY_19: [("Gael", 3, True, ""), ("Hana", 1, True, "")],  # Hana is on the waiting list
}
# The people a change of 19 May must reach: active, with an e-mail (Hana is waiting).
TOLD_19_MAY = {"gael@exemple.fr", "hana@exemple.fr"}


def email(name: str) -> str:
    return f"{name.lower()}@exemple.fr"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser(
        "redactrice", "redactrice@exemple.fr", "x" * 20
    )


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what a committed transaction runs (the notices), as in production."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@dataclass
class Workshop:
    page: Page
    bystander: Page  # another page of the same residence: its registrant must never be told
    registrations: dict = field(default_factory=dict)  # first name → Registration

    def reload(self):
        return Page.objects.get(pk=self.page.pk).specific


@pytest.fixture
def workshop(publish_event, residence):
    """Build, on 1 March 2026, a weekly series 14h–17h until 30 June with its registrations."""

    def build(weekdays=(1,), bookings=TUESDAY_BOOKINGS, **fields) -> Workshop:
        with time_machine.travel(SETUP, tick=False):
            page = publish_event(
                residence,
                title="Atelier couture",
                slug="atelier-couture",
                frequency="weekly",
                weekdays=list(weekdays),
                until=date(2026, 6, 30),
                registration_enabled=True,
                capacity=3,
                **fields,
            )
            bystander = publish_event(
                residence,
                title="Café des voisins",
                slug="cafe-des-voisins",
                first_date=date(2026, 5, 6),
                registration_enabled=True,
                capacity=10,
            )
            result = Workshop(page=page, bystander=bystander)
            register(occurrence_on(bystander, date(2026, 5, 6)), party("Voisin", 1, True))
            for day, parties in bookings.items():
                occurrence = occurrence_on(page, day)
                for name, adults, has_email, _ in parties:
                    result.registrations[name] = register(
                        occurrence, party(name, adults, has_email)
                    )
        for parties in bookings.values():
            for name, _, _, then in parties:
                if then == "cancelled":
                    cancel(result.registrations[name])
                elif then == "attended":
                    Registration.objects.filter(pk=result.registrations[name].pk).update(
                        attended=True
                    )
        if "Hana" in result.registrations:
            assert result.registrations["Hana"].status == Registration.Status.WAITING
        return result

    return build


def party(name: str, adults: int, has_email: bool) -> Party:
    if has_email:
        return Party(first_name=name, adults=adults, email=email(name))
    return Party(first_name=name, adults=adults, phone="06 12 34 56 78")


def occurrence_on(page, day: date) -> Occurrence:
    return Occurrence.objects.get(
        page_id=page.pk,
        start__gte=datetime.combine(day, time(0), tzinfo=PARIS),
        start__lt=datetime.combine(day + timedelta(days=1), time(0), tzinfo=PARIS),
    )


def local_days(page, **filters) -> list[date]:
    rows = Occurrence.objects.filter(page_id=page.pk, **filters).order_by("start")
    return [row.local_start.date() for row in rows]


def weekly(first: date, last: date, weekdays=(1,)) -> list[date]:
    days, day = [], first
    while day <= last:
        if day.weekday() in weekdays:
            days.append(day)
        day += timedelta(days=1)
    return days


def held_registrations() -> dict[int, int]:
    """Every registration (of every page) and the date it hangs on."""
    return dict(Registration.objects.values_list("pk", "occurrence_id"))


def publish_edit(workshop_or_page, user, **changes):
    """Edit the live page and publish the revision, as an editor does in the admin."""
    pk = workshop_or_page.page.pk if isinstance(workshop_or_page, Workshop) else workshop_or_page.pk
    page = Page.objects.get(pk=pk).specific
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision(user=user).publish()
    return Page.objects.get(pk=pk).specific


def told(mailoutbox) -> dict[str, list[str]]:
    """Who got which e-mails (subjects), by address."""
    by_address: dict[str, list[str]] = {}
    for message in mailoutbox:
        for address in message.to:
            by_address.setdefault(address, []).append(message.subject)
    return by_address


def feed(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content


def residence_feed(client, page) -> bytes:
    residence = Page.objects.get(pk=page.pk).get_parent()
    return feed(client, f"/calendrier/residence/{residence.slug}.ics")


def of_page(found: list[dict], page) -> list[dict]:
    """What a reader found of one page: its series' UID, and the UIDs of its dates apart."""
    base = f"{Page.objects.get(pk=page.pk).specific.occurrence_kind}-{page.pk}"
    return [
        e
        for e in found
        if e["uid"] == f"{base}@{settings.CALENDAR_UID_DOMAIN}" or e["uid"].startswith(base + "-")
    ]


def listed_in_window(page):
    start, end = (datetime.fromisoformat(moment) for moment in WINDOW)
    return Occurrence.objects.live().filter(page_id=page.pk, end__gt=start, start__lt=end)


def readers_agree_with_the_site(client, page, body: bytes | None = None) -> set[tuple]:
    """Both readers expand the page's part of its residence feed to exactly the site's dates."""
    body = body if body is not None else residence_feed(client, page)
    site = site_set(listed_in_window(page))
    rie = as_set(of_page(recurring_ical_events(body, *WINDOW), page))
    js = as_set(of_page(ical_js(body, *WINDOW), page))
    assert rie == site
    assert js == site
    return site


def utc(day: date, hour: int) -> str:
    moment = datetime.combine(day, time(hour), tzinfo=PARIS).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def changes_of(page, **filters) -> list[DateChange]:
    return list(DateChange.objects.filter(page_id=page.pk, **filters).order_by("start_before"))


def at(day: date, hour: int = 14) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=PARIS)


def paris_day(moment: datetime) -> date:
    return moment.astimezone(PARIS).date()


def told_body(mailoutbox, name: str) -> str:
    [message] = [m for m in mailoutbox if m.to == [email(name)]]
    return message.body


# --- Unpublish, republish -------------------------------------------------------------------


def test_unpublish_keeps_the_past_cancels_booked_dates_and_republish_restores_them(
    workshop, sector, editor, admin_client, mailoutbox, on_commit
):
    client = admin_client
    w = workshop()
    report = figures(sector, MARCH)
    registrations = held_registrations()
    past = list(
        Occurrence.objects.filter(page=w.page, start__lte=at(TODAY, 9)).values_list("pk", "start")
    )
    booked = {day: occurrence_on(w.page, day).pk for day in (APRIL_21, MAY_19)}
    readers_agree_with_the_site(client, w.page)

    with on_commit():
        response = client.post(reverse("wagtailadmin_pages:unpublish", args=(w.page.pk,)))
    assert response.status_code == 302

    # The past stays, unlisted, and keeps counting; booked future dates stay, cancelled.
    assert not w.reload().live
    assert figures(sector, MARCH) == report
    assert held_registrations() == registrations
    assert not Occurrence.objects.live().filter(page=w.page).exists()
    assert not Occurrence.objects.filter(page=w.page, listed=True).exists()
    kept = Occurrence.objects.filter(page=w.page)
    assert sorted(kept.filter(start__lte=at(TODAY, 9)).values_list("pk", "start")) == sorted(past)
    assert local_days(w.page, start__gt=at(TODAY, 9)) == [APRIL_21, MAY_19]
    for day, pk in booked.items():
        row = occurrence_on(w.page, day)
        assert (row.pk, row.status, row.reason) == (pk, "cancelled", UNPUBLISHED_REASON)
    assert {row.status for row in kept.filter(start__lte=at(TODAY, 9))} == {"scheduled"}
    # Exactly the active registrants with an e-mail are told of the cancellation.
    assert told(mailoutbox) == {
        "dounia@exemple.fr": ["Annulé : Atelier couture, mardi 21 avril 2026, 14h–17h"],
        "gael@exemple.fr": ["Annulé : Atelier couture, mardi 19 mai 2026, 14h–17h"],
        "hana@exemple.fr": ["Annulé : Atelier couture, mardi 19 mai 2026, 14h–17h"],
    }
    assert UNPUBLISHED_REASON in mailoutbox[0].body
    assert [(c.action, c.start_before, c.occurrence_id) for c in changes_of(w.page)] == [
        ("cancelled", at(day), booked[day]) if day in booked else ("removed", at(day), None)
        for day in weekly(date(2026, 4, 16), date(2026, 6, 30))
    ]
    # Out of the feeds: none of its dates, the bystander still there.
    assert readers_agree_with_the_site(client, w.page) == set()
    assert of_page(recurring_ical_events(residence_feed(client, w.page), *WINDOW), w.bystander)
    assert client.get(f"/calendrier/evenement/{w.page.pk}.ics").status_code == 404

    mailoutbox.clear()
    with on_commit():
        publish_edit(w, editor)

    assert figures(sector, MARCH) == report
    assert held_registrations() == registrations
    assert local_days(w.page) == weekly(date(2026, 3, 3), date(2026, 6, 30))
    assert not Occurrence.objects.filter(page=w.page, listed=False).exists()
    for day, pk in booked.items():
        row = occurrence_on(w.page, day)
        assert (row.pk, row.status, row.reason, row.previous_start) == (pk, "scheduled", "", None)
    restored = changes_of(w.page, action="restored")
    assert [(c.occurrence_id, c.user) for c in restored] == [
        (booked[APRIL_21], editor),
        (booked[MAY_19], editor),
    ]
    # The same people, and only they, hear that their date takes place after all.
    assert told(mailoutbox) == {
        "dounia@exemple.fr": ["Maintenu : Atelier couture, mardi 21 avril 2026, 14h–17h"],
        "gael@exemple.fr": ["Maintenu : Atelier couture, mardi 19 mai 2026, 14h–17h"],
        "hana@exemple.fr": ["Maintenu : Atelier couture, mardi 19 mai 2026, 14h–17h"],
    }
    site = readers_agree_with_the_site(client, w.page)
    assert len(site) == len(weekly(date(2026, 3, 3), date(2026, 6, 30)))


def test_the_cancellation_sent_on_unpublish_does_not_link_to_the_withdrawn_page(
    workshop, admin_client, client, mailoutbox, on_commit
):
    w = workshop()
    with on_commit():
        admin_client.post(reverse("wagtailadmin_pages:unpublish", args=(w.page.pk,)))
    assert client.get(w.page.url).status_code == 404
    assert w.page.url not in told_body(mailoutbox, "dounia")


# --- Deletion -------------------------------------------------------------------------------


def test_the_orm_refuses_to_delete_a_page_or_residence_holding_history(
    workshop, residence, sector, mailoutbox
):
    w = workshop()
    report, registrations = figures(sector, MARCH), held_registrations()
    rows = set(Occurrence.objects.values_list("pk", flat=True))

    with pytest.raises(ProtectedError):
        w.reload().delete()
    with pytest.raises(ProtectedError):
        Page.objects.get(pk=residence.pk).delete()

    assert Page.objects.filter(pk__in=[w.page.pk, residence.pk, w.bystander.pk]).count() == 3
    assert set(Occurrence.objects.values_list("pk", flat=True)) == rows
    assert held_registrations() == registrations
    assert figures(sector, MARCH) == report
    assert mailoutbox == []


def test_the_orm_refuses_to_delete_a_page_whose_only_history_is_a_future_booking(
    publish_event, residence
):
    with time_machine.travel(SETUP, tick=False):
        page = publish_event(residence, first_date=date(2026, 5, 6), registration_enabled=True)
        register(occurrence_on(page, date(2026, 5, 6)), party("Alice", 1, True))
    cancel(Registration.objects.get())  # even a cancelled registration is history
    with pytest.raises(ProtectedError):
        Page.objects.get(pk=page.pk).specific.delete()
    assert Registration.objects.count() == 1 and Occurrence.objects.filter(page=page).exists()


def test_the_orm_deletes_a_page_with_only_future_unbooked_dates(publish_event, residence):
    page = publish_event(residence, first_date=date(2026, 5, 5), frequency="weekly", count=4)
    assert Occurrence.objects.filter(page=page).count() == 4
    Page.objects.get(pk=page.pk).specific.delete()
    assert not Page.objects.filter(pk=page.pk).exists()
    assert not Occurrence.objects.filter(page_id=page.pk).exists()


def test_a_refused_orm_deletion_leaves_no_deletion_in_the_page_history(workshop):
    w = workshop()
    with pytest.raises(ProtectedError):
        w.reload().delete()
    assert not PageLogEntry.objects.filter(page_id=w.page.pk, action="wagtail.delete").exists()


REFUSAL = (
    "Cette page ne peut pas être supprimée : elle garde l'historique de 7 dates passées et "
    "8 inscriptions, qui comptent dans les rapports d'activité. Dépubliez-la plutôt : ses dates "
    "à venir disparaîtront du portail et les personnes inscrites seront prévenues."
)


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_admin_refuses_to_delete_a_page_holding_history(
    workshop, residence, sector, admin_client, method, mailoutbox, on_commit
):
    w = workshop()
    report, registrations = figures(sector, MARCH), held_registrations()
    rows = set(Occurrence.objects.values_list("pk", flat=True))
    url = reverse("wagtailadmin_pages:delete", args=(w.page.pk,))

    with on_commit():
        response = getattr(admin_client, method)(url)

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_explore", args=(residence.pk,))
    assert [str(m) for m in get_messages(response.wsgi_request)] == [REFUSAL]
    assert w.reload().live
    assert set(Occurrence.objects.values_list("pk", flat=True)) == rows
    assert held_registrations() == registrations
    assert figures(sector, MARCH) == report
    assert mailoutbox == []
    readers_agree_with_the_site(admin_client, w.page)


def test_the_admin_refuses_to_delete_a_residence_holding_history(
    workshop, residence, sector, admin_client
):
    w = workshop()
    response = admin_client.post(reverse("wagtailadmin_pages:delete", args=(residence.pk,)))
    assert response.status_code == 302
    [message] = get_messages(response.wsgi_request)
    assert "ne peut pas être supprimée" in str(message)
    assert Page.objects.filter(pk__in=[residence.pk, w.page.pk]).count() == 2


def test_the_admin_bulk_delete_refuses_pages_holding_history(workshop, residence, admin_client):
    w = workshop()
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "delete"))
    query = f"?id={w.page.pk}&id={w.bystander.pk}"
    assert admin_client.get(url + query).status_code == 200  # the confirmation; hooks run on POST
    response = admin_client.post(url + query)
    assert response.status_code == 302
    [message] = get_messages(response.wsgi_request)
    assert "ne peut pas être supprimée" in str(message)
    assert Page.objects.filter(pk__in=[w.page.pk, w.bystander.pk]).count() == 2


def test_the_admin_deletes_a_page_with_only_future_unbooked_dates(
    publish_event, residence, admin_client
):
    page = publish_event(residence, first_date=date(2026, 5, 5), frequency="weekly", count=4)
    url = reverse("wagtailadmin_pages:delete", args=(page.pk,))
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url)
    assert response.status_code == 302
    assert not Page.objects.filter(pk=page.pk).exists()
    assert not Occurrence.objects.filter(page_id=page.pk).exists()


# --- Rule changes ---------------------------------------------------------------------------


def test_adding_a_weekday_adds_only_future_dates_and_tells_nobody(
    workshop, sector, editor, client, mailoutbox, on_commit
):
    w = workshop()
    report, registrations = figures(sector, MARCH), held_registrations()
    before = dict(Occurrence.objects.filter(page=w.page).values_list("pk", "start"))

    with on_commit():
        publish_edit(w, editor, weekdays=[1, 3])  # Tuesdays and Thursdays

    rows = dict(Occurrence.objects.filter(page=w.page).values_list("pk", "start"))
    assert {pk: rows[pk] for pk in before} == before  # every Tuesday untouched, same ids
    added = [paris_day(start) for pk, start in rows.items() if pk not in before]
    assert sorted(added) == weekly(date(2026, 4, 16), date(2026, 6, 30), weekdays=(3,))
    assert not Occurrence.objects.filter(page=w.page, previous_start__isnull=False).exists()
    assert figures(sector, MARCH) == report
    assert held_registrations() == registrations
    assert mailoutbox == []
    assert changes_of(w.page) == []  # creations are told by the revisions
    site = readers_agree_with_the_site(client, w.page)
    thursdays = {utc(day, 14) for day in weekly(date(2026, 4, 16), date(2026, 6, 30), (3,))}
    assert {s[0] for s in site if s[0] not in thursdays} == {
        utc(day, 14) for day in weekly(date(2026, 3, 3), date(2026, 6, 30))
    }  # no Thursday before 16 April, in any reader


THURSDAY_BOOKINGS = {
    date(2026, 3, 12): [("Alice", 2, True, "attended")],
    APRIL_21: [("Dounia", 1, True, "")],
    date(2026, 4, 23): [("Gael", 1, True, ""), ("Emile", 1, True, "cancelled")],
}


def test_removing_a_weekday_cancels_booked_future_dates_and_keeps_the_past(
    workshop, sector, editor, client, mailoutbox, on_commit
):
    w = workshop(weekdays=(1, 3), bookings=THURSDAY_BOOKINGS)
    report, registrations = figures(sector, MARCH), held_registrations()
    booked_thursday = occurrence_on(w.page, date(2026, 4, 23)).pk
    tuesday = occurrence_on(w.page, APRIL_21).pk
    past_thursdays = weekly(date(2026, 3, 1), date(2026, 4, 14), (3,))

    with on_commit():
        publish_edit(w, editor, weekdays=[1])

    # Past Thursdays are history; the booked future one is cancelled; the others are gone.
    assert local_days(w.page) == sorted(
        weekly(date(2026, 3, 3), date(2026, 6, 30)) + past_thursdays + [date(2026, 4, 23)]
    )
    row = Occurrence.objects.get(pk=booked_thursday)
    assert (row.status, row.reason, row.listed) == ("cancelled", RETIRED_REASON, True)
    assert occurrence_on(w.page, APRIL_21).pk == tuesday
    assert figures(sector, MARCH) == report
    assert held_registrations() == registrations
    assert told(mailoutbox) == {
        "gael@exemple.fr": ["Annulé : Atelier couture, jeudi 23 avril 2026, 14h–17h"]
    }
    assert RETIRED_REASON in mailoutbox[0].body
    removed = weekly(date(2026, 4, 16), date(2026, 6, 30), (3,))
    removed.remove(date(2026, 4, 23))
    assert [(c.action, c.start_before, c.occurrence_id, c.user) for c in changes_of(w.page)] == [
        (
            "cancelled" if day == date(2026, 4, 23) else "removed",
            at(day),
            booked_thursday if day == date(2026, 4, 23) else None,
            editor,
        )
        for day in sorted([*removed, date(2026, 4, 23)])
    ]
    assert changes_of(w.page, action="cancelled")[0].active_registrations == 1
    site = readers_agree_with_the_site(client, w.page)
    assert (utc(date(2026, 4, 23), 14), utc(date(2026, 4, 23), 17), "CANCELLED") in site
    assert (utc(date(2026, 3, 12), 14), utc(date(2026, 3, 12), 17), "CONFIRMED") in site


def test_retiming_a_series_moves_future_dates_in_place_and_keeps_the_past_at_its_hour(
    workshop, sector, editor, client, mailoutbox, on_commit
):
    w = workshop()
    report, registrations = figures(sector, MARCH), held_registrations()
    future_before = {
        paris_day(start): pk
        for pk, start in Occurrence.objects.filter(page=w.page, start__gt=at(TODAY, 9)).values_list(
            "pk", "start"
        )
    }

    with on_commit():
        publish_edit(w, editor, start_time=time(15), end_time=time(18))

    rows = list(Occurrence.objects.filter(page=w.page).order_by("start"))
    assert [r.local_start.date() for r in rows] == weekly(date(2026, 3, 3), date(2026, 6, 30))
    for row in rows:
        day = row.local_start.date()
        if day < TODAY:
            assert (row.local_start.hour, row.local_end.hour) == (14, 17), day
            assert row.previous_start is None
        else:
            assert (row.local_start.hour, row.local_end.hour) == (15, 18), day
            assert row.pk == future_before[day]  # moved in place: same id, same registrations
            assert row.status == "scheduled"
            if day in (APRIL_21, MAY_19):
                assert (row.previous_start, row.previous_end) == (at(day), at(day, 17))
            else:
                assert row.previous_start is None
    assert held_registrations() == registrations
    assert figures(sector, MARCH) == report
    assert told(mailoutbox) == {
        "dounia@exemple.fr": [
            "Changement : Atelier couture, désormais mardi 21 avril 2026, 15h–18h"
        ],
        "gael@exemple.fr": ["Changement : Atelier couture, désormais mardi 19 mai 2026, 15h–18h"],
        "hana@exemple.fr": ["Changement : Atelier couture, désormais mardi 19 mai 2026, 15h–18h"],
    }
    for message in mailoutbox:
        assert "initialement le mardi" in message.body and "à 14h" in message.body
    assert "initialement le mardi 21 avril 2026 à 14h" in told_body(mailoutbox, "dounia")
    moved = changes_of(w.page)
    assert [(c.action, c.start_before, c.start_after, c.occurrence_id, c.user) for c in moved] == [
        ("moved", at(day), at(day, 15), future_before[day], editor) for day in sorted(future_before)
    ]
    # Active registrations, with or without an e-mail (Farid has only a phone number).
    assert {c.occurrence_id: c.active_registrations for c in moved if c.active_registrations} == {
        future_before[APRIL_21]: 2,
        future_before[MAY_19]: 2,
    }

    # The feed: future dates are plain instances of the new rule (no override), the past
    # stands apart at 14h, and both readers agree with the site.
    body = residence_feed(client, w.page)
    events = [
        e
        for e in icalendar.Calendar.from_ical(body).walk("VEVENT")
        if str(e["UID"]).startswith(f"event-{w.page.pk}")
    ]
    assert not [e for e in events if "RECURRENCE-ID" in e]
    master = next(e for e in events if "RRULE" in e)
    assert master["DTSTART"].dt.hour == 15
    site = readers_agree_with_the_site(client, w.page, body)
    assert (utc(date(2026, 3, 10), 14), utc(date(2026, 3, 10), 17), "CONFIRMED") in site
    assert (utc(date(2026, 4, 14), 14), utc(date(2026, 4, 14), 17), "CONFIRMED") in site
    assert (utc(APRIL_21, 15), utc(APRIL_21, 18), "CONFIRMED") in site
    assert not {s for s in site if s[0] in (utc(APRIL_21, 14), utc(date(2026, 3, 10), 15))}


def test_retiming_back_clears_what_was_first_announced(workshop, editor, mailoutbox, on_commit):
    w = workshop()
    booked = occurrence_on(w.page, APRIL_21).pk
    publish_edit(w, editor, start_time=time(15), end_time=time(18))
    with on_commit():
        publish_edit(w, editor, start_time=time(14), end_time=time(17))
    row = Occurrence.objects.get(pk=booked)
    assert (row.start, row.previous_start, row.previous_end) == (at(APRIL_21), None, None)
    assert "initialement" not in told_body(mailoutbox, "dounia")
    assert Registration.objects.filter(occurrence_id=booked).count() == 3


def test_retiming_while_a_date_is_in_progress_leaves_that_day_alone(
    workshop, editor, mailoutbox, on_commit
):
    w = workshop()
    booked = occurrence_on(w.page, APRIL_21).pk
    with time_machine.travel("2026-04-21 14:30 +02:00", tick=False), on_commit():
        publish_edit(w, editor, start_time=time(15), end_time=time(18))
        assert [
            o.pk for o in Occurrence.objects.filter(page=w.page).filter(start__date=APRIL_21)
        ] == [booked]
    assert Occurrence.objects.get(pk=booked).start == at(APRIL_21)
    assert [d for d in local_days(w.page) if d == APRIL_21] == [APRIL_21]
    assert "dounia@exemple.fr" not in told(mailoutbox)


def test_shortening_until_cancels_the_booked_date_beyond_it(
    workshop, sector, editor, client, mailoutbox, on_commit
):
    w = workshop()
    report, registrations = figures(sector, MARCH), held_registrations()
    booked = occurrence_on(w.page, MAY_19).pk
    april = occurrence_on(w.page, APRIL_21)

    with on_commit():
        publish_edit(w, editor, until=date(2026, 5, 12))

    assert local_days(w.page) == weekly(date(2026, 3, 3), date(2026, 5, 12)) + [MAY_19]
    row = Occurrence.objects.get(pk=booked)
    assert (row.status, row.reason, row.start) == ("cancelled", RETIRED_REASON, at(MAY_19))
    kept = Occurrence.objects.get(pk=april.pk)
    assert (kept.start, kept.status) == (april.start, "scheduled")
    assert held_registrations() == registrations
    assert figures(sector, MARCH) == report
    assert told(mailoutbox) == {
        address: ["Annulé : Atelier couture, mardi 19 mai 2026, 14h–17h"] for address in TOLD_19_MAY
    }
    removed = weekly(date(2026, 5, 26), date(2026, 6, 30))
    assert [(c.action, c.start_before, c.occurrence_id, c.user) for c in changes_of(w.page)] == [
        ("cancelled", at(MAY_19), booked, editor)
    ] + [("removed", at(day), None, editor) for day in removed]
    assert changes_of(w.page, action="cancelled")[0].active_registrations == 2
    site = readers_agree_with_the_site(client, w.page)
    assert (utc(MAY_19, 14), utc(MAY_19, 17), "CANCELLED") in site
    assert max(site)[0] == utc(MAY_19, 14)


def test_adding_thursdays_to_a_tuesday_permanence_leaves_march_alone(
    publish_permanence, residence, sector, editor, client
):
    with time_machine.travel(SETUP, tick=False):
        permanence = publish_permanence(residence, title="Permanence du mardi")
    before = figures(sector, MARCH)
    assert before["permanences_held"] == 5  # 3, 10, 17, 24 and 31 March
    past = dict(
        Occurrence.objects.filter(page=permanence, start__lte=at(TODAY, 9)).values_list(
            "pk", "start"
        )
    )

    publish_edit(permanence, editor, weekdays=[1, 3])

    assert figures(sector, MARCH) == before
    rows = Occurrence.objects.filter(page=permanence)
    assert dict(rows.filter(start__lte=at(TODAY, 9)).values_list("pk", "start")) == past
    thursdays = [d for d in local_days(permanence) if d.weekday() == 3]
    assert thursdays and min(thursdays) == date(2026, 4, 16)
    assert date(2026, 5, 14) not in thursdays  # Ascension: the permanence is closed
    site = readers_agree_with_the_site(client, permanence)
    march = {s for s in site if s[0].startswith("2026-03")}
    assert march == {
        (utc(d, 14), utc(d, 17), "CONFIRMED") for d in weekly(date(2026, 3, 1), date(2026, 3, 31))
    }
    early_thursdays = weekly(date(2026, 3, 1), date(2026, 4, 15), (3,))
    assert not {s for s in site if s[0][:10] in {d.isoformat() for d in early_thursdays}}


# --- Moving a residence ---------------------------------------------------------------------


@pytest.fixture
def south(home):
    return SectorPageFactory(parent=home, title="Agence Sud", slug="agence-sud")


def move_with_the_orm(residence, south, admin_client):
    Page.objects.get(pk=residence.pk).move(Page.objects.get(pk=south.pk), pos="last-child")


def move_in_the_admin(residence, south, admin_client):
    url = reverse("wagtailadmin_pages:move_confirm", args=(residence.pk, south.pk))
    assert admin_client.post(url).status_code == 302


@pytest.mark.parametrize("move", [move_with_the_orm, move_in_the_admin], ids=["orm", "admin"])
def test_moving_a_residence_rescopes_future_dates_and_keeps_the_past_report(
    workshop, residence, sector, south, admin_client, mailoutbox, on_commit, move
):
    w = workshop()
    report, registrations = figures(sector, MARCH), held_registrations()
    south_report = figures(south, MARCH)
    rows = dict(Occurrence.objects.filter(page=w.page).values_list("pk", "start"))

    with on_commit():
        move(residence, south, admin_client)

    assert Page.objects.get(pk=residence.pk).get_parent().pk == south.pk
    assert figures(sector, MARCH) == report
    assert figures(south, MARCH) == south_report
    assert dict(Occurrence.objects.filter(page=w.page).values_list("pk", "start")) == rows
    for page in (w.page, w.bystander):
        for row in Occurrence.objects.filter(page=page):
            expected = sector.pk if row.start <= at(TODAY, 9) else south.pk
            assert (row.sector_id, row.residence_id) == (expected, residence.pk), row
    assert held_registrations() == registrations
    assert mailoutbox == []
    april = figures(south, Period(date(2026, 4, 16), date(2026, 6, 30)))
    # Dounia, Farid, Gael and the bystander's Voisin are confirmed; nothing held yet.
    assert april["registrations"] == 4 and april["events_held"] == 0
    readers_agree_with_the_site(admin_client, w.page)
    south_feed = feed(admin_client, "/calendrier/secteur/agence-sud.ics")
    assert (utc(APRIL_21, 14), utc(APRIL_21, 17), "CONFIRMED") in as_set(
        of_page(recurring_ical_events(south_feed, *WINDOW), w.page)
    )


def test_moving_a_residence_logs_the_rescoped_booked_dates(workshop, residence, south):
    w = workshop()
    Page.objects.get(pk=residence.pk).move(Page.objects.get(pk=south.pk), pos="last-child")
    assert {c.occurrence_id for c in changes_of(w.page, action="rescoped")} >= {
        occurrence_on(w.page, APRIL_21).pk,
        occurrence_on(w.page, MAY_19).pk,
    }


def move_the_residence_to_another_sector(w, residence, south):
    Page.objects.get(pk=residence.pk).move(Page.objects.get(pk=south.pk), pos="last-child")
    return "/calendrier/secteur/agence-nord.ics"


def move_the_page_to_another_residence(w, residence, south):
    other = ResidencePageFactory(parent=Page.objects.get(pk=residence.get_parent().pk))
    Page.objects.get(pk=w.page.pk).move(Page.objects.get(pk=other.pk), pos="last-child")
    return "/calendrier/residence/les-tilleuls.ics"


@pytest.mark.parametrize(
    "move",
    [move_the_residence_to_another_sector, move_the_page_to_another_residence],
    ids=["residence-to-sector", "page-to-residence"],
)
def test_after_a_move_the_old_scope_feed_no_longer_lists_the_future_dates(
    workshop, residence, south, client, move
):
    w = workshop()
    old_feed = move(w, residence, south)
    assert (
        not Occurrence.objects.live()
        .filter(page=w.page, start__gt=at(TODAY, 9))
        .filter(sector__slug="agence-nord", residence__slug="les-tilleuls")
        .exists()
    )  # the site no longer shows them there
    found = as_set(of_page(recurring_ical_events(feed(client, old_feed), *WINDOW), w.page))
    assert not {s for s in found if s[0] > utc(TODAY, 9)}
