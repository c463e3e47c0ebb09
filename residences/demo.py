"""Demo places and people for the landlord "Habitat Solidaire"."""

from portal.demo import child_page

from .models import (
    Building,
    MediatorProfile,
    Partner,
    ResidenceIndexPage,
    ResidencePage,
    SectorPage,
)

SECTORS = [
    {
        "slug": "agence-nord",
        "title": "Agence Nord",
        "kind": SectorPage.Kind.AGENCY,
        "intro": "L'agence Nord accompagne les locataires de Roubaix et de Tourcoing.",
        "address": "12 rue de la Paix",
        "postcode": "59100",
        "town": "Roubaix",
        "phone": "03 20 11 22 33",
        "email": "agence.nord@habitat-solidaire.example",
        "opening_hours": "Lundi au vendredi : 9h–12h et 14h–17h\nSamedi : 9h–12h (sur rendez-vous)",
    },
    {
        "slug": "agence-sud",
        "title": "Agence Sud",
        "kind": SectorPage.Kind.AGENCY,
        "intro": "L'agence Sud accompagne les locataires de Lille-Sud et de Villeneuve-d'Ascq.",
        "address": "8 avenue Jean-Jaurès",
        "postcode": "59000",
        "town": "Lille",
        "phone": "03 20 44 55 66",
        "email": "agence.sud@habitat-solidaire.example",
        "opening_hours": "Lundi, mardi, jeudi et vendredi : 9h–12h et 13h30–17h\nMercredi : 9h–12h",
    },
]

RESIDENCES = {
    "agence-nord": [
        (
            "les-tilleuls",
            "Les Tilleuls",
            "3 rue des Tilleuls",
            "59100",
            "Roubaix",
            120,
            ("50.690100", "3.181700"),
            "Mme Rachida Haddad",
            "03 20 70 10 01",
        ),
        (
            "le-clos-fleuri",
            "Le Clos Fleuri",
            "15 allée des Roses",
            "59200",
            "Tourcoing",
            64,
            ("50.723900", "3.161100"),
            "M. Bernard Colin",
            "03 20 70 10 02",
        ),
        (
            "residence-jean-moulin",
            "Résidence Jean-Moulin",
            "40 boulevard Jean-Moulin",
            "59100",
            "Roubaix",
            210,
            ("50.683300", "3.172600"),
            "M. Karim Ouali",
            "03 20 70 10 03",
        ),
    ],
    "agence-sud": [
        (
            "les-peupliers",
            "Les Peupliers",
            "5 rue du Faubourg-des-Postes",
            "59000",
            "Lille",
            150,
            ("50.612400", "3.049800"),
            "Mme Sandrine Petit",
            "03 20 70 20 01",
        ),
        (
            "le-hameau-des-lilas",
            "Le Hameau des Lilas",
            "22 chemin des Lilas",
            "59650",
            "Villeneuve-d'Ascq",
            48,
            ("50.623100", "3.145200"),
            "",
            "",
        ),
        (
            "residence-louise-michel",
            "Résidence Louise-Michel",
            "9 place Louise-Michel",
            "59000",
            "Lille",
            96,
            ("50.616900", "3.056700"),
            "Mme Fatou Diallo",
            "03 20 70 20 03",
        ),
    ],
}

MEDIATORS = [
    ("nadia-benali", "Nadia", "Benali", "Médiatrice sociale", "06 12 34 56 78", ["agence-nord"]),
    (
        "julien-marchand",
        "Julien",
        "Marchand",
        "Médiateur social",
        "06 23 45 67 89",
        ["agence-nord", "agence-sud"],
    ),
    (
        "sophie-lefevre",
        "Sophie",
        "Lefèvre",
        "Médiatrice sociale et numérique",
        "06 34 56 78 90",
        ["agence-sud"],
    ),
]

PARTNERS = [
    (
        "Amicale des locataires des Tilleuls",
        Partner.Kind.TENANTS_ASSOCIATION,
        "Permanence le premier samedi du mois à la salle commune.",
        ["agence-nord"],
    ),
    (
        "Centre social du Pile",
        Partner.Kind.SOCIAL_CENTRE,
        "Accueil des familles, aide aux devoirs, ateliers cuisine.",
        ["agence-nord"],
    ),
    (
        "Mairie de quartier de Lille-Sud",
        Partner.Kind.TOWN_HALL,
        "État civil, inscriptions scolaires et écoute des habitants.",
        ["agence-sud"],
    ),
    (
        "CLCV – Union locale",
        Partner.Kind.ASSOCIATION,
        "Association de défense des consommateurs et des locataires.",
        ["agence-nord", "agence-sud"],
    ),
]


def build(home) -> None:
    child_page(
        home,
        ResidenceIndexPage,
        "residences",
        title="Résidences",
        intro="Trouvez votre résidence pour voir ses animations, ses permanences et ses actualités.",
        show_in_menus=True,
    )
    sectors = {data["slug"]: child_page(home, SectorPage, **data) for data in SECTORS}
    mediators = {}
    for slug, first, last, job, phone, sector_slugs in MEDIATORS:
        mediator, created = MediatorProfile.objects.get_or_create(
            slug=slug,
            defaults={
                "first_name": first,
                "last_name": last,
                "job_title": job,
                "phone": phone,
                "email": f"{slug.replace('-', '.')}@habitat-solidaire.example",
            },
        )
        if created:
            mediator.sectors.set([sectors[s] for s in sector_slugs])
        mediators[slug] = mediator
    for name, kind, description, sector_slugs in PARTNERS:
        partner, created = Partner.objects.get_or_create(
            name=name, defaults={"kind": kind, "description": description}
        )
        if created:
            partner.sectors.set([sectors[s] for s in sector_slugs])
    for sector_slug, rows in RESIDENCES.items():
        covering = [m for m in mediators.values() if sectors[sector_slug] in m.sectors.all()]
        for row in rows:
            _residence(sectors[sector_slug], covering, *row)


def _residence(
    sector,
    mediators,
    slug,
    title,
    address,
    postcode,
    town,
    homes,
    coords,
    caretaker,
    caretaker_phone,
) -> ResidencePage:
    existing = ResidencePage.objects.child_of(sector).filter(slug=slug).first()
    if existing is not None:
        return existing
    residence = ResidencePage(
        slug=slug,
        title=title,
        address=address,
        postcode=postcode,
        town=town,
        homes_count=homes,
        latitude=coords[0],
        longitude=coords[1],
        intro=f"<p>{title} compte {homes} logements. Votre équipe de médiation y organise des "
        "animations et y tient une permanence régulière.</p>",
        common_room_name="Salle commune (LCR)",
        common_room_location="Rez-de-chaussée du bâtiment B",
        caretaker_name=caretaker,
        caretaker_phone=caretaker_phone,
        caretaker_hours="Du lundi au vendredi, 8h–12h" if caretaker else "",
        accessibility_notes="Salle commune accessible de plain-pied. Ascenseur au bâtiment A.",
    )
    for index, letter in enumerate("ABC"):
        residence.buildings.add(
            Building(
                sort_order=index,
                name=f"Bâtiment {letter}",
                entrances=f"Entrées {index * 2 + 1} et {index * 2 + 2}",
            )
        )
    residence.mediators = mediators
    sector.add_child(instance=residence)
    residence.save_revision().publish()
    return residence


def build_news(home) -> None:
    """News for each residence, a running alert for one building and an expired one."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from .models import NewsIndexPage, NewsPage

    child_page(
        home,
        NewsIndexPage,
        "actualites",
        title="Actualités",
        intro="Travaux, informations pratiques et vie des résidences.",
        show_in_menus=True,
    )
    now = timezone.localtime()
    today = now.date()
    residences = {r.slug: r for r in ResidencePage.objects.all()}
    sectors = {s.slug: s for s in SectorPage.objects.all()}

    def news(parent, slug, title, category, summary, days_ago=0, buildings=(), alert=None):
        if NewsPage.objects.child_of(parent).filter(slug=slug).exists():
            return
        page = NewsPage(
            slug=slug,
            title=title,
            category=category,
            summary=summary,
            date=today - timedelta(days=days_ago),
        )
        if alert:
            level, start, end = alert
            page.is_alert, page.alert_level, page.alert_from, page.alert_until = (
                True,
                level,
                start,
                end,
            )
        page.buildings = (
            [b for b in parent.specific.buildings.all() if b.name in buildings] if buildings else []
        )
        parent.add_child(instance=page)
        page.save_revision().publish()

    tomorrow_8 = timezone.make_aware(datetime.combine(today + timedelta(days=1), time(8)))
    news(
        residences["les-tilleuls"],
        "coupure-eau-batiment-b",
        "Coupure d'eau demain de 8h à 12h, bâtiment B",
        "travaux",
        "Intervention sur la colonne d'eau froide. Pensez à faire des réserves d'eau la veille.",
        buildings=["Bâtiment B"],
        alert=("urgent", now - timedelta(hours=1), tomorrow_8 + timedelta(hours=4)),
    )
    news(
        residences["les-tilleuls"],
        "panne-ascenseur-batiment-a",
        "Ascenseur du bâtiment A réparé",
        "info-pratique",
        "L'ascenseur fonctionne de nouveau. Merci de votre patience.",
        days_ago=10,
        buildings=["Bâtiment A"],
        alert=("important", now - timedelta(days=14), now - timedelta(days=10)),
    )
    news(
        sectors["agence-nord"],
        "ravalement-facades",
        "Travaux de ravalement des façades au printemps",
        "travaux",
        "Les échafaudages seront installés résidence par résidence à partir de mars.",
        days_ago=3,
    )
    news(
        residences["residence-jean-moulin"],
        "reunion-locataires",
        "Réunion d'information des locataires",
        "reunion",
        "Le bailleur présente le budget des charges et répond à vos questions.",
        days_ago=5,
    )
    for slug, residence in residences.items():
        news(
            residence,
            f"bienvenue-{slug}",
            f"{residence.title} : le jardin se refait une beauté",
            "vie-residence",
            "Les espaces verts sont replantés cette saison avec les habitants volontaires.",
            days_ago=20,
        )
    news(
        home,
        "nouveau-portail",
        "Un nouveau portail pour la vie des résidences",
        "info-pratique",
        "Retrouvez les animations, les permanences et les actualités de votre résidence au même endroit.",
        days_ago=30,
    )


DEMO_TEAM_PASSWORD = "demo-mediation"
DEMO_TEAM = [
    # username, first name, last name, groups (sector slug, role), mediator profile
    ("nadia", "Nadia", "Benali", [("agence-nord", "mediators")], "nadia-benali"),
    ("sophie", "Sophie", "Lefèvre", [("agence-sud", "mediators")], "sophie-lefevre"),
    ("claire", "Claire", "Dumont", [("agence-nord", "managers"), ("agence-sud", "managers")], None),
]


def build_teams() -> None:
    """A team per sector, a mediator account per sector and a manager (demo passwords only)."""
    from django.contrib.auth import get_user_model

    from .teams import setup_sector_team

    teams = {
        sector.slug: setup_sector_team(sector, require_approval=False)
        for sector in SectorPage.objects.all()
    }
    User = get_user_model()
    for username, first, last, memberships, profile_slug in DEMO_TEAM:
        if User.objects.filter(username=username).exists():
            continue
        user = User.objects.create_user(
            username,
            email=f"{username}@habitat-solidaire.example",
            password=DEMO_TEAM_PASSWORD,
            first_name=first,
            last_name=last,
        )
        user.groups.set([getattr(teams[slug], role) for slug, role in memberships if slug in teams])
        if profile_slug:
            MediatorProfile.objects.filter(slug=profile_slug, user__isnull=True).update(user=user)
