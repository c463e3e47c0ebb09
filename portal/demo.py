"""Building blocks for demo data: create what is missing, never touch what exists.

Each app has its own `demo.py` that uses these helpers; `manage.py seed_demo` calls them in
dependency order. Running the whole thing twice changes nothing.
"""

import os
from typing import TypeVar

from django.contrib.auth import get_user_model

from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from portal.models import PortalSettings, StandardPage
from portal.sitetree import ensure_home_page

P = TypeVar("P", bound=Page)

DEMO_ADMIN_USERNAME = "admin"
DEMO_ADMIN_PASSWORD = os.environ.get("DEMO_ADMIN_PASSWORD", "demo-trait-d-union")


def child_page(parent: Page, model: type[P], slug: str, **fields) -> P:
    """The live child of `parent` with this slug, created and published if missing."""
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing
    page = parent.add_child(instance=model(slug=slug, **fields))
    page.save_revision().publish()
    return page


def ensure_admin():
    User = get_user_model()
    user = User.objects.filter(username=DEMO_ADMIN_USERNAME).first()
    if user is None:
        user = User.objects.create_superuser(
            DEMO_ADMIN_USERNAME,
            email="admin@habitat-solidaire.example",
            password=DEMO_ADMIN_PASSWORD,
            first_name="Camille",
            last_name="Administratrice",
        )
    return user


def rich(html: str) -> tuple[str, RichText]:
    """A StreamField paragraph block from trusted demo HTML."""
    return ("paragraph", RichText(html))


LEGAL_PAGES = {
    "accessibilite": (
        "Déclaration d'accessibilité",
        "Habitat Solidaire s'engage à rendre ce portail accessible conformément à l'article 47 de "
        "la loi n° 2005-102 du 11 février 2005.",
        [
            ("heading", "État de conformité"),
            rich(
                "<p>Le portail est <b>partiellement conforme</b> au référentiel général "
                "d'amélioration de l'accessibilité (RGAA), version 4.1. Chaque page publique est "
                "vérifiée automatiquement à chaque modification ; un audit complet reste à "
                "réaliser.</p>",
            ),
            ("heading", "Signaler un problème"),
            rich(
                "<p>Si vous n'arrivez pas à accéder à un contenu ou à un service, contactez le "
                "service médiation : nous vous apporterons l'information sous une autre forme.</p>"
                "<p>Si vous n'obtenez pas de réponse rapide, vous pouvez saisir le Défenseur des "
                "droits.</p>",
            ),
        ],
    ),
    "mentions-legales": (
        "Mentions légales",
        "Informations sur l'éditeur et l'hébergeur du portail.",
        [
            ("heading", "Éditeur"),
            rich(
                "<p>Habitat Solidaire, organisme d'habitations à loyer modéré. Directeur de la "
                "publication : le directeur général.</p>",
            ),
            ("heading", "Hébergement"),
            rich("<p>Le portail est hébergé en France par le bailleur.</p>"),
        ],
    ),
    "donnees-personnelles": (
        "Données personnelles",
        "Ce que nous faisons des informations que vous nous confiez.",
        [
            ("heading", "Ce que nous recueillons"),
            rich(
                "<p>Pour vous inscrire à une animation, nous demandons seulement votre prénom, le "
                "nombre de personnes et un moyen de vous prévenir (e-mail ou téléphone). Aucun "
                "compte n'est nécessaire.</p>",
            ),
            ("heading", "Combien de temps"),
            rich(
                "<p>Vos coordonnées sont effacées automatiquement 30 jours après l'animation. "
                "Vous pouvez supprimer votre inscription à tout moment avec le lien personnel reçu "
                "lors de l'inscription.</p>",
            ),
            ("heading", "Vos droits"),
            rich(
                "<p>Vous pouvez demander l'accès, la rectification ou l'effacement de vos données "
                "au service médiation. Vous pouvez aussi adresser une réclamation à la CNIL.</p>",
            ),
        ],
    ),
}


def ensure_home_and_settings():
    """Home page, legal pages and site settings of the demo landlord."""
    home = ensure_home_page()
    if not home.intro:
        home.intro = (
            "Animations, permanences de médiation et nouvelles de votre résidence : tout ce qui "
            "se passe près de chez vous."
        )
        home.save_revision().publish()
    legal = {
        slug: child_page(home, StandardPage, slug, title=title, intro=intro, body=body)
        for slug, (title, intro, body) in LEGAL_PAGES.items()
    }
    site = Site.objects.get(is_default_site=True)
    portal = PortalSettings.for_site(site)
    if portal.accessibility_page_id is None:
        portal.organisation_name = "Habitat Solidaire"
        portal.contact_phone = "03 20 45 67 89"
        portal.contact_email = "mediation@habitat-solidaire.example"
        portal.accessibility_page = legal["accessibilite"]
        portal.legal_page = legal["mentions-legales"]
        portal.privacy_page = legal["donnees-personnelles"]
        portal.save()
    return home
