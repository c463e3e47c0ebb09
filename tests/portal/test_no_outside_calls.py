"""The admin calls nothing outside the site: no Wagtail update check, no Gravatar.

Each check is then run with Wagtail's default turned back on, to show it would see the call.
"""

import pytest

from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db

UPDATE_CHECK = 'data-controller="w-upgrade'
GRAVATAR = "gravatar.com/avatar"


@pytest.fixture
def dashboard(client):
    user = get_user_model().objects.create_superuser("chef", "chef@example.fr", "motdepasse-long")
    client.force_login(user)

    def get() -> str:
        response = client.get("/admin/")
        assert response.status_code == 200
        return response.content.decode()

    return get


def test_the_dashboard_asks_nobody_for_a_newer_wagtail(dashboard, settings):
    assert UPDATE_CHECK not in dashboard()
    settings.WAGTAIL_ENABLE_UPDATE_CHECK = True  # Wagtail's default
    assert UPDATE_CHECK in dashboard()


def test_avatars_are_not_fetched_from_gravatar(dashboard, settings):
    assert GRAVATAR not in dashboard()
    settings.WAGTAIL_GRAVATAR_PROVIDER_URL = "//www.gravatar.com/avatar"  # Wagtail's default
    assert GRAVATAR in dashboard()
