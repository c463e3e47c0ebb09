"""Demo events over the next three months: a dozen realistic animations."""

from datetime import date, time, timedelta

from django.utils import timezone

from portal.demo import child_page
from residences.models import MediatorProfile, Partner, ResidencePage, SectorPage

from .models import AgendaPage, EventCategory, EventException, EventPage

CATEGORIES = [
    ("Fête", "fete"),
    ("Atelier", "atelier"),
    ("Sortie", "sortie"),
    ("Sport", "sport"),
    ("Culture", "culture"),
    ("Réunion d'information", "reunion-information"),
    ("Numérique", "numerique"),
    ("Jardinage", "jardinage"),
]


def next_weekday(start: date, weekday: int, weeks: int = 0) -> date:
    return start + timedelta(days=(weekday - start.weekday()) % 7 + 7 * weeks)


def build(home) -> None:
    child_page(
        home,
        AgendaPage,
        "agenda",
        title="Agenda",
        intro="Toutes les animations à venir dans les résidences. Filtrez par résidence, par "
        "type d'animation ou par période.",
        show_in_menus=True,
    )
    categories = {
        slug: EventCategory.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        for name, slug in CATEGORIES
    }
    today = timezone.localdate()
    residences = {r.slug: r for r in ResidencePage.objects.all()}
    sectors = {s.slug: s for s in SectorPage.objects.all()}
    nadia = MediatorProfile.objects.filter(slug="nadia-benali").first()
    sophie = MediatorProfile.objects.filter(slug="sophie-lefevre").first()
    centre = Partner.objects.filter(name__startswith="Centre social").first()

    def event(
        parent,
        slug,
        title,
        category,
        first_date,
        start,
        end,
        organisers=(),
        partners=(),
        exceptions=(),
        **fields,
    ):
        existing = EventPage.objects.child_of(parent).filter(slug=slug).first()
        if existing is not None:
            return existing
        page = EventPage(
            slug=slug,
            title=title,
            category=categories[category],
            first_date=first_date,
            start_time=start,
            end_time=end,
            **fields,
        )
        for row in exceptions:
            page.exceptions.add(EventException(**row))
        page.organising_mediators = [m for m in organisers if m]
        page.organising_partners = [p for p in partners if p]
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page

    tilleuls = residences["les-tilleuls"]
    thursday = next_weekday(today, 3)
    event(
        tilleuls,
        "atelier-tricot",
        "Atelier tricot et papotage",
        "atelier",
        thursday,
        time(14),
        time(16),
        organisers=[nadia],
        frequency="weekly",
        until=thursday + timedelta(weeks=12),
        summary="Chaque jeudi, on tricote, on papote et on partage un thé. Débutants bienvenus, laine fournie.",
        venue_residence=tilleuls,
        audience="seniors",
        exceptions=[
            {
                "kind": "cancelled",
                "date": thursday + timedelta(weeks=3),
                "reason": "Salle commune en travaux",
            },
            {
                "kind": "moved",
                "date": thursday + timedelta(weeks=5),
                "new_date": thursday + timedelta(weeks=5, days=1),
                "reason": "Décalé au vendredi exceptionnellement",
            },
        ],
    )
    event(
        tilleuls,
        "gouter-des-voisins",
        "Goûter des voisins",
        "fete",
        next_weekday(today, 2, 1),
        time(16),
        time(18),
        organisers=[nadia],
        summary="Crêpes, jus de fruits et jeux pour les enfants au pied du bâtiment B.",
        venue_residence=tilleuls,
        audience="familles",
    )
    moulin = residences["residence-jean-moulin"]
    event(
        moulin,
        "atelier-numerique",
        "Atelier numérique : mes démarches en ligne",
        "numerique",
        next_weekday(today, 1, 1),
        time(9, 30),
        time(11, 30),
        organisers=[nadia],
        partners=[centre],
        frequency="monthly_weekday",
        count=3,
        venue_residence=moulin,
        audience="tout_public",
        summary="Créer son compte CAF, payer son loyer en ligne, prendre rendez-vous : on vous accompagne pas à pas.",
        accessibility="Salle de plain-pied. Ordinateurs prêtés sur place.",
    )
    event(
        sectors["agence-nord"],
        "reunion-ravalement",
        "Réunion d'information : ravalement des façades",
        "reunion-information",
        next_weekday(today, 1, 2),
        time(18),
        time(19, 30),
        summary="Présentation du calendrier des travaux de ravalement et réponses à vos questions.",
        venue_name="Agence Nord",
        venue_address="12 rue de la Paix, 59100 Roubaix",
        audience="tout_public",
    )
    peupliers = residences["les-peupliers"]
    event(
        peupliers,
        "jardin-partage",
        "Jardin partagé : plantations de saison",
        "jardinage",
        next_weekday(today, 5, 1),
        time(10),
        time(12),
        organisers=[sophie],
        frequency="weekly",
        interval=2,
        count=5,
        venue_name="Jardin partagé des Peupliers",
        venue_address="Derrière le bâtiment C",
        summary="Semis, plantations et arrosage : venez mettre les mains dans la terre, outils fournis.",
        audience="tout_public",
    )
    lilas = residences["le-hameau-des-lilas"]
    event(
        lilas,
        "tournoi-foot",
        "Tournoi de foot inter-résidences",
        "sport",
        next_weekday(today, 2, 4),
        time(14),
        time(17, 30),
        organisers=[sophie],
        venue_name="City stade des Lilas",
        venue_address="Chemin des Lilas, 59650 Villeneuve-d'Ascq",
        audience="jeunes",
        summary="Équipes de 5, de 11 à 17 ans. Inscription des équipes auprès de la médiatrice.",
    )
    michel = residences["residence-louise-michel"]
    event(
        michel,
        "atelier-cuisine",
        "Atelier cuisine du monde",
        "atelier",
        next_weekday(today, 4, 2),
        time(10),
        time(13),
        organisers=[sophie],
        venue_residence=michel,
        audience="familles",
        summary="On cuisine ensemble un couscous aux légumes, puis on déjeune tous ensemble.",
        price="2 € par adulte",
    )
    event(
        michel,
        "lecture-contes",
        "Heure du conte",
        "culture",
        next_weekday(today, 2, 3),
        time(15),
        time(16),
        venue_residence=michel,
        audience="enfants",
        partners=[centre],
        summary="Contes et comptines pour les 3–8 ans, avec la bibliothécaire du quartier.",
    )
    event(
        home,
        "sortie-a-la-mer",
        "Sortie à la mer à Malo-les-Bains",
        "sortie",
        next_weekday(today, 5, 6),
        None,
        None,
        organisers=[nadia, sophie],
        venue_name="Départ : parking de l'Agence Nord",
        venue_address="12 rue de la Paix, 59100 Roubaix",
        audience="familles",
        price="5 € par adulte, gratuit pour les enfants",
        summary="Une journée à la plage ! Départ en car à 8h, retour vers 19h. Places limitées.",
    )
    fete_day = date(today.year if today.month < 6 else today.year + 1, 5, 29)
    event(
        home,
        "fete-des-voisins",
        "Fête des voisins",
        "fete",
        fete_day,
        time(18),
        time(22),
        organisers=[nadia, sophie],
        venue_name="Dans toutes les résidences",
        summary="Chaque résidence organise son apéritif partagé : apportez un plat ou une boisson !",
        audience="tout_public",
    )
    event(
        sectors["agence-sud"],
        "permanence-ecrivain-public",
        "Écrivain public",
        "numerique",
        next_weekday(today, 0, 1),
        time(14),
        time(16),
        partners=[centre],
        frequency="weekly",
        count=8,
        venue_name="Agence Sud",
        venue_address="8 avenue Jean-Jaurès, 59000 Lille",
        audience="tout_public",
        summary="Aide gratuite pour vos courriers et formulaires administratifs.",
    )
    event(
        residences["le-clos-fleuri"],
        "repair-cafe",
        "Repair café",
        "atelier",
        next_weekday(today, 5, 3),
        time(14),
        time(17),
        venue_residence=residences["le-clos-fleuri"],
        audience="tout_public",
        summary="Un grille-pain en panne ? Un vélo qui grince ? Des bénévoles vous aident à réparer.",
    )


def build_permanences(home) -> None:
    """A permanence per residence: one every other week, one closed for school holidays, one
    with a cancelled and a moved date, and one at an agency."""
    from .models import ClosurePeriod, PermanenceException, PermanenceIndexPage, PermanencePage

    child_page(
        home,
        PermanenceIndexPage,
        "permanences",
        title="Permanences",
        intro="Les médiateurs vous reçoivent sans rendez-vous, près de chez vous. Voici où et quand.",
        show_in_menus=True,
    )
    today = timezone.localdate()
    mediators = {m.slug: m for m in MediatorProfile.objects.all()}
    residences = {r.slug: r for r in ResidencePage.objects.all()}
    sectors = {s.slug: s for s in SectorPage.objects.all()}
    start_of_month = today.replace(day=1)

    def permanence(
        parent,
        slug,
        title,
        weekday,
        start,
        end,
        mediator_slugs,
        closures=(),
        exceptions=(),
        **fields,
    ):
        existing = PermanencePage.objects.child_of(parent).filter(slug=slug).first()
        if existing is not None:
            return existing
        page = PermanencePage(
            slug=slug,
            title=title,
            first_date=next_weekday(start_of_month, weekday),
            start_time=start,
            end_time=end,
            frequency="weekly",
            public_note=fields.pop("public_note", "Sans rendez-vous"),
            **fields,
        )
        for first_day, last_day, reason in closures:
            page.closures.add(ClosurePeriod(first_day=first_day, last_day=last_day, reason=reason))
        for row in exceptions:
            page.exceptions.add(PermanenceException(**row))
        page.mediators = [mediators[s] for s in mediator_slugs if s in mediators]
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page

    tuesday = next_weekday(today, 1, 1)
    permanence(
        residences["les-tilleuls"],
        "permanence-tilleuls",
        "Permanence de médiation des Tilleuls",
        1,
        time(14),
        time(17),
        ["nadia-benali"],
        venue_residence=residences["les-tilleuls"],
        exceptions=[
            {"kind": "cancelled", "date": tuesday, "reason": "Formation de l'équipe"},
            {
                "kind": "moved",
                "date": tuesday + timedelta(weeks=2),
                "new_date": tuesday + timedelta(weeks=2, days=1),
                "new_start_time": time(9),
                "new_end_time": time(12),
                "reason": "Exceptionnellement le mercredi matin",
            },
        ],
    )
    permanence(
        residences["le-clos-fleuri"],
        "permanence-clos-fleuri",
        "Permanence du Clos Fleuri",
        3,
        time(9, 30),
        time(11, 30),
        ["julien-marchand"],
        interval=2,
        venue_residence=residences["le-clos-fleuri"],
        public_note="Une semaine sur deux, sans rendez-vous",
    )
    winter_break = (date(2027, 2, 20), date(2027, 3, 7), "Vacances scolaires d'hiver")
    spring_break = (date(2027, 4, 17), date(2027, 5, 2), "Vacances scolaires de printemps")
    summer = (date(2027, 7, 10), date(2027, 8, 31), "Fermeture d'été")
    permanence(
        residences["residence-jean-moulin"],
        "permanence-jean-moulin",
        "Permanence Jean-Moulin",
        4,
        time(14),
        time(16),
        ["nadia-benali", "julien-marchand"],
        venue_residence=residences["residence-jean-moulin"],
        closures=[winter_break, spring_break, summer],
        public_note="Fermée pendant les vacances scolaires",
    )
    permanence(
        residences["les-peupliers"],
        "permanence-peupliers",
        "Permanence des Peupliers",
        0,
        time(14),
        time(17),
        ["sophie-lefevre"],
        venue_residence=residences["les-peupliers"],
    )
    permanence(
        residences["le-hameau-des-lilas"],
        "permanence-lilas",
        "Permanence du Hameau des Lilas",
        2,
        time(10),
        time(12),
        ["sophie-lefevre"],
        venue_residence=residences["le-hameau-des-lilas"],
    )
    permanence(
        residences["residence-louise-michel"],
        "permanence-louise-michel",
        "Permanence Louise-Michel",
        4,
        time(9),
        time(12),
        ["julien-marchand"],
        venue_residence=residences["residence-louise-michel"],
        public_note="Avec l'assistante sociale le premier vendredi du mois",
    )
    permanence(
        sectors["agence-sud"],
        "permanence-agence-sud",
        "Accueil médiation à l'Agence Sud",
        2,
        time(14),
        time(17),
        ["sophie-lefevre", "julien-marchand"],
        venue_name="Agence Sud",
        venue_address="8 avenue Jean-Jaurès, 59000 Lille",
    )


def build_registrations() -> None:
    """Sign-ups on the outing (full, with a waiting list) and on the neighbours' snack."""
    from .models import Occurrence, Registration
    from .registrations.services import Party, register

    outing = EventPage.objects.filter(slug="sortie-a-la-mer").first()
    if outing is None or Registration.objects.exists():
        return
    if not outing.registration_enabled:
        outing.registration_enabled, outing.capacity = True, 12
        outing.confirmation_message = (
            "Rendez-vous à 7h45 sur le parking de l'agence. Pensez au pique-nique !"
        )
        outing.save_revision().publish()
    occurrence = Occurrence.objects.filter(page=outing).first()
    families = [
        ("Awa", 2, 2),
        ("Karim", 1, 3),
        ("Josiane", 2, 0),
        ("Mehdi", 1, 1),
        ("Lucie", 2, 2),
        ("Sylvie", 1, 0),
    ]
    for number, (name, adults, children) in enumerate(families):
        register(
            occurrence,
            Party(
                first_name=name,
                adults=adults,
                children=children,
                email=f"famille{number}@exemple.org",
            ),
            source=Registration.Source.WEB,
        )
    gouter = EventPage.objects.filter(slug="gouter-des-voisins").first()
    if gouter is not None and not gouter.registration_enabled:
        gouter.registration_enabled, gouter.capacity = True, 40
        gouter.save_revision().publish()
        date = Occurrence.objects.filter(page=gouter).first()
        register(
            date,
            Party(first_name="Mme Roux", adults=1, phone="06 11 22 33 44"),
            source="telephone",
            enforce_window=False,
        )
