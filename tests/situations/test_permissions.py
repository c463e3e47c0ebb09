"""The permission matrix on the demo landlord: nadia (médiatrice, Agence Nord) and a manager of
Agence Nord only, against every URL of the Situations area with Agence Sud's situation and
request, in GET and in POST. Nothing of Sud is shown, nothing of Sud changes, no audit entry is
written for Sud. The URL names come from the package itself: a new URL without its row here
fails the test."""

import pytest

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from residences.models import ResidencePage, SectorTeam
from residences.situations.audit import AuditEntry
from residences.situations.models import Action, HelpRequest, Household, Situation
from residences.situations.urls import admin_urlpatterns
from tests.situations.conftest import tenant_request

pytestmark = pytest.mark.usefixtures("shared_demo")

SECRET_LABEL = "voisine-secrete-du-sud"
SECRET_MESSAGE = "message-confidentiel-du-sud"

# Per URL name: which object of sector B it takes (None: a list or form of the user's own).
TARGETS = {
    "situations_list": None,
    "situations_create": None,
    "situations_detail": "situation",
    "situations_edit": "situation",
    "situations_log": "situation",
    "situations_close": "situation",
    "situations_reopen": "situation",
    "situations_audit": "situation",
    "situations_export": "situation",
    "situations_requests": None,
    "situations_request": "request",
    "situations_request_convert": "request",
    "situations_request_set_aside": "request",
    "situations_export_all": None,
    "situations_audit_log": None,
    "situations_access": None,
    "situations_figures": None,
    "situations_preferences": None,
}
URL_NAMES = [pattern.name for pattern in admin_urlpatterns]


def test_every_url_of_the_package_is_in_the_matrix():
    assert sorted(URL_NAMES) == sorted(TARGETS)


@pytest.fixture
def south():
    peupliers = ResidencePage.objects.get(slug="les-peupliers")
    situation = Situation.objects.get(residence=peupliers)
    Household.objects.create(situation=situation, door="A 9e", label=SECRET_LABEL, sort_order=5)
    help_request = tenant_request(peupliers, message=SECRET_MESSAGE, first_name=SECRET_LABEL)
    return {"situation": situation, "request": help_request, "residence": peupliers}


def north_manager():
    team = SectorTeam.objects.get(sector__slug="agence-nord")
    user = get_user_model().objects.create_user("responsable-nord", password="x" * 20)
    user.groups.add(team.managers)
    return user


def state_of(south) -> tuple:
    """Everything of sector B that a write could change, and its audit trail."""
    situation, help_request = south["situation"], south["request"]
    return (
        list(Situation.objects.filter(sector=situation.sector_id).order_by("pk").values()),
        list(Household.objects.filter(situation__sector=situation.sector_id).values()),
        list(Action.objects.filter(situation__sector=situation.sector_id).values()),
        list(HelpRequest.objects.filter(pk=help_request.pk).values()),
        AuditEntry.objects.filter(sector=situation.sector_id).count(),
    )


def url_for(name, south):
    target = TARGETS[name]
    if target is None:
        return reverse(name)
    return reverse(name, args=(south[target].pk,))


def post_data(name, south):
    today = timezone.localdate().isoformat()
    return {
        "situations_create": {
            "residence": south["residence"].pk,
            "category": "bruit",
            "intensity": south["situation"].intensity_id,
            "opened_on": today,
            "menage-TOTAL_FORMS": "1",
            "menage-INITIAL_FORMS": "0",
            "menage-0-door": "Z1",
            "menage-0-label": "intrus",
        },
        "situations_edit": {"category": "autre", "description": "réécrit"},
        "situations_log": {"kind": "visite", "happened_on": today, "note": "intrus"},
        "situations_close": {"outcome": "accord", "closed_on": today},
        "situations_access": {"query": SECRET_LABEL, "export": "1"},
        "situations_preferences": {"email_on_request": "on"},
    }.get(name, {"note": "intrus"})


def refused(response) -> bool:
    """403, or Wagtail's answer to PermissionDenied: back to the admin home with « Désolé… »."""
    home = reverse("wagtailadmin_home")
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == home
    )


def leaks(response, south) -> list[str]:
    body = b"".join(response) if response.streaming else response.content
    text = body.decode(errors="replace")
    markers = [
        south["situation"].reference,
        south["request"].reference,
        SECRET_LABEL,
        SECRET_MESSAGE,
        "Rappel du règlement intérieur",  # a note of the demo's Sud situation
    ]
    return [marker for marker in markers if marker in text]


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", URL_NAMES)
@pytest.mark.parametrize("who", ["nadia", "north_manager"])
def test_sector_a_cannot_read_or_change_sector_b(client, south, who, name, method):
    user = get_user_model().objects.get(username="nadia") if who == "nadia" else north_manager()
    client.force_login(user)
    before = state_of(south)
    url = url_for(name, south)
    if method == "get":
        response = client.get(url, {"residence": south["residence"].pk, "statut": "toutes"})
    else:
        response = client.post(url, post_data(name, south))
    if TARGETS[name] is not None:
        assert response.status_code in (404, 405) or refused(response), (name, method)
    else:
        assert response.status_code in (200, 302) or refused(response), (name, method)
    assert leaks(response, south) == []
    assert state_of(south) == before


def test_the_matrix_can_fail_sophie_reaches_her_own_sectors_situation(client, south):
    """The same requests as sophie (médiatrice, Agence Sud): read, and audited."""
    client.force_login(get_user_model().objects.get(username="sophie"))
    before = AuditEntry.objects.filter(situation=south["situation"]).count()
    response = client.get(url_for("situations_detail", south))
    assert response.status_code == 200
    assert SECRET_LABEL in response.content.decode()
    assert AuditEntry.objects.filter(situation=south["situation"]).count() == before + 1
    response = client.get(reverse("situations_list"), {"statut": "toutes"})
    assert south["situation"].reference in response.content.decode()


@pytest.mark.parametrize(
    "name",
    [
        "situations_audit",
        "situations_export",
        "situations_export_all",
        "situations_access",
        "situations_audit_log",
    ],
)
def test_a_mediator_has_no_export_nor_audit_even_in_her_sector(client, south, name):
    client.force_login(get_user_model().objects.get(username="sophie"))
    assert refused(client.get(url_for(name, south)))
    assert refused(client.post(url_for(name, south), {"query": SECRET_LABEL}))


def test_claire_manages_both_sectors_and_exports_sud(client, south):
    client.force_login(get_user_model().objects.get(username="claire"))
    response = client.get(url_for("situations_export", south))
    assert response.status_code == 200
    assert SECRET_LABEL in response.content.decode()
    assert AuditEntry.objects.filter(
        situation=south["situation"], verb=AuditEntry.Verb.EXPORT, user__username="claire"
    ).exists()


@pytest.mark.parametrize("name", URL_NAMES)
def test_someone_outside_every_team_gets_nothing(client, south, name):
    """An editor with admin access and no team: 403 everywhere; anonymous: the login page."""
    from django.contrib.auth.models import Group, Permission

    editors = Group.objects.create(name="Rédaction")
    editors.permissions.add(Permission.objects.get(codename="access_admin"))
    editor = get_user_model().objects.create_user("redacteur", password="x" * 20)
    editor.groups.add(editors)
    url = url_for(name, south)
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    client.force_login(editor)
    before = state_of(south)
    response = client.get(url)
    assert response.status_code == 405 or refused(response)
    assert refused(client.post(url, post_data(name, south)))
    assert state_of(south) == before


def test_the_admin_menu_and_dashboard_show_situations_to_the_team_only(client, south):
    client.force_login(get_user_model().objects.get(username="nadia"))
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("situations_list") in home
    assert south["request"].reference not in home
    tilleuls = ResidencePage.objects.get(slug="les-tilleuls")
    mine = tenant_request(tilleuls)
    assert mine.reference in client.get(reverse("wagtailadmin_home")).content.decode()
    editor = get_user_model().objects.create_user("redacteur2", password="x" * 20, is_staff=True)
    from django.contrib.auth.models import Permission

    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("situations_list") not in home and mine.reference not in home


def test_the_intensity_grid_is_for_administrators_only(client):
    client.force_login(get_user_model().objects.get(username="claire"))
    assert refused(client.get("/admin/snippets/residences/intensitylevel/"))
    client.force_login(get_user_model().objects.get(username="admin"))
    assert client.get("/admin/snippets/residences/intensitylevel/").status_code == 200


def test_every_situation_page_says_never_cache(client, south):
    client.force_login(get_user_model().objects.get(username="sophie"))
    for name in (
        "situations_list",
        "situations_detail",
        "situations_request",
        "situations_figures",
    ):
        response = client.get(url_for(name, south))
        assert response.status_code == 200, name
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
