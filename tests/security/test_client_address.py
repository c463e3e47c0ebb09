"""Rate limits and the login lockout over real HTTP, against forged and appended proxy headers.

The live server stands for the application behind our proxy: its REMOTE_ADDR is 127.0.0.1, the
proxy's. A client writes `X-Forwarded-For` as it likes; the proxy appends the address it saw.
"""

import ipaddress
import re

import pytest
import requests

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.engine]

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REAL = "203.0.113.5"


@pytest.fixture
def site(live_server, settings):
    from portal.sitetree import ensure_home_page

    ensure_home_page()
    # The header the documented proxy set-up names; which entry is believed is what is tested.
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.SIGNUP_RATE_LIMIT = 5
    settings.MANAGE_RATE_LIMIT = 5
    return live_server.url


def forged(number: int, *, appended: bool) -> dict:
    """A header the client rotates; `appended` adds what our proxy saw, as nginx does."""
    fake = f"198.51.100.{number % 250 + 1}"
    return {"X-Forwarded-For": f"{fake}, {REAL}" if appended else fake}


def manage_guesses(base: str, headers_for) -> list[int]:
    return [
        requests.get(
            f"{base}/inscription/gerer/devine{n}x/", headers=headers_for(n), timeout=20
        ).status_code
        for n in range(8)
    ]


@pytest.mark.parametrize(
    "declare",
    [
        lambda s: setattr(s, "TRUSTED_PROXY_COUNT", 1),
        lambda s: setattr(s, "TRUSTED_PROXIES", [ipaddress.ip_network("127.0.0.0/8")]),
    ],
    ids=["proxy-count", "proxy-networks"],
)
def test_an_appended_forged_header_does_not_escape_the_limit(site, settings, declare):
    declare(settings)
    codes = manage_guesses(site, lambda n: forged(n, appended=True))
    assert codes[:5] == [404] * 5
    assert codes[5:] == [429] * 3


def test_with_no_proxy_declared_forwarded_headers_are_ignored(site):
    codes = manage_guesses(site, lambda n: forged(n, appended=False))
    assert codes[5:] == [429] * 3


def test_different_clients_behind_our_proxy_are_counted_apart(site, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    codes = [
        requests.get(
            f"{site}/inscription/gerer/devine{n}x/",
            headers={"X-Forwarded-For": f"203.0.113.{n + 10}"},
            timeout=20,
        ).status_code
        for n in range(8)
    ]
    assert codes == [404] * 8


def test_the_login_lockout_holds_against_a_rotating_header(site, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    user = get_user_model().objects.create_user(
        "mediatrice", password="bon-mot-de-passe", is_staff=True
    )
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    session = requests.Session()

    def attempt(number: int, password: str) -> int:
        page = session.get(f"{site}/admin/login/", timeout=20)
        token = TOKEN.search(page.text).group(1)
        return session.post(
            f"{site}/admin/login/",
            data={"csrfmiddlewaretoken": token, "username": "mediatrice", "password": password},
            headers={**forged(number, appended=True), "Referer": f"{site}/admin/login/"},
            allow_redirects=False,
            timeout=20,
        ).status_code

    codes = [attempt(n, "mauvais") for n in range(settings.AXES_FAILURE_LIMIT)]
    assert codes[-1] == 429
    assert attempt(99, "bon-mot-de-passe") == 429  # still locked, whatever the header says
