"""Security headers, the admin login lockout and rate limits on public endpoints."""

import ipaddress
import logging
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from django.contrib.auth import get_user_model

pytestmark = [pytest.mark.usefixtures("shared_demo"), pytest.mark.engine]

LOGIN = "/admin/login/"


def csp(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


def test_public_pages_carry_a_strict_policy_without_any_nonce(client):
    """Nothing inline is allowed at all, so a page from the full-page cache is as safe as a
    fresh one: no per-response value in the policy or the HTML."""
    response = client.get("/")
    policy = csp(response)
    for directive in ("script-src", "style-src"):
        assert policy[directive] == "'self'"
    assert "nonce" not in response["Content-Security-Policy"]
    assert policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert "http" not in response["Content-Security-Policy"]  # no other origin
    assert csp(client.get("/")) == policy  # the same for every response


def test_public_pages_have_no_inline_script_or_style(client):
    for url in ("/", "/agenda/", "/agence-nord/les-tilleuls/", "/permanences/", "/actualites/"):
        body = client.get(url).content.decode()
        for tag in re.findall(r"<script[^>]*>", body):
            assert " src=" in tag and "nonce" not in tag, (url, tag)
        assert not re.search(r"<script[^>]*>(?!</script>)", body), url  # no inline code
        assert " style=" not in body, url
        assert "<style" not in body, url


def test_the_admin_has_a_workable_policy_of_its_own(client, db):
    policy = csp(client.get(LOGIN))
    assert "'unsafe-inline'" in policy["script-src"]
    assert "nonce-" not in policy["script-src"]  # a nonce would cancel 'unsafe-inline'
    assert policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'self'"  # the page preview


def test_security_headers_on_every_response(client):
    for url in ("/", "/calendrier/permanences.ics", "/healthz", LOGIN):
        response = client.get(url)
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert "camera=()" in response["Permissions-Policy"], url
        assert "geolocation=()" in response["Permissions-Policy"], url
    assert client.get("/")["X-Frame-Options"] == "DENY"


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser(
        "mediatrice", "m@example.fr", "bon-mot-de-passe"
    )


def attempt(client, password, ip="203.0.113.7", **headers):
    return client.post(
        LOGIN,
        {"username": "mediatrice", "password": password},
        REMOTE_ADDR=ip,
        **headers,
    )


def test_repeated_failed_logins_lock_out_with_a_french_page(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "mauvais").status_code == 200
    locked = attempt(client, "mauvais")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Connexion temporairement bloquée" in page and "15 minutes" in page
    # Even the right password is refused while locked…
    assert attempt(client, "bon-mot-de-passe").status_code == 429
    # …and accepted once the cool-off has passed.
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=16)):
        assert attempt(client, "bon-mot-de-passe").status_code == 302


def test_the_lockout_follows_the_client_address_from_the_proxy_header(client, editor, settings):
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/8")]
    proxy = "10.0.0.1"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "mauvais", ip=proxy, HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert (
        attempt(client, "mauvais", ip=proxy, HTTP_X_FORWARDED_FOR="198.51.100.20").status_code
        == 429
    )
    # Another tenant behind the same proxy is not locked out.
    other = attempt(client, "bon-mot-de-passe", ip=proxy, HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert other.status_code == 302


def test_lockout_logs_hold_neither_username_nor_address(client, editor, settings, caplog):
    with caplog.at_level(logging.DEBUG):
        for _ in range(settings.AXES_FAILURE_LIMIT + 1):
            attempt(client, "mauvais", ip="203.0.113.77")
    written = "\n".join(record.getMessage() for record in caplog.records)
    assert "AXES" in written  # axes did log the failures…
    assert "mediatrice" not in written  # …without the username
    assert "203.0.113.77" not in written  # …or the address


def test_search_is_rate_limited_with_a_french_page(client, settings):
    settings.SEARCH_RATE_LIMIT = 3
    for _ in range(3):
        assert client.get("/recherche/", {"q": "fete"}).status_code == 200
    limited = client.get("/recherche/", {"q": "fete"})
    assert limited.status_code == 429
    assert "Réessayez dans quelques minutes" in limited.content.decode()
    assert limited["Retry-After"] == "600"


def test_manage_links_are_rate_limited(client, db, settings):
    settings.MANAGE_RATE_LIMIT = 2
    for _ in range(2):
        assert client.get("/inscription/gerer/" + "x" * 43 + "/").status_code == 404
    assert client.get("/inscription/gerer/" + "x" * 43 + "/").status_code == 429


def test_password_validators_refuse_weak_passwords(db):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("12345678901", "motdepasse", "court"):
        with pytest.raises(ValidationError):
            validate_password(weak)
