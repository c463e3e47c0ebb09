"""The English catalogue: our admin labels follow the user's language, the public site stays French."""

import gettext
import re
from datetime import date, time
from pathlib import Path

import pytest

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from wagtail import hooks
from wagtail.users.models import UserProfile

from events.models import EventCategory, EventPage, PermanencePage, Registration
from residences.models import MediatorProfile
from residences.wagtail_hooks import PeopleViewSetGroup

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")


def read_po(path: Path) -> list[dict]:
    """Entries of a .po file: msgid, msgstr (joined continuation lines) and flags."""
    entries, entry, field = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        # An entry ends at a blank line, or where the next one starts without one (makemessages
        # writes a new file's header and first entry together).
        starts_next = field == "msgstr" and line.startswith(("#", "msgid "))
        if not line.strip() or starts_next:
            if entry is not None:
                entries.append(entry)
            entry, field = None, None
            if not line.strip():
                continue
        if entry is None:
            entry = {"msgid": "", "msgstr": "", "flags": set(), "plural": False}
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith(("msgid_plural", "msgstr[")):
            entry["plural"] = True
            field, _, rest = line.partition(" ")
            if field == "msgid_plural":
                entry["msgid_plural"] = unquote(rest)
            if field.startswith("msgstr["):
                entry.setdefault("forms", []).append(unquote(rest))
                field = "forms"
        elif line.startswith(("msgid ", "msgstr ")):
            field, _, rest = line.partition(" ")
            entry[field] = unquote(rest)
        elif line.startswith('"') and field == "forms":
            entry["forms"][-1] += unquote(line)
        elif line.startswith('"') and field:
            entry[field] += unquote(line)
    return entries


def unquote(quoted: str) -> str:
    return quoted.strip()[1:-1].replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


ENTRIES = read_po(CATALOGUE / "django.po")


def test_every_entry_is_translated_and_none_is_fuzzy():
    assert len(ENTRIES) > 300, "the catalogue lost most of its entries"
    header, messages = ENTRIES[0], ENTRIES[1:]
    assert header["msgid"] == "" and "fuzzy" not in header["flags"]
    assert "Language: en" in header["msgstr"]
    plurals = [entry for entry in messages if entry["plural"]]
    assert [e["msgid"] for e in plurals if len(e["forms"]) != 2 or not all(e["forms"])] == []
    assert [e["msgid"] for e in messages if "fuzzy" in e["flags"]] == []
    assert [e["msgid"] for e in messages if not e["plural"] and not e["msgstr"].strip()] == []


def test_placeholders_are_kept():
    def placeholders(text: str) -> list[str]:
        return sorted(PLACEHOLDER.findall(text))

    assert [
        e["msgid"]
        for e in ENTRIES
        if not e["plural"] and placeholders(e["msgid"]) != placeholders(e["msgstr"])
    ] == []
    assert [
        e["msgid"]
        for e in ENTRIES
        if e["plural"] and any(placeholders(f) != placeholders(e["msgid"]) for f in e["forms"])
    ] == []
    assert any(PLACEHOLDER.search(e["msgid"]) for e in ENTRIES)  # the check has something to do


def test_committed_mo_matches_the_po():
    """The .mo is committed (a fresh machine has no msgfmt): it must not lag behind the .po."""
    with (CATALOGUE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [
        e["msgid"]
        for e in ENTRIES[1:]
        if (
            [compiled.ngettext(e["msgid"], e["msgid_plural"], n) for n in (1, 2)] != e["forms"]
            if e["plural"]
            else compiled.gettext(e["msgid"]) != e["msgstr"]
        )
    ]
    assert stale == []


def test_model_labels_follow_the_active_language():
    waiting = Registration.Status.WAITING.label
    public_note = PermanencePage._meta.get_field("public_note")
    with translation.override("en"):
        assert str(EventPage._meta.verbose_name) == "activity"
        assert str(EventPage._meta.verbose_name_plural) == "activities"
        assert str(PermanencePage._meta.verbose_name) == "drop-in hours"
        assert str(public_note.verbose_name) == "good to know"
        assert str(PermanencePage._meta.get_field("skip_public_holidays").verbose_name) == (
            "closed on public holidays"
        )
        assert str(waiting) == "Waiting list"
        assert str(Registration.Status.CONFIRMED.label) == "Registration confirmed"
        assert str(MediatorProfile._meta.verbose_name) == "mediator"
        assert str(EventCategory._meta.verbose_name_plural) == "activity categories"
    with translation.override("fr"):
        assert str(EventPage._meta.verbose_name) == "animation"
        assert str(public_note.verbose_name) == "à savoir"
        assert str(waiting) == "Liste d'attente"


def test_admin_menu_labels_follow_the_active_language():
    items = [hook() for hook in hooks.get_hooks("register_admin_menu_item")]
    report = next(item for item in items if item.url == reverse("activity_report"))
    with translation.override("en"):
        assert str(report.label) == "Activity report"
        assert str(PeopleViewSetGroup.menu_label) == "Directory"
    with translation.override("fr"):
        assert str(report.label) == "Rapport d'activité"
        assert str(PeopleViewSetGroup.menu_label) == "Annuaire"


@pytest.fixture
def event(residence):
    category = EventCategory.objects.get_or_create(slug="atelier", defaults={"name": "Atelier"})[0]
    page = EventPage(
        title="Atelier tricot",
        slug="atelier-tricot",
        summary="On se retrouve pour tricoter.",
        category=category,
        venue_name="Salle commune",
        first_date=date(2030, 3, 5),
        start_time=time(14),
        end_time=time(17),
        registration_enabled=True,
        capacity=20,
    )
    residence.add_child(instance=page)
    page.save_revision().publish()
    return page


def admin_speaking(client, language: str):
    user = get_user_model().objects.create_superuser(
        f"admin-{language}", f"admin-{language}@example.fr", "motdepasse-long"
    )
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected", "absent"),
    [
        ("en", ["Leave empty if it is free.", "Registrations", "Activity report"], "tarif"),
        ("fr", ["Laissez vide si c&#x27;est gratuit.", "Inscriptions", "Rapport"], "price"),
    ],
)
def test_event_editor_speaks_the_admin_users_language(client, event, language, expected, absent):
    response = admin_speaking(client, language).get(
        reverse("wagtailadmin_pages:edit", args=[event.pk])
    )
    assert response.status_code == 200
    html = response.content.decode()
    for text in expected:
        assert text in html
    # The price field's label, as Wagtail writes it (capitalised) in the editor.
    assert f">{absent.capitalize()}" not in html


@pytest.mark.django_db
def test_snippet_listing_speaks_the_admin_users_language(client):
    MediatorProfile.objects.create(first_name="Nadia", last_name="Benali", slug="nadia-benali")
    url = reverse("wagtailsnippets_residences_mediatorprofile:list")
    english = admin_speaking(client, "en").get(url).content.decode()
    assert "Job title" in english and "Fonction" not in english
    french = admin_speaking(client, "fr").get(url).content.decode()
    assert "Fonction" in french and "Job title" not in french


@pytest.mark.django_db
def test_public_site_stays_french_for_an_english_speaking_admin(client, event):
    """No LocaleMiddleware: neither the browser nor the admin preference changes public pages."""
    from events.models import Occurrence

    admin_speaking(client, "en")
    occurrence = Occurrence.objects.get(page=event)
    response = client.get(
        reverse("events:signup", args=[occurrence.pk]), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9"
    )
    html = response.content.decode()
    assert "Votre prénom" in html and "Your first name" not in html
    page = client.get(event.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Tout public" in page and "Everyone" not in page


@pytest.mark.django_db
def test_english_preview_does_not_leak_into_the_public_cache(client, event, residence):
    """Fragment keys carry the language: an English preview fills its own entries."""
    admin_speaking(client, "en").get(reverse("wagtailadmin_pages:view_draft", args=[residence.pk]))
    client.logout()
    public = client.get(residence.url).content.decode()
    assert "Tout public" in public and "Everyone" not in public
