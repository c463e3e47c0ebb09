"""Printed matter (#20): poster A4 and A5, the hall programme, the sign-in sheet and the permanence
schedule, each printable from the browser and downloadable as a PDF made on the server.

The PDFs are opened with pypdf: page count, page size, and the text a reader would extract. Where
WeasyPrint's system libraries are missing those tests skip, except under REQUIRE_BROWSER=1 (CI,
which installs them), where they fail.
"""

import builtins
import io
import os
import re
from datetime import date, time
from urllib.parse import urlencode

import pytest
import time_machine
from pypdf import PdfReader

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from wagtail.models import GroupPagePermission

from events.models import Registration, SeatCounter
from events.registrations.services import Party, register
from portal import pdf
from tests.factories import ResidencePageFactory, SectorPageFactory
from tests.french import fr

pytestmark = pytest.mark.django_db

UNAVAILABLE = (
    "Le PDF n'est pas disponible sur ce serveur : imprimez la page depuis votre navigateur"
)
# PDF points: A4 is 210 × 297 mm, A5 148 × 210 mm.
A4 = (595.3, 841.9)
A5 = (419.5, 595.3)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-03-01 09:00 +01:00", tick=False):
        yield


@pytest.fixture(autouse=True)
def fresh_engine():
    """Each test looks for WeasyPrint anew, and leaves no simulated failure behind."""
    pdf.forget_engine()
    yield
    pdf.forget_engine()


@pytest.fixture
def weasyprint():
    if not pdf.pdf_available():
        reason = "WeasyPrint's system libraries are missing (see the README, printed matter)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but the PDF tests cannot run: {reason}")
        pytest.skip(reason=reason)


@pytest.fixture
def no_weasyprint(monkeypatch):
    """WeasyPrint as on a server without Pango: importing it raises OSError, as cffi does."""
    real_import = builtins.__import__

    def failing_import(name, *args, **kwargs):
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise OSError("cannot load library 'libpango-1.0-0': error 0x7e")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", failing_import)
    pdf.forget_engine()


@pytest.fixture
def service_phone(home):
    from portal.models import PortalSettings

    settings = PortalSettings.for_site(home.get_site())
    settings.contact_phone = "03 20 00 00 01"
    settings.save()
    return settings.contact_phone


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser("chef", "chef@example.fr", "motdepasse-long")
    client.force_login(user)
    return client


@pytest.fixture
def workshop(publish_event, residence, service_phone):
    """Four Tuesdays from 3 March 2026, sign-up by phone, the 10th moved to the 11th at 10h."""
    return publish_event(
        residence,
        title="Atelier cuisine",
        frequency="weekly",
        count=4,
        registration_enabled=True,
        capacity=12,
        signup_phone="03 20 99 99 99",
        exceptions=[
            {
                "kind": "moved",
                "date": date(2026, 3, 10),
                "new_date": date(2026, 3, 11),
                "new_start_time": time(10),
                "new_end_time": time(12),
            },
            {"kind": "cancelled", "date": date(2026, 3, 24), "reason": "Salle en travaux"},
        ],
    )


def open_pdf(response) -> PdfReader:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response.content.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(response.content))


def text_of(reader: PdfReader) -> str:
    """The extracted text with its line breaks and spacing evened out."""
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def size_of(page) -> tuple[float, float]:
    return (round(float(page.mediabox.width), 1), round(float(page.mediabox.height), 1))


def with_query(path: str, **params) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def poster_url(page, **params) -> str:
    return with_query(reverse("event_poster", args=(page.pk,)), **params)


# The poster


def test_the_a4_poster_pdf_has_title_dates_moved_date_and_phone(weasyprint, admin_client, workshop):
    reader = open_pdf(admin_client.get(poster_url(workshop, pdf=1)))
    assert len(reader.pages) == 1
    assert size_of(reader.pages[0]) == A4
    text = text_of(reader)
    assert "Atelier cuisine" in text
    assert "Mardi 3 mars 2026, 14h–17h" in text
    assert "Mercredi 11 mars 2026, 10h–12h" in text
    assert "date modifiée, initialement le mardi 10 mars 2026 à 14h" in text
    assert "Mardi 24 mars 2026" in text and "annulé" in text
    assert "Inscription par téléphone : 03 20 99 99 99" in text


def test_the_a5_poster_is_an_a5_page_with_the_same_essentials(weasyprint, admin_client, workshop):
    response = admin_client.get(poster_url(workshop, format="a5", pdf=1))
    assert response["Content-Disposition"] == 'attachment; filename="affiche-atelier-1-a5.pdf"'
    reader = open_pdf(response)
    assert len(reader.pages) == 1
    assert size_of(reader.pages[0]) == A5
    text = text_of(reader)
    assert "Atelier cuisine" in text and "Mardi 3 mars 2026" in text
    assert "03 20 99 99 99" in text
    assert "initialement le mardi 10 mars 2026 à 14h" in text


@pytest.mark.parametrize("paper", ["a4", "a5"])
def test_the_fullest_poster_still_fits_one_page(
    weasyprint, admin_client, publish_event, residence, service_phone, paper
):
    """A long title, address and summary, and every date shown moved: still one sheet."""
    page = publish_event(
        residence,
        title="Grand atelier de cuisine du monde et de partage entre voisins",
        summary=("Une très longue description de l'atelier. " * 7)[:300],
        frequency="weekly",
        count=8,
        registration_enabled=True,
        venue_name="Salle commune du bâtiment B, entrée par la cour",
        venue_address="12 rue des Lilas, 59000 Lille",
        exceptions=[
            {
                "kind": "moved",
                "date": date(2026, 3, day),
                "new_date": date(2026, 3, day + 1),
                "new_start_time": time(10),
                "new_end_time": time(12),
            }
            for day in (3, 10, 17, 24)
        ],
    )
    params = {"pdf": 1} if paper == "a4" else {"format": "a5", "pdf": 1}
    reader = open_pdf(admin_client.get(poster_url(page, **params)))
    assert len(reader.pages) == 1
    assert text_of(reader).count("date modifiée") == 4


def test_the_poster_page_offers_a5_and_the_pdf(admin_client, workshop):
    a4 = admin_client.get(poster_url(workshop)).content.decode()
    assert 'class="print-sheet poster paper-a4"' in a4
    assert 'href="?format=a5">Version A5' in a4
    assert "<svg" in a4  # the QR code, inline
    a5 = admin_client.get(poster_url(workshop, format="a5")).content.decode()
    assert 'class="print-sheet poster paper-a5"' in a5
    assert ">Version A4</a>" in a5
    if pdf.pdf_available():
        link = poster_url(workshop, format="a5", pdf=1).replace("&", "&amp;")
        assert f'href="{link}">Télécharger le PDF' in a5
    registrations = admin_client.get(
        reverse("event_registrations", args=(workshop.pk,))
    ).content.decode()
    assert "?format=a5&amp;pdf=1" in registrations and "Affiche A5" in registrations


# The sign-in sheet


@pytest.fixture
def full_outing(outing, service_phone):
    """Five places: three households confirmed (5 people), two waiting, in this order."""
    SeatCounter.objects.filter(occurrence=outing).update(capacity=5)
    for first_name, adults, children in (("Awa", 1, 1), ("Bintou", 1, 0), ("Chloé", 2, 0)):
        register(outing, Party(first_name=first_name, adults=adults, children=children))
    register(outing, Party(first_name="Luc", adults=2))
    register(outing, Party(first_name="Mo", adults=1, children=2))
    statuses = dict(Registration.objects.values_list("first_name", "status"))
    assert statuses == {
        "Awa": "confirmed",
        "Bintou": "confirmed",
        "Chloé": "confirmed",
        "Luc": "waiting",
        "Mo": "waiting",
    }
    return outing


def sheet_url(occurrence, **params) -> str:
    return with_query(reverse("occurrence_signin_sheet", args=(occurrence.pk,)), **params)


def test_the_sheet_lists_households_a_few_blank_rows_and_the_waiting_list_apart(
    admin_client, full_outing
):
    html = admin_client.get(sheet_url(full_outing)).content.decode()
    expected, waiting = html.split("Liste d'attente</h2>")
    assert all(name in expected for name in ("Awa", "Bintou", "Chloé"))
    assert "Luc" not in expected and "Mo" not in expected
    assert html.count('<tr class="blank">') == 3  # full: the minimum, not 20
    assert waiting.index("Luc") < waiting.index("Mo")  # in their turn
    assert "1 adulte + 2 enfants" in waiting


def test_the_sign_in_sheet_pdf_is_one_page_with_the_waiting_list_apart(
    weasyprint, admin_client, full_outing
):
    reader = open_pdf(admin_client.get(sheet_url(full_outing, pdf=1)))
    assert len(reader.pages) == 1
    assert size_of(reader.pages[0]) == A4
    text = text_of(reader)
    assert "Feuille d'émargement" in text and "Sortie à la mer" in text
    assert re.search(r"Samedi 1(er)? juin 2030, 8h–19h", text)
    expected, waiting = text.split("Liste d'attente")[-2:]
    assert "Awa" in expected and "Chloé" in expected and "Luc" not in expected
    assert re.search(r"1 Luc 2 adultes.*2 Mo 1 adulte \+ 2 enfants", waiting)


def test_free_places_give_blank_rows_but_the_sheet_stays_on_one_page(
    weasyprint, admin_client, outing
):
    SeatCounter.objects.filter(occurrence=outing).update(capacity=40)
    for first_name in ("Awa", "Bintou", "Chloé"):
        register(outing, Party(first_name=first_name, adults=1))
    html = admin_client.get(sheet_url(outing)).content.decode()
    blank = html.count('<tr class="blank">')
    assert 3 < blank < 37  # more rows for the free places, capped to what one page holds
    assert "Liste d'attente</h2>" not in html
    reader = open_pdf(admin_client.get(sheet_url(outing, pdf=1)))
    assert len(reader.pages) == 1


# The monthly programme of a residence's hall


@pytest.fixture
def programme(publish_event, publish_permanence, residence, sector, home, workshop):
    """The workshop (a moved and a cancelled date), a permanence, a sector-wide and a
    landlord-wide event, and, elsewhere, what the Tilleuls page does not show."""
    publish_permanence(residence, title="Permanence des Tilleuls", count=5)
    publish_event(sector, title="Forum de l'emploi", first_date=date(2026, 3, 18))
    publish_event(home, title="Grand nettoyage de printemps", first_date=date(2026, 3, 28))
    other = ResidencePageFactory(parent=sector, title="Les Acacias", slug="les-acacias")
    publish_event(other, title="Goûter des Acacias", first_date=date(2026, 3, 5))
    elsewhere = SectorPageFactory(parent=home, title="Agence Sud", slug="agence-sud")
    publish_event(elsewhere, title="Loto du Sud", first_date=date(2026, 3, 6))
    publish_event(residence, title="Fête d'avril", first_date=date(2026, 4, 2))
    return residence


def programme_url(residence, **params) -> str:
    return with_query(reverse("events:printable_programme", args=(residence.slug,)), **params)


def test_the_programme_shows_what_the_residence_page_shows(client, programme):
    response = client.get(programme_url(programme, mois="2026-03"))
    assert response.status_code == 200
    html = response.content.decode()
    for title in ("Atelier cuisine", "Permanence des Tilleuls", "Forum de l", "Grand nettoyage"):
        assert title in html
    for title in ("Goûter des Acacias", "Loto du Sud", "Fête d"):
        assert title not in html
    assert "Mars 2026" in html
    assert "ANNULÉE</strong> (Salle en travaux)" in html
    assert "Date modifiée</strong> (initialement le mardi 10 mars 2026 à 14h)" in html
    assert "<strong>03 20 00 00 01</strong>" in html  # the sheet's phone: the service's
    assert "Sur inscription</strong> au 03 20 99 99 99" in html  # the workshop's own
    april = client.get(programme_url(programme, mois="2026-04")).content.decode()
    assert "Fête d" in april and "Atelier cuisine" not in april


def test_the_programme_pdf_has_the_title_dates_cancelled_moved_and_phone(
    weasyprint, client, programme
):
    response = client.get(programme_url(programme, mois="2026-03", pdf=1))
    assert response["Content-Disposition"] == (
        'attachment; filename="programme-les-tilleuls-2026-03.pdf"'
    )
    reader = open_pdf(response)
    assert len(reader.pages) == 1
    assert all(size_of(page) == A4 for page in reader.pages)
    text = text_of(reader)
    assert "Le programme du mois" in text and "Les Tilleuls – Mars 2026" in text
    assert "Mardi 3 mars" in text and "Atelier cuisine" in text
    assert "ANNULÉE (Salle en travaux)" in text
    assert "Date modifiée (initialement le mardi 10 mars 2026 à 14h)" in text
    assert "Permanence des Tilleuls" in text and "Forum de l'emploi" in text
    assert "03 20 00 00 01" in text and "03 20 99 99 99" in text


def test_a_date_moved_out_of_the_month_is_listed_where_it_was(client, publish_event, residence):
    publish_event(
        residence,
        title="Repas partagé",
        first_date=date(2026, 3, 31),
        exceptions=[
            {
                "kind": "moved",
                "date": date(2026, 3, 31),
                "new_date": date(2026, 4, 1),
                "new_start_time": time(12),
                "new_end_time": time(14),
            }
        ],
    )
    march = client.get(programme_url(residence, mois="2026-03")).content.decode()
    assert "Mardi 31 mars" in march
    assert re.search(r"<strong>Déplacée</strong>\u00a0: mercredi 1(er)? avril 2026, 12h–14h", march)
    april = client.get(programme_url(residence, mois="2026-04")).content.decode()
    assert "Date modifiée</strong> (initialement le mardi 31 mars 2026 à 14h)" in april


def test_the_residence_page_links_the_programme(client, programme):
    html = client.get(programme.url).content.decode()
    assert reverse("events:printable_programme", args=(programme.slug,)) in html
    assert reverse("events:printable_permanences", args=(programme.slug,)) in html


def test_an_unknown_or_unpublished_residence_has_no_programme(client, residence):
    assert client.get("/programme/imprimer/inconnue/").status_code == 404
    residence.unpublish()
    assert client.get(programme_url(residence)).status_code == 404


# The monthly permanence schedule


def test_the_permanence_schedule_pdf(weasyprint, client, publish_permanence, residence, sector):
    sector.phone = "03 20 00 00 02"
    sector.save_revision().publish()
    publish_permanence(
        residence,
        title="Permanence des Tilleuls",
        exceptions=[{"kind": "cancelled", "date": date(2026, 3, 17), "reason": "Formation"}],
    )
    url = reverse("events:printable_permanences", args=(residence.slug,))
    html = client.get(url, {"mois": "2026-03"}).content.decode()
    if pdf.pdf_available():
        assert 'href="/permanences/imprimer/les-tilleuls/?mois=2026-03&amp;pdf=1"' in html
    reader = open_pdf(client.get(url, {"mois": "2026-03", "pdf": "1"}))
    assert len(reader.pages) == 1
    text = text_of(reader)
    assert "Permanences de médiation" in text and "Mars 2026" in text
    assert "Mardi 3 mars" in text and "Mardi 31 mars" in text
    assert "ANNULÉE (Formation)" in text
    assert "03 20 00 00 02" in text


def test_public_pdfs_are_limited_per_address(client, residence, monkeypatch):
    monkeypatch.setattr(pdf, "PUBLIC_PDF_LIMIT", 0)
    response = client.get(programme_url(residence, pdf=1))
    assert response.status_code == 429
    assert client.get(programme_url(residence)).status_code == 200  # the page itself is not


# Who may print


def test_a_mediator_of_another_sector_gets_no_pdf(client, full_outing, home):
    other_sector = SectorPageFactory(parent=home)
    group = Group.objects.create(name="Médiateurs ailleurs")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(group=group, page=other_sector, permission_type="change")
    user = get_user_model().objects.create_user("mediateur", password="motdepasse-long")
    user.groups.add(group)
    client.force_login(user)
    for path in (
        poster_url(full_outing.page, pdf=1),
        poster_url(full_outing.page, format="a5", pdf=1),
        poster_url(full_outing.page, format="a5"),
        sheet_url(full_outing, pdf=1),
        sheet_url(full_outing),
    ):
        response = client.get(path)
        assert response.status_code in (302, 403), path
        assert not response.content.startswith(b"%PDF")
        assert b"Awa" not in response.content and b"Luc" not in response.content


# Without WeasyPrint's libraries


def test_without_the_libraries_the_pages_say_so_and_still_print(
    no_weasyprint, admin_client, client, workshop, full_outing, residence
):
    assert not pdf.pdf_available()
    pages = [
        admin_client.get(poster_url(workshop)),
        admin_client.get(poster_url(workshop, format="a5")),
        admin_client.get(sheet_url(full_outing)),
        client.get(programme_url(residence, mois="2026-03")),
        client.get(reverse("events:printable_permanences", args=(residence.slug,))),
    ]
    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        assert fr(UNAVAILABLE) in html
        assert "Télécharger le PDF" not in html
        assert "Ctrl + P" in html
    asked = [
        admin_client.get(poster_url(workshop, pdf=1)),
        admin_client.get(sheet_url(full_outing, pdf=1)),
        client.get(programme_url(residence, mois="2026-03", pdf=1)),
    ]
    for response in asked:
        assert response.status_code == 503
        assert response["Content-Type"].startswith("text/html")
        html = response.content.decode()
        assert fr(UNAVAILABLE) in html and "Ctrl + P" in html
    assert "Atelier cuisine" in asked[0].content.decode()
    assert "Awa" in asked[1].content.decode()


def test_the_missing_library_is_looked_for_once(no_weasyprint, monkeypatch):
    tries = []
    failing_import = builtins.__import__

    def counting_import(name, *args, **kwargs):
        if name == "weasyprint":
            tries.append(name)
        return failing_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", counting_import)
    assert [pdf.pdf_available() for _ in range(3)] == [False, False, False]
    assert tries == ["weasyprint"]


# Nothing fetched from the network


def test_the_fetcher_serves_only_our_static_files_and_data_uris(weasyprint):
    fetcher = pdf.url_fetcher("http://testserver/")
    css = fetcher.fetch("http://testserver/static/portal/css/print.css")
    assert b"@page" in css.read() and css.content_type == "text/css"
    assert fetcher.fetch("data:text/plain;base64,QQ==").read() == b"A"
    for url in (
        "https://example.org/logo.png",
        "http://testserver/admin/",
        "http://testserver/static/../../portal/settings/base.py",
        "http://testserver/static/%2e%2e/%2e%2e/manage.py",
        "file:///etc/passwd",
        "ftp://example.org/x",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_a_remote_resource_in_a_print_page_is_never_fetched(weasyprint, rf, monkeypatch):
    import socket

    def no_network(*args, **kwargs):
        raise AssertionError("WeasyPrint tried the network")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    from django.template import engines

    template = engines["django"].from_string(
        '{% load static %}<html><head><link rel="stylesheet" href="{% static "portal/css/print.css" %}">'
        '<link rel="stylesheet" href="https://example.org/x.css"></head><body class="print-sheet">'
        '<h1>Essai</h1><img src="https://example.org/x.png" alt=""></body></html>'
    )
    monkeypatch.setattr(
        "portal.pdf.render_to_string", lambda name, context, request: template.render(context)
    )
    response = pdf.render_pdf(rf.get("/"), "unused.html", {}, "essai.pdf")
    assert "Essai" in text_of(open_pdf(response))
