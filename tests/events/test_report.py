"""The activity report: correct figures for a sector and period, scoped, CSV and printable."""

import csv
import html
import io
from datetime import date, time

import pytest
import time_machine

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import Registration
from events.registrations.services import Party, register
from residences.teams import setup_sector_team
from tests.factories import ResidencePageFactory, SectorPageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.engine]

MARCH = {"secteur": "agence-nord", "du": "2026-03-01", "au": "2026-03-31"}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-04-15 09:00 +02:00", tick=False):
        yield


@pytest.fixture
def activity(publish_event, publish_permanence, residence, home):
    from events.models import Occurrence

    with time_machine.travel("2026-03-01 09:00 +01:00", tick=False):
        outing = publish_event(
            residence, first_date=date(2026, 3, 14), registration_enabled=True, capacity=10
        )
        occurrence = Occurrence.objects.get(page=outing)
        for n, adults in enumerate((2, 3, 1)):
            register(occurrence, Party(first_name=f"P{n}", adults=adults, email=f"p{n}@example.fr"))
        publish_event(
            residence,
            first_date=date(2026, 3, 3),
            frequency="weekly",
            count=4,
            exceptions=[{"kind": "cancelled", "date": date(2026, 3, 10), "reason": "Grève"}],
        )
        publish_permanence(
            residence,
            first_date=date(2026, 3, 2),
            count=5,
            exceptions=[{"kind": "cancelled", "date": date(2026, 3, 16), "reason": "Congés"}],
        )
        south = SectorPageFactory(parent=home, slug="agence-sud", title="Agence Sud")
        publish_event(ResidencePageFactory(parent=south), first_date=date(2026, 3, 20))
    Registration.objects.filter(first_name__in=["P0", "P1"]).update(attended=True)
    return south


def report(client, **params):
    response = client.get(reverse("activity_report"), params)
    assert response.status_code == 200
    return response


def test_figures_for_march(admin_client, activity):
    rows = dict(
        report(admin_client, secteur="agence-nord", du="2026-03-01", au="2026-03-31").context[
            "rows"
        ]
    )
    assert rows == {
        "Animations tenues (dates)": 4,  # the outing + 3 of 4 weekly dates
        "Animations différentes": 2,
        "Dates d'animation annulées": 1,
        "Inscriptions confirmées": 3,
        "Personnes inscrites": 6,
        "Personnes présentes (émargement)": 5,
        "Permanences tenues": 4,  # 2, 9, 23, 30 March (6 April is Easter Monday, beyond the period)
        "Permanences annulées": 1,
    }


def test_defaults_to_last_month_and_the_first_sector(admin_client, activity):
    response = report(admin_client)
    assert response.context["period"].first == date(2026, 3, 1)
    assert response.context["sector"].slug == "agence-nord"


def test_csv_and_printable(admin_client, activity):
    response = admin_client.get(
        reverse("activity_report"),
        {"secteur": "agence-nord", "du": "2026-03-01", "au": "2026-03-31", "format": "csv"},
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert ["Personnes inscrites", "6", "0"] in rows
    printable = admin_client.get(
        reverse("activity_report"), {"secteur": "agence-nord", "format": "imprimer"}
    ).content.decode()
    assert (
        "Rapport d&#x27;activité de la médiation" in printable
        or "Rapport d'activité de la médiation" in printable
    )


def test_mediator_sees_only_their_sector(client, activity, sector):
    team = setup_sector_team(sector, require_approval=False)
    setup_sector_team(activity, require_approval=False)
    user = get_user_model().objects.create_user("nadia", password="motdepasse-long")
    user.groups.add(team.mediators)
    client.force_login(user)
    response = report(client, secteur="agence-sud", du="2026-03-01", au="2026-03-31")
    assert response.context["sector"].slug == "agence-nord"
    assert "Agence Sud" not in response.content.decode()


def test_bad_parameters(admin_client, activity):
    response = report(admin_client, secteur="agence-nord", du="2026-03-31", au="2026-03-01")
    assert (
        "La date de fin doit être le même jour ou après la date de début."
        in response.content.decode()
    )
    for params in ({"du": "n'importe"}, {"secteur": "<script>"}, {"au": "2026-99-99"}):
        assert admin_client.get(reverse("activity_report"), params).status_code == 200


def test_queries_are_constant(
    admin_client, activity, publish_event, residence, sector, django_assert_num_queries
):
    """Page, CSV and print view: the same number of queries with many more dates, residences,
    categories, registrations, cancellations and last year's activity."""
    from events.models import EventCategory, Occurrence

    outputs = [{}, {"format": "csv"}, {"format": "imprimer"}]

    def counts() -> list[int]:
        found = []
        for output in outputs:
            admin_client.get(reverse("activity_report"), MARCH | output)  # warm-up
            with CaptureQueriesContext(connection) as queries:
                admin_client.get(reverse("activity_report"), MARCH | output)
            found.append(len(queries))
        return found

    small = counts()
    categories = [EventCategory.objects.create(name=f"C{n}", slug=f"c{n}") for n in range(4)]
    residences = [residence] + [ResidencePageFactory(parent=sector) for _ in range(4)]
    for year in (2025, 2026):
        with time_machine.travel(f"{year}-03-01 09:00 +01:00", tick=False):
            for day in range(1, 20):
                page = publish_event(
                    residences[day % 5],
                    first_date=date(year, 3, day),
                    start_time=time(10),
                    end_time=time(11),
                    category=categories[day % 4],
                    registration_enabled=True,
                    exceptions=(
                        [{"kind": "cancelled", "date": date(year, 3, day), "reason": "x"}]
                        if day % 6 == 0
                        else []
                    ),
                )
                occurrence = Occurrence.objects.get(page=page)
                if not occurrence.is_cancelled:
                    register(
                        occurrence,
                        Party(first_name="N", adults=2, email=f"n{year}{day}@example.fr"),
                    )
    Registration.objects.filter(first_name="N").update(attended=True)
    large = counts()
    assert large == small, (small, large)
    with django_assert_num_queries(small[0]):
        response = admin_client.get(reverse("activity_report"), MARCH)
    assert len(response.context["report"].residences.groups) == 5
    assert len(response.context["report"].categories.groups) == 5


# Issue #20, point 5 ------------------------------------------------------------------------


@pytest.fixture
def cancelled_tea(activity, publish_event, residence):
    """A goûter on 20 March with three people registered, cancelled on 1 March; its sheet was
    ticked anyway (attendance entered before the cancellation, or by mistake)."""
    from events.models import EventException, EventPage, Occurrence

    with time_machine.travel("2026-03-01 09:00 +01:00", tick=False):
        page = publish_event(
            residence,
            title="Goûter des voisins",
            first_date=date(2026, 3, 20),
            registration_enabled=True,
            capacity=10,
        )
        occurrence = Occurrence.objects.get(page=page)
        register(occurrence, Party(first_name="Q0", adults=2, email="q0@example.fr"))
        register(occurrence, Party(first_name="Q1", adults=1, email="q1@example.fr"))
        page = EventPage.objects.get(pk=page.pk)
        page.exceptions.add(
            EventException(kind="cancelled", date=date(2026, 3, 20), reason="Salle inondée")
        )
        page.save_revision().publish()
    occurrence.refresh_from_db()
    assert occurrence.is_cancelled
    Registration.objects.filter(occurrence=occurrence).update(attended=True)
    return occurrence


def lines(response) -> dict:
    return {line.key: (line.value, line.last_year) for line in response.context["report"].lines}


def test_a_cancelled_date_counts_as_cancelled_never_as_held(admin_client, cancelled_tea):
    response = report(admin_client, **MARCH)
    figures = {key: value for key, (value, _last) in lines(response).items()}
    assert figures == {
        "events_held": 4,
        "events_distinct": 2,
        "events_cancelled": 2,  # the weekly date of 10 March and the goûter
        "registrations": 3,  # the outing's three, not the goûter's two
        "people_registered": 6,
        "people_present": 5,
        "permanences_held": 4,
        "permanences_cancelled": 1,
    }
    cancelled = response.context["report"].cancelled
    tea = next(date for date in cancelled if date.title == "Goûter des voisins")
    assert (tea.reason, tea.people) == ("Salle inondée", 3)
    text = response.content.decode()
    assert "Dates annulées" in text and "Salle inondée" in text
    # Nor in the months: March counts the outing's six people, five present.
    march = response.context["report"].months[0]
    assert (march.month, march.registered, march.present) == (date(2026, 3, 1), 6, 5)
    # Nor in the breakdowns.
    residences = {g.label: g.values for g in response.context["report"].residences.groups}
    assert residences["Les Tilleuls"]["people_present"] == 5
    assert residences["Les Tilleuls"]["events_cancelled"] == 2


def test_breakdown_by_residence_and_by_category(
    admin_client, activity, publish_event, sector, residence
):
    from events.models import EventCategory, Occurrence

    sport = EventCategory.objects.create(name="Sport", slug="sport")
    other = ResidencePageFactory(parent=sector, title="Le Clos Fleuri", slug="le-clos-fleuri")
    with time_machine.travel("2026-03-01 09:00 +01:00", tick=False):
        match = publish_event(
            other, first_date=date(2026, 3, 21), category=sport, registration_enabled=True
        )
        register(
            Occurrence.objects.get(page=match),
            Party(first_name="R", adults=4, email="r@example.fr"),
        )
        publish_event(sector, first_date=date(2026, 3, 25), category=sport)  # the whole sector
    response = report(admin_client, **MARCH)
    built = response.context["report"]
    by_residence = {g.label: g.cells for g in built.residences.groups}
    assert list(by_residence) == ["Le Clos Fleuri", "Les Tilleuls", "Tout le secteur"]
    columns = built.residences.columns
    assert columns == [
        "Animations tenues",
        "Dates annulées",
        "Personnes inscrites",
        "Personnes présentes",
        "Permanences tenues",
    ]
    assert [value for _c, value, _l in by_residence["Le Clos Fleuri"]] == [1, 0, 4, 0, 0]
    assert [value for _c, value, _l in by_residence["Les Tilleuls"]] == [4, 1, 6, 5, 4]
    assert [value for _c, value, _l in by_residence["Tout le secteur"]] == [1, 0, 0, 0, 0]
    by_category = {g.label: [v for _c, v, _l in g.cells] for g in built.categories.groups}
    assert by_category == {"Atelier": [4, 1, 6, 5], "Sport": [2, 0, 4, 0]}
    text = html.unescape(response.content.decode())
    assert "Par résidence" in text and "Par catégorie d'animation" in text


def test_the_same_period_last_year_beside_each_figure(
    admin_client, activity, publish_event, residence
):
    from events.models import Occurrence

    with time_machine.travel("2025-03-01 09:00 +01:00", tick=False):
        page = publish_event(
            residence, first_date=date(2025, 3, 12), registration_enabled=True, capacity=20
        )
        occurrence = Occurrence.objects.get(page=page)
        register(occurrence, Party(first_name="L0", adults=3, email="l0@example.fr"))
        register(occurrence, Party(first_name="L1", adults=2, children=0, email="l1@example.fr"))
        publish_event(residence, first_date=date(2025, 4, 2))  # beyond last year's March
    Registration.objects.filter(first_name="L0").update(attended=True)
    response = report(admin_client, **MARCH)
    figures = lines(response)
    assert figures["events_held"] == (4, 1)
    assert figures["events_distinct"] == (2, 1)
    assert figures["registrations"] == (3, 2)
    assert figures["people_registered"] == (6, 5)
    assert figures["people_present"] == (5, 3)
    assert figures["permanences_held"] == (4, 0)
    built = response.context["report"]
    assert (built.previous.first, built.previous.last) == (date(2025, 3, 1), date(2025, 3, 31))
    march = built.months[0]
    assert (march.registered_last_year, march.present_last_year) == (5, 3)
    tilleuls = next(g for g in built.residences.groups if g.label == "Les Tilleuls")
    assert tilleuls.cells[3] == ("Personnes présentes", 5, 3)
    text = html.unescape(response.content.decode())
    assert "du 1er mars 2025 au 31 mars 2025" in text


def test_a_29_february_has_a_day_a_year_before():
    from events.activity.figures import Period

    period = Period(date(2028, 2, 1), date(2028, 2, 29)).year_before()
    assert (period.first, period.last) == (date(2027, 2, 1), date(2027, 2, 28))


def test_the_chart_is_an_accessible_svg_with_its_table(admin_client, activity):
    response = report(admin_client, secteur="agence-nord", du="2026-02-01", au="2026-03-31")
    text = html.unescape(response.content.decode())
    start = text.index('<svg class="participation-chart"')
    svg = text[start : text.index("</svg>", start)]
    assert 'role="img"' in svg and '<title id="participation-title">' in svg
    assert '<desc id="participation-desc">' in svg
    assert "<script" not in svg
    chart = response.context["chart"]
    february, march = chart.columns
    assert (february.current.value, march.current.value) == (0, 5)
    assert march.current.height == 160 and february.current.height == 0
    # The figures are in a table too, for screen readers and for print.
    cells = '<th scope="row">{}</th><td data-label="Inscrites">{}</td><td data-label="Présentes">{}</td>'
    assert cells.format("février 2026", 0, 0) in text
    assert cells.format("mars 2026", 6, 5) in text


def test_csv_carries_the_same_figures(admin_client, cancelled_tea):
    response = admin_client.get(reverse("activity_report"), MARCH | {"format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Secteur", "Agence Nord"]
    assert rows[4] == ["Indicateur", "01/03/2026 – 31/03/2026", "01/03/2025 – 31/03/2025"]
    assert ["Dates d'animation annulées", "2", "0"] in rows
    assert ["Personnes présentes (émargement)", "5", "0"] in rows
    assert ["Les Tilleuls", "4", "0", "2", "0", "6", "0", "5", "0", "4", "0"] in rows
    assert ["Atelier", "4", "0", "2", "0", "6", "0", "5", "0"] in rows
    assert ["2026-03", "6", "5", "0", "0"] in rows
    assert ["20/03/2026 14:00", "Goûter des voisins", "Salle inondée", "3"] in rows


def test_csv_names_cannot_become_formulas(admin_client, activity, residence):
    residence.title = '=HYPERLINK("http://x")'
    residence.save_revision().publish()
    response = admin_client.get(reverse("activity_report"), MARCH | {"format": "csv"})
    text = response.content.decode("utf-8-sig")
    assert "\n=HYPERLINK" not in text and ";=HYPERLINK" not in text


def test_print_view_holds_the_breakdowns_and_the_chart(admin_client, cancelled_tea):
    response = admin_client.get(reverse("activity_report"), MARCH | {"format": "imprimer"})
    assert response.status_code == 200
    text = html.unescape(response.content.decode())
    assert '<html lang="fr">' in text
    for expected in ("Par résidence", "Dates annulées", "Salle inondée", "participation-chart"):
        assert expected in text
    assert "du 1er mars 2026 au 31 mars 2026" in text.casefold()


def test_the_title_follows_the_users_language(client, activity):
    user = get_user_model().objects.create_superuser("anna", "anna@example.fr", "motdepasse-long")
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(user)
    text = html.unescape(report(client, **MARCH).content.decode())
    assert "March 1, 2026" in text and "March 31, 2026" in text
    assert "1 March 2026" not in text and "mars" not in text
    printable = html.unescape(
        client.get(reverse("activity_report"), MARCH | {"format": "imprimer"}).content.decode()
    )
    assert '<html lang="en">' in printable and "March 1, 2026" in printable
    french = get_user_model().objects.create_superuser("rene", "rene@example.fr", "motdepasse-l")
    client.force_login(french)
    assert "du 1er mars 2026 au 31 mars 2026" in html.unescape(
        report(client, **MARCH).content.decode()
    )


def test_a_mediator_exports_only_their_sector(client, activity, sector):
    team = setup_sector_team(sector, require_approval=False)
    setup_sector_team(activity, require_approval=False)
    user = get_user_model().objects.create_user("nadia", password="motdepasse-long")
    user.groups.add(team.mediators)
    client.force_login(user)
    forged = MARCH | {"secteur": "agence-sud"}
    for output in ("csv", "imprimer"):
        response = client.get(reverse("activity_report"), forged | {"format": output})
        body = response.content.decode("utf-8-sig")
        assert "Agence Nord" in body and "Agence Sud" not in body
    page = report(client, **forged)
    labels = [g.label for g in page.context["report"].residences.groups]
    assert labels == ["Les Tilleuls"]  # the south residence's event is not in it


def test_no_chart_without_anyone_present(admin_client, activity):
    response = report(admin_client, secteur="agence-nord", du="2026-01-01", au="2026-01-31")
    text = html.unescape(response.content.decode())
    assert 'class="participation-chart"' not in text
    assert "pas de graphique" in text
    assert '<th scope="row">janvier 2026</th>' in text  # the table stays


def test_the_report_ends_with_the_situations_of_its_sector(admin_client, activity):
    html = report(admin_client, secteur="agence-nord").content.decode()
    assert "Bilan des situations" in html and 'data-figure="requests"' in html
