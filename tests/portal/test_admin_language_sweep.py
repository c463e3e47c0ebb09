"""Every admin view of ours, rendered in English, holds no French word (and in French, no English).

The URLs come from our `register_admin_urls` hooks through the resolver, so a new view is swept
without touching this file; their arguments are built from the demo (`seed_demo`). User content
(page titles, names, addresses… everything the demo stored in our models) is removed before the
words are checked: only our own labels, headings, messages and column headers remain.
"""

import csv
import html
import io
import re
from html.parser import HTMLParser

import pytest

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from wagtail import hooks
from wagtail.models import Page
from wagtail.users.models import UserProfile

from events.models import EventPage, Notice, Occurrence, PermanencePage

pytestmark = pytest.mark.usefixtures("shared_demo")

# Frequent French admin words, none of which is also an English word an admin page would show.
_FRENCH_WORDS = """
    le la les des une du au aux pour avec sans dans sur et ou est sont aucun aucune votre vos
    nous vous cette inscrit inscrits inscrite inscription inscriptions annuler annulée annulé
    annulées résidence résidences secteur secteurs imprimer affiche émargement enregistrer
    rechercher attente appeler rapport activité animation animations semaine mois jour
    aujourd'hui demain prénom nom téléphone complet lieu heure participants présents
    écrire message envoyer choisir retour modifier supprimer janvier février mars avril mai juin
    juillet août septembre octobre novembre décembre lundi mardi mercredi jeudi vendredi samedi
    dimanche étapes vérifier désactiver secours tableau bord
"""
FRENCH = set(_FRENCH_WORDS.split())
# « message » and « participants » are English words too: no French evidence (nor « places »,
# « place », « date », left out of both lists).
FRENCH -= {"message", "participants"}

_ENGLISH_WORDS = """
    the and with for of to your none registrations registered cancel cancelled print sector
    sectors residence waiting list send report activity week month today tomorrow first name
    phone full search save back edit january february march april june july august
    september october november december monday tuesday wednesday thursday friday saturday sunday
"""
ENGLISH = set(_ENGLISH_WORDS.split())

# Short and justified: proper nouns of the product and of the demo landlord.
ALLOWED = {
    "trait",
    "d'union",  # the product's name
}

# Printed matter read by tenants stays French whatever the admin's language: the poster in the
# hall, and the sign-in sheet that tenants sign (only its on-screen print hint follows the user).
TENANT_FACING = {"event_poster", "occurrence_signin_sheet"}

# English help texts quote French examples of what to type on the French public site
# (“Lundi au vendredi : 9h–12h”): quoted examples are content, not our wording.
QUOTED_EXAMPLE = re.compile(r"“[^”]*”")

WORD = re.compile(r"[a-zà-ÿœ]+(?:'[a-zà-ÿœ]+)?", re.IGNORECASE)


class VisibleText(HTMLParser):
    """Text a person reads: data outside script/style/template, plus the labels of attributes
    that screen readers and tooltips speak. A textarea holds what the user writes (the message
    to tenants is prefilled in French, as tenants read it): content, not our labels."""

    HIDDEN = {"script", "style", "template", "noscript", "textarea"}
    SPOKEN = ("aria-label", "title", "placeholder", "alt")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.depth = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.depth += 1
            return
        if not self.depth:
            self.parts += [value for name, value in attrs if name in self.SPOKEN and value]

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


def visible_text(response) -> str:
    body = response.content.decode("utf-8-sig")
    if response["Content-Type"].startswith("text/csv"):
        header = next(csv.reader(io.StringIO(body), delimiter=";"))
        return "\n".join(header)
    parser = VisibleText()
    parser.feed(body)
    return html.unescape("\n".join(parser.parts))


def user_content() -> list[str]:
    """Every text the demo stored in our apps' models and in page titles, longest first."""
    found = set(Page.objects.values_list("title", flat=True))
    for app_label in ("events", "residences", "portal"):
        for model in apps.get_app_config(app_label).get_models():
            fields = [
                f.attname
                for f in model._meta.concrete_fields
                if isinstance(f, models.CharField | models.TextField) and not f.choices
            ]
            if fields:
                for row in model._default_manager.values_list(*fields):
                    found |= {value for value in row if value}
    for user in get_user_model().objects.all():
        found |= {user.first_name, user.last_name, user.username, user.get_full_name()}
    return sorted((text for text in found if text and len(text) > 1), key=len, reverse=True)


def our_admin_urls() -> list[tuple[str, list[str]]]:
    """(url name, argument names) of every pattern our hooks register."""
    ours = set()
    for hook in hooks.get_hooks("register_admin_urls"):
        if hook.__module__.split(".")[0] not in {"events", "residences", "portal"}:
            continue
        for pattern in hook():
            if isinstance(pattern, URLPattern) and pattern.name:
                ours.add(pattern.name)
            elif isinstance(pattern, URLResolver):
                ours |= {p.name for p in pattern.url_patterns if p.name}
    resolver = get_resolver()
    named = []
    for name in sorted(ours):
        possibilities = resolver.reverse_dict.getlist(name)
        params = possibilities[0][0][0][1] if possibilities else []
        named.append((name, list(params)))
    return named


def arguments(name: str, params: list[str]) -> dict:
    outing = EventPage.objects.get(slug="sortie-a-la-mer")
    date = Occurrence.objects.filter(page=outing).first()
    values = {
        "occurrence_id": date.pk,
        "notice_id": getattr(Notice.objects.first(), "pk", 0),
        "app_label": "events",
        "model_name": "eventpage",
    }
    if {"situation_id", "request_id"} & set(params):
        from residences.situations.models import HelpRequest, Situation

        north = {"residence__slug": "les-tilleuls"}
        values["situation_id"] = Situation.objects.filter(**north).first().pk
        values["request_id"] = getattr(HelpRequest.objects.filter(**north).first(), "pk", 0)
    if "page_id" in params:
        if "cancel" in name:
            values["page_id"] = PermanencePage.objects.live().first().pk
        else:
            values["page_id"] = outing.pk
    return {param: values[param] for param in params}


def speaking(client, username: str, language: str):
    user = get_user_model().objects.get(username=username)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client.force_login(user)
    return client


def our_page_types():
    return [
        model
        for model in apps.get_models()
        if issubclass(model, Page) and model._meta.app_label in {"events", "residences", "portal"}
    ]


def words_of(response, content: list[str]) -> set[str]:
    """The lower-cased words of our own wording on the page: user content and quoted examples
    removed."""
    text = visible_text(response)
    for stored in content:
        text = text.replace(stored, " ")
    text = QUOTED_EXAMPLE.sub(" ", text)
    return {w.lower() for w in WORD.findall(text)}


def leaks(client, words: set[str]) -> dict[str, set[str]]:
    content = user_content()
    urls = [reverse("wagtailadmin_home")]
    urls += [
        reverse(name, kwargs=arguments(name, params))
        for name, params in our_admin_urls()
        if not (name in TENANT_FACING and words is FRENCH)
    ]
    for model in our_page_types():
        page = model.objects.first()
        if page is not None:
            urls.append(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    found, seen = {}, 0
    for url in urls:
        response = client.get(url)
        if response.status_code != 200:
            continue  # a redirect (e.g. two-step pages that need a set-up) or a refusal
        seen += 1
        bad = words_of(response, content) & words - ALLOWED
        if bad:
            found[url] = bad
    assert seen >= 10, f"only {seen} admin pages answered: the sweep checks too little"
    return found


@pytest.mark.parametrize("username", ["nadia", "admin"])
def test_our_admin_in_english_holds_no_french_word(client, username):
    found = leaks(speaking(client, username, "en"), FRENCH)
    assert found == {}, sorted((url, sorted(words)) for url, words in found.items())


@pytest.mark.parametrize("username", ["nadia", "admin"])
def test_our_admin_in_french_holds_no_english_word(client, username):
    found = leaks(speaking(client, username, "fr"), ENGLISH)
    assert found == {}, sorted((url, sorted(words)) for url, words in found.items())
