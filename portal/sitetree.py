"""Make sure the Wagtail root, the root collection, the default locale, the home page and the
default site exist.

Migrations create the root page and locale, but a flushed database (live-server tests, a
`flush` before re-seeding) has none of them; this rebuilds them idempotently.
"""

from django.conf import settings
from django.db import transaction

from wagtail.models import Collection, Locale, Page, Site

from portal.models import HomePage

HOME_TITLE = "Accueil"


@transaction.atomic
def ensure_home_page(hostname: str = "localhost", port: int = 80) -> HomePage:
    locale, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(title="Root", slug="root", locale=locale)

    home = HomePage.objects.child_of(root).first()
    if home is None:
        # Wagtail's migration leaves a bare "Welcome" page that would clash on the slug "home".
        for stray in Page.objects.child_of(root).filter(content_type__model="page"):
            stray.delete()
        home = root.add_child(instance=HomePage(title=HOME_TITLE, slug="accueil", locale=locale))
        home.save_revision().publish()

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname=hostname,
            port=port,
            root_page=home,
            is_default_site=True,
            site_name=settings.WAGTAIL_SITE_NAME,
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()
    return home
