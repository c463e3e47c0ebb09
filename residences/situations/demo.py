"""A few demo situations and a tenant's request, for `seed_demo` (only when there are none)."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from residences.models import Partner, ResidencePage
from residences.situations.models import (
    Action,
    Category,
    HelpRequest,
    Household,
    IntensityLevel,
    Situation,
)

K = Action.Kind

# residence, building, category, level, opened days ago, households, journal, next step,
# closed (days ago, outcome), author
SITUATIONS = [
    (
        "les-tilleuls",
        "Bâtiment B",
        Category.NOISE,
        2,
        20,
        [("B 3e gauche", "voisin du dessus"), ("B 2e gauche", "Mme K.")],
        [(K.CALL, 19, "", None), (K.VISIT, 15, "Bruits de pas et musique tard le soir.", None)],
        ("Réunion de médiation avec les deux ménages", 3),
        None,
        "nadia",
    ),
    (
        "le-clos-fleuri",
        "Bâtiment A",
        Category.COMMON_AREAS,
        1,
        70,
        [("A rez-de-chaussée", "gardien"), ("A 1er droite", "famille du 1er")],
        [
            (K.VISIT, 65, "Vélos et poussettes dans le hall.", None),
            (K.MEDIATION_MEETING, 50, "Accord sur un local à vélos.", None),
        ],
        None,
        (40, Situation.Outcome.AGREEMENT),
        "nadia",
    ),
    (
        "residence-jean-moulin",
        "",
        Category.DISPUTE,
        3,
        8,
        [("C 5e", "voisine du 5e"), ("C 4e", "voisin du dessous")],
        [
            (K.HOUSEHOLD_MEETING, 7, "", None),
            (K.REFERRAL, 5, "", "Centre social du Pile"),
        ],
        ("Point avec le centre social", 6),
        None,
        "nadia",
    ),
    (
        "les-peupliers",
        "Bâtiment A",
        Category.ANIMALS,
        1,
        12,
        [("A 2e", "propriétaire du chien")],
        [(K.LETTER, 10, "Rappel du règlement intérieur.", None)],
        ("Rappeler la voisine", 9),
        None,
        "sophie",
    ),
]


def build_situations() -> None:
    if Situation.objects.exists():
        return
    today = timezone.localdate()
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=["nadia", "sophie"])
    }
    levels = {level.level: level for level in IntensityLevel.objects.grid()}
    partners = {p.name: p for p in Partner.objects.all()}
    for (
        slug,
        building_name,
        category,
        level,
        opened_ago,
        households,
        journal,
        next_step,
        closed,
        author,
    ) in SITUATIONS:
        residence = ResidencePage.objects.filter(slug=slug).first()
        if residence is None:
            continue
        situation = Situation.objects.create(
            sector=residence.sector,
            residence=residence,
            building=residence.buildings.filter(name=building_name).first(),
            category=category,
            intensity=levels[level],
            opened_on=today - timedelta(days=opened_ago),
            next_step=next_step[0] if next_step else "",
            next_step_on=today + timedelta(days=next_step[1]) if next_step else None,
            created_by=users.get(author),
        )
        for order, (door, label) in enumerate(households):
            Household.objects.create(situation=situation, door=door, label=label, sort_order=order)
        for kind, ago, note, partner in journal:
            Action.objects.create(
                situation=situation,
                kind=kind,
                happened_on=today - timedelta(days=ago),
                note=note,
                partner=partners.get(partner) if partner else None,
                author=users.get(author),
            )
        if closed:
            ago, outcome = closed
            day = today - timedelta(days=ago)
            Situation.objects.filter(pk=situation.pk).update(closed_on=day, outcome=outcome)
            Action.objects.create(
                situation=situation,
                kind=K.CLOSED,
                happened_on=day,
                outcome=outcome,
                author=users.get(author),
            )
    tilleuls = ResidencePage.objects.filter(slug="les-tilleuls").first()
    if tilleuls is not None:
        HelpRequest.objects.create(
            sector=tilleuls.sector,
            residence=tilleuls,
            building=tilleuls.buildings.filter(name="Bâtiment A").first(),
            category=Category.RUBBISH,
            message="Des sacs poubelle sont laissés chaque soir devant l'entrée du bâtiment A.",
            contact=HelpRequest.Contact.PERMANENCE,
            availability="Je passerai jeudi à la permanence.",
            consent_at=timezone.now(),
        )
