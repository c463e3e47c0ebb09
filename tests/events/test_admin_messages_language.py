"""What the admin says after an action (messages, refusals) speaks the user's language: English
for a mediator who chose English, French otherwise, and the public pages stay French."""

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse

from wagtail.users.models import UserProfile

from events.models import Registration, SeatCounter
from events.registrations.services import Party, register

pytestmark = pytest.mark.django_db


def speaking(client, language):
    user = get_user_model().objects.create_superuser("chef", "chef@example.fr", "motdepasse-long")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client.force_login(user)
    return client


def said(response) -> list[str]:
    return [str(m).strip() for m in get_messages(response.wsgi_request)]


@pytest.fixture
def full(outing):
    SeatCounter.objects.filter(occurrence=outing).update(capacity=2)
    register(outing, Party(first_name="Awa", adults=2, email="awa@example.fr"))
    register(outing, Party(first_name="Luc", adults=2, email="luc@example.fr"))  # waits
    return outing


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                "Attendance saved.",
                "There are not enough free places for this group (2 people, 0 free places).",
                "Awa's registration cancelled.",
                "Registration not found.",
            ],
        ),
        (
            "fr",
            [
                "Présences enregistrées.",
                "Il n'y a pas assez de places libres pour ce groupe (2 personnes, 0 places libres).",
                "Inscription de Awa annulée.",
                "Inscription introuvable.",
            ],
        ),
    ],
)
def test_registration_actions_answer_in_the_users_language(client, full, language, expected):
    client = speaking(client, language)
    page = reverse("occurrence_registrations", args=[full.pk])
    awa = Registration.objects.get(first_name="Awa")
    luc = Registration.objects.get(first_name="Luc")
    answers = []
    for data in (
        {"action": "presences", "present": [str(awa.pk)]},
        {"action": "confirmer", "registration": str(luc.pk)},
        {"action": "annuler", "registration": str(awa.pk)},
        {"action": "present", "registration": "999999"},
    ):
        response = client.post(page, data, follow=True)
        answers += [str(m).strip() for m in response.context["messages"]]
    assert answers == expected


def test_a_reference_lookup_answers_in_english(client, full):
    client = speaking(client, "en")
    response = client.get(reverse("find_by_reference"), {"reference": "zz zz-zz"})
    assert said(response) == ["No registration with the reference “ZZZZZZ” in your sectors."]


def test_wagtails_own_refusal_speaks_the_users_language(client, home):
    """Wagtail turns a refusal into a message outside its language switch: ours covers it."""
    user = get_user_model().objects.create_user("nadia", password="motdepasse-long")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[home.pk]))
    assert response.status_code == 302
    assert said(response) == ["Sorry, you do not have permission to access this area."]


def test_the_public_site_stays_french_for_an_english_admin(client, full):
    client = speaking(client, "en")
    html = client.get(full.page.url).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert 'lang="fr"' in html and "liste d'attente" in main
    assert "Registration" not in main and "Sign up" not in main
