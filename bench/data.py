"""Bench data: the demo landlord, grown to 15 residences in 3 sectors, then N published events.

Events are real live EventPages under residences. Publishing 10,000 of them through revisions
takes about half an hour on two shared cores (about 50 queries each, and Wagtail's database
search backend recomputes an average over the whole index on every insert), so the bench adds
them in bulk: tree paths computed as treebeard's `add_child` computes them, one INSERT per table
per batch, then each page is announced with Wagtail's `page_published` signal exactly as
`Revision.publish()` announces it. The project's receivers (`events.calendar.signals.on_publish` →
`sync_occurrences`, the cache generations of `portal.cache`) then write the same Occurrence,
SeatCounter and SeriesVersion rows a publish writes; `check_fast_path` compares both paths.
Left out: the Revision row, the log entry, the search and reference index entries, which no
measured page reads.
"""

import random
from datetime import time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from wagtail.models import Page
from wagtail.signals import page_published

from events.models import EventCategory, EventPage, Occurrence, SeriesVersion
from portal.demo import child_page, rich
from portal.models import HomePage, StandardPage
from residences.models import Building, ResidencePage, SectorPage

FLOOR_SLUG = "plancher-bench"
SIGNUP_SLUG = "inscriptions-bench"
EVENT_PREFIX = "bench-"
EXTRA_SECTORS = [("agence-est", "Agence Est", "Villeneuve-d'Ascq")]
# Added to the demo's six residences: 15 residences in 3 sectors.
EXTRA_RESIDENCES = {
    "agence-nord": ["les-acacias", "le-beffroi", "les-marronniers"],
    "agence-sud": ["les-glycines", "le-parc-fleuri"],
    "agence-est": ["les-cerisiers", "le-moulin-rouge", "les-hirondelles", "la-source"],
}
SERIES_EVERY = 10  # one event in ten is a weekly series over the 18-month horizon
TITLES = [
    "Atelier tricot",
    "Goûter des voisins",
    "Atelier numérique",
    "Jardinage",
    "Tournoi de pétanque",
    "Heure du conte",
    "Repair café",
    "Cuisine du monde",
    "Café des parents",
    "Sortie au musée",
]


def build_base() -> HomePage:
    """seed_demo, the extra places and the floor page; idempotent like seed_demo."""
    call_command("seed_demo", verbosity=0)
    home = HomePage.objects.get()
    for slug, title, town in EXTRA_SECTORS:
        child_page(
            home,
            SectorPage,
            slug,
            title=title,
            address="1 place de la Mairie",
            postcode="59650",
            town=town,
        )
    for sector_slug, slugs in EXTRA_RESIDENCES.items():
        sector = SectorPage.objects.get(slug=sector_slug)
        for number, slug in enumerate(slugs, start=1):
            if ResidencePage.objects.filter(slug=slug).exists():
                continue
            residence = ResidencePage(
                slug=slug,
                title=slug.replace("-", " ").title(),
                address=f"{number} rue des Écoles",
                postcode="59000",
                town="Lille",
                homes_count=80,
            )
            for name in ("Bâtiment A", "Bâtiment B"):
                residence.buildings.add(Building(name=name))
            sector.add_child(instance=residence)
            residence.save_revision().publish()
    # The floor: a trivial page with the same base template as every other page.
    child_page(
        home,
        StandardPage,
        FLOOR_SLUG,
        title="Page de référence",
        intro="Une page courte.",
        body=[rich("<p>Un paragraphe.</p>")],
    )
    return home


def event_count() -> int:
    return EventPage.objects.filter(slug__startswith=EVENT_PREFIX).count()


def residences() -> list[ResidencePage]:
    return list(ResidencePage.objects.live().order_by("path"))


def event_fields(number: int, today, categories) -> dict:
    """Deterministic event `number`: a weekly series one time in ten, else a one-off date."""
    rng = random.Random(number)
    start_hour = rng.randint(9, 18)
    fields = {
        "slug": f"{EVENT_PREFIX}{number}",
        "title": f"{TITLES[number % len(TITLES)]} n° {number}",
        "category": categories[number % len(categories)],
        "summary": "Une animation de la résidence, ouverte à tous les locataires.",
        "body": [rich("<p>Venez nombreux, c'est gratuit.</p>")],
        "start_time": time(start_hour),
        "end_time": time(start_hour + rng.randint(1, 3)),
        "registration_enabled": number % 4 == 0,
        "capacity": 20 if number % 4 == 0 else None,
        "first_published_at": timezone.now(),
        "last_published_at": timezone.now(),
    }
    if number % SERIES_EVERY == 0:
        # Open-ended: materialised up to the horizon (OCCURRENCE_HORIZON_DAYS, 18 months).
        fields.update(first_date=today + timedelta(days=rng.randint(0, 6)), frequency="weekly")
    else:
        fields.update(first_date=today + timedelta(days=rng.randint(1, 180)))
    return fields


def bulk_add_children(parent: Page, pages: list[EventPage]) -> None:
    """treebeard's `add_child` for many live pages at once (same paths, url_path, numchild)."""
    last = parent.get_last_child()
    position = last._get_lastpos_in_path() if last else 0
    content_type = ContentType.objects.get_for_model(EventPage)
    for page in pages:
        position += 1
        page.path = Page._get_path(parent.path, parent.depth + 1, position)
        page.depth, page.numchild = parent.depth + 1, 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.draft_title = page.title
        page.content_type, page.locale_id = content_type, parent.locale_id
        page.live, page.has_unpublished_changes = True, False
    base_fields = [f.attname for f in Page._meta.concrete_fields if f.attname != "id"]
    rows = Page.objects.bulk_create(
        [Page(**{name: getattr(page, name) for name in base_fields}) for page in pages]
    )
    for page, row in zip(pages, rows, strict=True):
        page.id = page.page_ptr_id = row.pk
    # Django's bulk_create refuses multi-table models: insert the EventPage table's own rows.
    EventPage.objects._insert(pages, fields=EventPage._meta.local_concrete_fields)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))


def announce(page: EventPage) -> None:
    """What `Revision.publish()` tells the rest of the code (revision=None: none was made)."""
    page_published.send(sender=EventPage, instance=page, revision=None)


def grow(target: int, chunk: int = 500, progress=print) -> None:
    """Add bench events until there are `target` of them, spread over the residences."""
    places = residences()
    categories = list(EventCategory.objects.order_by("pk"))
    today = timezone.localdate()
    number = event_count()
    while number < target:
        stop = min(number + chunk, target)
        by_parent: dict[int, list[EventPage]] = {}
        for n in range(number, stop):
            parent = places[n % len(places)]
            page = EventPage(**event_fields(n, today, categories), venue_residence=parent)
            by_parent.setdefault(parent.pk, []).append(page)
        with transaction.atomic():
            for parent in places:
                pages = by_parent.get(parent.pk, [])
                if pages:
                    parent.refresh_from_db()
                    bulk_add_children(parent, pages)
                    for page in pages:
                        announce(page)
        number = stop
        progress(f"  {number} events, {Occurrence.objects.count()} occurrences")


def rows_of(page: EventPage) -> list[tuple]:
    """What publishing wrote for a page, without ids: occurrences, seat counters, version."""
    occurrences = [
        (
            o.original_start,
            o.start,
            o.end,
            o.all_day,
            o.status,
            o.kind,
            o.residence_id,
            o.sector_id,
            getattr(getattr(o, "seats", None), "capacity", "no counter"),
        )
        for o in Occurrence.objects.filter(page=page).select_related("seats").order_by("start")
    ]
    version = SeriesVersion.objects.get(page=page)
    return occurrences + [(version.sequence, version.fingerprint)]


def check_fast_path() -> None:
    """Publish one series and one one-off both ways (rolled back) and require the same rows."""
    parent = residences()[0]
    categories = list(EventCategory.objects.order_by("pk"))
    today = timezone.localdate()
    try:
        with transaction.atomic():
            for number in (0, 3):  # a weekly series taking sign-ups, a one-off date
                fields = {**event_fields(number, today, categories), "slug": "controle"}
                # From tomorrow: a first date already started today is history, and the page
                # holding it could not be deleted between the two publishes.
                fields["first_date"] = max(fields["first_date"], today + timedelta(days=1))
                slow = EventPage(**fields, venue_residence=parent)
                parent.add_child(instance=slow)
                slow.save_revision().publish()
                slow_path, slow_rows = slow.path, rows_of(slow)
                slow.delete()
                fast = EventPage(**fields, venue_residence=parent)
                parent.refresh_from_db()
                bulk_add_children(parent, [fast])
                announce(fast)
                if (fast.path, rows_of(fast)) != (slow_path, slow_rows):
                    raise AssertionError(f"the fast path wrote other rows for event {number}")
                Page.objects.get(pk=fast.pk).delete()
            raise _RollBack
    except _RollBack:
        pass


class _RollBack(Exception):
    pass


def signup_event(
    capacity: int, slug: str = SIGNUP_SLUG, title: str = "Sortie du bench"
) -> Occurrence:
    """A fresh one-date event taking sign-ups, with its single occurrence."""
    place = residences()[0]
    for previous in EventPage.objects.filter(slug=slug):
        previous.delete()
    page = EventPage(
        slug=slug,
        title=title,
        category=EventCategory.objects.order_by("pk").first(),
        summary="Une sortie très demandée.",
        first_date=timezone.localdate() + timedelta(days=10),
        start_time=time(9),
        end_time=time(18),
        registration_enabled=True,
        capacity=capacity,
        venue_residence=place,
    )
    place.add_child(instance=page)
    page.save_revision().publish()
    return Occurrence.objects.get(page=page)
