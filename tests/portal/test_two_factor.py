"""Two-step verification (#15): enrolment, verification, policy, recovery codes, throttling,
reset, and no code or secret in the logs.

The test settings keep TWO_FACTOR_REQUIRED off (so `force_login` and the browser tests reach
the admin); every test here turns it on with the `required` fixture, except where it checks the
switch itself. Codes are computed here from the device's key, as a phone would.
"""

import io
import logging
import os
import re
import subprocess
import sys
from base64 import b32decode
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.translation import override

from wagtail.models import Site
from wagtail.users.models import UserProfile

from portal.models import PortalSettings
from portal.twofactor import devices
from portal.twofactor.bulk_actions import ResetTwoFactorBulkAction
from residences.teams import setup_sector_team

pytestmark = pytest.mark.django_db

ROOT = Path(django_settings.BASE_DIR)
LEAKY = {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "TWO_FACTOR_REQUIRED"}
PASSWORD = "mot-de-passe-solide-42"
VERIFY = "/admin/deux-etapes/verifier/"
SETUP = "/admin/deux-etapes/activer/"
# Admin URLs that must stay closed before the second step: Wagtail's, ours, Django's admin.
CLOSED = [
    "/admin/",
    "/admin/pages/",
    "/admin/rapport-activite/",
    "/admin/users/",
    "/admin/account/",
    "/admin/settings/portal/portalsettings/",
    "/admin/deux-etapes/",
    "/admin/api/main/pages/",
    "/admin/une-adresse-inconnue/",
    "/django-admin/",
    "/django-admin/otp_totp/totpdevice/",
]


@pytest.fixture(autouse=True)
def frozen():
    """Codes follow the clock: it only moves when a test says so (TOTP steps, throttle waits)."""
    with time_machine.travel("2027-03-10 09:00:05 +01:00", tick=False) as traveller:
        yield traveller


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True


@pytest.fixture
def team(sector):
    return setup_sector_team(sector, require_approval=False)


def make_user(username: str, *, superuser: bool = False, group=None):
    User = get_user_model()
    if superuser:
        return User.objects.create_superuser(username, f"{username}@example.fr", PASSWORD)
    user = User.objects.create_user(username, f"{username}@example.fr", PASSWORD)
    if group is not None:
        user.groups.add(group)
    return user


@pytest.fixture
def admin_user(db):
    return make_user("camille", superuser=True)


@pytest.fixture
def manager(team):
    return make_user("claire", group=team.managers)


@pytest.fixture
def mediator(team):
    return make_user("nadia", group=team.mediators)


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    device = TOTPDevice.objects.create(user=user, name="Téléphone", confirmed=True)
    return device, devices.new_recovery_codes(user)


def sign_in(client, user, next_url: str = "/admin/"):
    response = client.post(
        reverse("wagtailadmin_login"),
        {"username": user.get_username(), "password": PASSWORD, "next": next_url},
    )
    assert response.status_code == 302, "the password step failed"
    return response


def sign_out(client):
    client.post(reverse("wagtailadmin_logout"))


def redirect_target(response) -> tuple[str, str | None]:
    """(path, next) of a redirect."""
    assert response.status_code == 302, response.status_code
    parts = urlsplit(response["Location"])
    return parts.path, parse_qs(parts.query).get("next", [None])[0]


def errors_of(response) -> str:
    return " ".join(response.context["form"].errors.get("code", []))


# --- Enrolment ---------------------------------------------------------------------------------


def test_enrolment_with_a_real_code_then_ten_recovery_codes_shown_once(
    client, admin_user, required, frozen
):
    sign_in(client, admin_user)
    assert redirect_target(client.get("/admin/")) == (SETUP, "/admin/")

    page = client.get(SETUP + "?next=/admin/pages/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Activer la vérification en deux étapes" in html
    assert "<svg" in html and "Code QR" in html
    device = TOTPDevice.objects.get(user=admin_user)
    assert not device.confirmed
    # The key typed by hand is the device's: a phone that took it computes the right codes.
    shown = re.search(r'class="twofactor-secret">([A-Z2-7 ]+)<', html).group(1)
    assert b32decode(shown.replace(" ", "")) == device.bin_key
    assert device.config_url.startswith("otpauth://totp/Trait%20d%27union%3Acamille?secret=")
    # A reload keeps the same pending device, so the QR code already scanned stays valid.
    client.get(SETUP)
    assert TOTPDevice.objects.filter(user=admin_user).count() == 1

    refused = client.post(SETUP, {"code": "000000", "next": "/admin/pages/"})
    assert refused.status_code == 200
    assert "Ce code n'est pas valable" in errors_of(refused)
    assert '<li class="error">Ce code n&#x27;est pas valable' in refused.content.decode()
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed

    frozen.shift(2)  # past the one-second wait django-otp imposes after a wrong code
    done = client.post(SETUP, {"code": code_for(device), "next": "/admin/pages/"})
    assert done.status_code == 200
    assert done.templates[0].name == "twofactor/recovery_codes.html"
    codes = done.context["codes"]
    assert len(codes) == 10 == len(set(codes))
    body = done.content.decode()
    assert all(code in body for code in codes)
    assert "ils ne seront plus jamais affichés" in body
    assert 'href="/admin/pages/"' in body
    stored = set(
        StaticToken.objects.filter(device__user=admin_user).values_list("token", flat=True)
    )
    assert stored == {devices.normalise(code) for code in codes}
    assert TOTPDevice.objects.get(pk=device.pk).confirmed

    # The session is verified at once; the codes are not shown again anywhere.
    assert client.get("/admin/").status_code == 200
    status = client.get(reverse("twofactor_manage")).content.decode()
    assert "Codes de secours encore valables : 10." in status
    assert not any(code in status for code in codes)
    assert not any(code in str(dict(client.session.items())) for code in codes)


def test_setup_refuses_a_code_that_is_not_six_digits(client, admin_user, required):
    sign_in(client, admin_user)
    client.get(SETUP)
    response = client.post(SETUP, {"code": "abcd-efgh"})
    assert "Ce code n'est pas valable" in errors_of(response)
    assert not TOTPDevice.objects.filter(user=admin_user, confirmed=True).exists()


def test_an_enrolled_account_cannot_enrol_a_new_phone_before_verifying(client, manager, required):
    """Someone with the password alone cannot replace the owner's phone with theirs."""
    device, _codes = enrol(manager)
    sign_in(client, manager)
    assert redirect_target(client.get(SETUP)) == (VERIFY, "/admin/")
    response = client.post(SETUP, {"code": code_for(device)})
    assert redirect_target(response)[0] == VERIFY
    assert list(TOTPDevice.objects.filter(user=manager)) == [device]


def test_a_verified_account_replaces_its_phone(client, manager, required, frozen):
    old, old_codes = enrol(manager)
    sign_in(client, manager)
    client.post(VERIFY, {"code": code_for(old)})
    client.get(SETUP)
    new = TOTPDevice.objects.get(user=manager, confirmed=False)
    frozen.shift(30)
    response = client.post(SETUP, {"code": code_for(new)})
    assert response.templates[0].name == "twofactor/recovery_codes.html"
    assert list(TOTPDevice.objects.filter(user=manager)) == [new]
    assert not StaticToken.objects.filter(token=devices.normalise(old_codes[0])).exists()


# --- Verification and the closed admin ----------------------------------------------------------


@pytest.mark.parametrize("url", CLOSED)
@pytest.mark.parametrize("who", ["admin_user", "manager"])
def test_every_admin_url_redirects_to_the_code_page_until_verified(
    client, request, required, who, url
):
    user = request.getfixturevalue(who)
    device, _codes = enrol(user)
    sign_in(client, user)
    assert redirect_target(client.get(url)) == (VERIFY, url)
    # A form posted without the second step is not run either.
    assert redirect_target(client.post(url, {}))[0] == VERIFY

    response = client.post(VERIFY, {"code": code_for(device), "next": url})
    assert redirect_target(response)[0] == url
    after = client.get(url)
    assert after.status_code != 302 or redirect_target(after)[0] not in (VERIFY, SETUP)


def test_the_code_page_speaks_french_and_keeps_the_next_url(client, admin_user, required):
    enrol(admin_user)
    sign_in(client, admin_user, next_url="/admin/rapport-activite/")
    assert redirect_target(client.get("/admin/rapport-activite/")) == (
        VERIFY,
        "/admin/rapport-activite/",
    )
    page = client.get(VERIFY + "?next=/admin/rapport-activite/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>Vérification en deux étapes</h1>" in html
    assert "Code à 6 chiffres, ou un code de secours" in html
    assert 'autocomplete="one-time-code"' in html
    assert 'name="next" value="/admin/rapport-activite/"' in html
    # Wagtail's sign-in look (its body class and style sheet), not a bare page.
    assert '<body id="wagtail" class="login' in html
    assert "wagtailadmin/css/core.css" in html


def test_login_logout_and_static_files_stay_open(client, admin_user, required):
    enrol(admin_user)
    sign_in(client, admin_user)
    for url in (VERIFY, reverse("wagtailadmin_javascript_catalog"), reverse("wagtailadmin_sprite")):
        assert client.get(url).status_code == 200, url
    # The login page sends a signed-in account on, to the code page through the admin.
    assert redirect_target(client.get(reverse("wagtailadmin_login")))[0] == "/admin/"
    sign_out(client)
    assert redirect_target(client.get("/admin/"))[0] == reverse("wagtailadmin_login")
    assert client.get(reverse("wagtailadmin_login")).status_code == 200


def test_verification_gives_a_new_session_key(client, admin_user, required):
    device, _codes = enrol(admin_user)
    sign_in(client, admin_user)
    before = client.session.session_key
    client.post(VERIFY, {"code": code_for(device)})
    assert client.session.session_key != before
    assert client.get("/admin/").status_code == 200


def test_next_never_leaves_the_site(client, admin_user, required):
    device, _codes = enrol(admin_user)
    sign_in(client, admin_user)
    response = client.post(VERIFY, {"code": code_for(device), "next": "https://evil.example/"})
    assert response["Location"] == "/admin/"


def test_a_code_is_asked_again_at_the_next_login(client, manager, required, frozen):
    device, _codes = enrol(manager)
    sign_in(client, manager)
    client.post(VERIFY, {"code": code_for(device)})
    assert client.get("/admin/").status_code == 200
    sign_out(client)
    sign_in(client, manager)
    assert redirect_target(client.get("/admin/"))[0] == VERIFY
    # The same code is not accepted twice (django-otp keeps the last time step used).
    assert "Ce code n'est pas valable" in errors_of(client.post(VERIFY, {"code": code_for(device)}))
    frozen.shift(31)
    assert redirect_target(client.post(VERIFY, {"code": code_for(device)}))[0] == "/admin/"


# --- Policy ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin_user", "manager"])
def test_required_for_administrators_and_managers(client, request, required, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    assert redirect_target(client.get("/admin/")) == (SETUP, "/admin/")
    assert redirect_target(client.get("/admin/rapport-activite/"))[0] == SETUP


@pytest.mark.parametrize("who", ["admin_user", "manager"])
def test_not_forced_when_the_requirement_is_off(client, request, settings, who):
    settings.TWO_FACTOR_REQUIRED = False
    client.force_login(request.getfixturevalue(who))
    assert client.get("/admin/").status_code == 200


def test_an_enrolled_account_verifies_even_when_the_requirement_is_off(client, manager, settings):
    settings.TWO_FACTOR_REQUIRED = False
    enrol(manager)
    sign_in(client, manager)
    assert redirect_target(client.get("/admin/"))[0] == VERIFY


def test_mediators_only_when_the_site_setting_says_so(client, mediator, required, home):
    client.force_login(mediator)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/rapport-activite/").status_code == 200

    site_settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.require_two_factor_for_mediators = True
    site_settings.save()
    assert redirect_target(client.get("/admin/")) == (SETUP, "/admin/")
    assert redirect_target(client.get("/admin/rapport-activite/"))[0] == SETUP

    site_settings.require_two_factor_for_mediators = False
    site_settings.save()
    assert client.get("/admin/").status_code == 200


def test_the_site_setting_is_in_the_settings_form(client, admin_user, home):
    client.force_login(admin_user)
    html = client.get("/admin/settings/portal/portalsettings/", follow=True).content.decode()
    assert "Exiger la vérification en deux étapes pour les médiateurs" in html
    assert PortalSettings._meta.get_field("require_two_factor_for_mediators").default is False


def test_a_mediator_who_is_also_a_manager_must_enrol(client, team, required):
    both = make_user("sam", group=team.mediators)
    both.groups.add(team.managers)
    client.force_login(both)
    assert redirect_target(client.get("/admin/"))[0] == SETUP


def test_other_admin_accounts_are_treated_like_managers(client, required):
    """Fail-safe: only an account known to be a mediator gets the option."""
    user = make_user("editor")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    client.force_login(user)
    assert redirect_target(client.get("/admin/"))[0] == SETUP


def test_a_mediator_enrols_from_the_account_page_then_must_verify(
    client, mediator, required, frozen
):
    sign_in(client, mediator)
    account = client.get(reverse("wagtailadmin_account")).content.decode()
    assert reverse("twofactor_manage") in account
    assert "Vérification en deux étapes" in account
    status = client.get(reverse("twofactor_manage")).content.decode()
    assert "Non activée" in status and SETUP in status

    client.get(SETUP)
    device = TOTPDevice.objects.get(user=mediator)
    response = client.post(SETUP, {"code": code_for(device)})
    assert len(response.context["codes"]) == 10
    sign_out(client)

    sign_in(client, mediator)
    assert redirect_target(client.get("/admin/"))[0] == VERIFY
    frozen.shift(31)
    client.post(VERIFY, {"code": code_for(device)})
    assert client.get("/admin/").status_code == 200


def test_only_an_optional_account_can_switch_it_off(client, mediator, manager, required, frozen):
    device, _codes = enrol(manager)
    sign_in(client, manager)
    client.post(VERIFY, {"code": code_for(device)})
    frozen.shift(31)
    response = client.post(reverse("twofactor_disable"), {"code": code_for(device)}, follow=True)
    assert "obligatoire pour ce compte" in response.content.decode()
    assert TOTPDevice.objects.filter(user=manager).exists()
    sign_out(client)

    device, _codes = enrol(mediator)
    sign_in(client, mediator)
    client.post(VERIFY, {"code": code_for(device)})
    # A current code is asked for: a session left open is not enough.
    assert client.post(reverse("twofactor_disable"), {"code": "123456"}).status_code == 400
    frozen.shift(31)
    client.post(reverse("twofactor_disable"), {"code": code_for(device)})
    assert not TOTPDevice.objects.filter(user=mediator).exists()
    assert not StaticDevice.objects.filter(user=mediator).exists()
    assert client.get("/admin/").status_code == 200


# --- Recovery codes -------------------------------------------------------------------------------


def test_a_recovery_code_works_once(client, manager, required):
    _device, codes = enrol(manager)
    sign_in(client, manager, next_url="/admin/pages/")
    # Typed as printed, or in capitals without the dash: both are the same code.
    response = client.post(
        VERIFY, {"code": codes[0].upper().replace("-", " "), "next": "/admin/pages/"}
    )
    assert redirect_target(response)[0] == "/admin/pages/"
    follow = client.get("/admin/pages/", follow=True)
    assert "Il vous en reste 9" in follow.content.decode()
    assert devices.recovery_codes_left(manager) == 9
    sign_out(client)

    sign_in(client, manager)
    again = client.post(VERIFY, {"code": codes[0]})
    assert again.status_code == 200
    assert "Ce code de secours n'est pas valable ou a déjà servi." in errors_of(again)
    assert redirect_target(client.get("/admin/"))[0] == VERIFY


def test_new_recovery_codes_replace_the_old_ones(client, manager, required):
    device, old = enrol(manager)
    sign_in(client, manager)
    client.post(VERIFY, {"code": code_for(device)})
    assert client.get(reverse("twofactor_renew_codes")).status_code == 405
    response = client.post(reverse("twofactor_renew_codes"))
    new = response.context["codes"]
    assert len(new) == 10 and not set(new) & set(old)
    assert devices.recovery_codes_left(manager) == 10
    assert not StaticToken.objects.filter(token__in=[devices.normalise(c) for c in old]).exists()


# --- Wrong codes and throttling -------------------------------------------------------------------


def test_wrong_codes_are_refused_in_french_and_throttled(client, admin_user, required, frozen):
    device, codes = enrol(admin_user)
    sign_in(client, admin_user)

    wrong = client.post(VERIFY, {"code": "000000"})
    assert wrong.status_code == 200
    assert "Ce code n'est pas valable" in errors_of(wrong)
    # Shown where Wagtail's sign-in page shows its errors (its style sheet hides field errors).
    assert '<li class="error">Ce code n&#x27;est pas valable' in wrong.content.decode()

    # At once, even the right code waits: django-otp's delay doubles with each failure.
    throttled = client.post(VERIFY, {"code": code_for(device)})
    assert throttled.status_code == 429
    assert "Trop de codes erronés. Patientez 1 secondes avant de réessayer." in errors_of(throttled)
    assert redirect_target(client.get("/admin/"))[0] == VERIFY

    for _ in range(4):
        frozen.shift(60)
        client.post(VERIFY, {"code": "111111"})
    assert TOTPDevice.objects.get(pk=device.pk).throttling_failure_count == 5
    frozen.shift(10)
    still = client.post(VERIFY, {"code": code_for(device)})
    assert "Patientez 6 secondes" in errors_of(still)  # 2^4 = 16 s after the fifth failure

    frozen.shift(16)
    assert redirect_target(client.post(VERIFY, {"code": code_for(device)}))[0] == "/admin/"
    assert TOTPDevice.objects.get(pk=device.pk).throttling_failure_count == 0


def test_wrong_recovery_codes_are_throttled_too(client, admin_user, required, frozen):
    _device, codes = enrol(admin_user)
    sign_in(client, admin_user)
    assert "a déjà servi" in errors_of(client.post(VERIFY, {"code": "zzzz-zzzz"}))
    throttled = client.post(VERIFY, {"code": codes[1]})
    assert throttled.status_code == 429
    assert devices.recovery_codes_left(admin_user) == 10  # not spent while throttled
    frozen.shift(2)
    assert redirect_target(client.post(VERIFY, {"code": codes[1]}))[0] == "/admin/"


# --- Reset ----------------------------------------------------------------------------------------


def test_reset_two_factor_command(client, manager, required):
    device, _codes = enrol(manager)
    sign_in(client, manager)
    client.post(VERIFY, {"code": code_for(device)})
    assert client.get("/admin/").status_code == 200

    out = io.StringIO()
    call_command("reset_two_factor", "claire", stdout=out)
    assert "claire : vérification en deux étapes réinitialisée (2 dispositif(s)" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=manager).exists()
    assert not StaticDevice.objects.filter(user=manager).exists()
    # The open session loses its verification at once and is sent to enrol again.
    assert redirect_target(client.get("/admin/"))[0] == SETUP

    with pytest.raises(CommandError, match="Aucun compte « personne »"):
        call_command("reset_two_factor", "personne")


def test_an_administrator_resets_an_account_from_the_users_listing(
    client, admin_user, manager, mediator, required
):
    enrol(manager)
    device, _codes = enrol(admin_user)
    sign_in(client, admin_user)
    client.post(VERIFY, {"code": code_for(device)})
    url = reverse("wagtail_bulk_action", args=("auth", "user", "reset_two_factor"))
    confirm = client.get(url, {"id": manager.pk})
    assert confirm.status_code == 200
    assert "Réinitialiser la vérification en deux étapes" in confirm.content.decode()
    done = client.post(f"{url}?id={manager.pk}&next=/admin/users/", follow=True)
    assert done.redirect_chain[-1][0] == "/admin/users/"
    assert "réinitialisée pour 1 compte(s)" in done.content.decode()
    assert not TOTPDevice.objects.filter(user=manager).exists()
    assert TOTPDevice.objects.filter(user=admin_user).exists()


def test_a_manager_cannot_reset_anyone(client, manager, admin_user, required):
    device, _codes = enrol(manager)
    enrol(admin_user)
    sign_in(client, manager)
    client.post(VERIFY, {"code": code_for(device)})
    url = reverse("wagtail_bulk_action", args=("auth", "user", "reset_two_factor"))
    client.post(f"{url}?id={admin_user.pk}")
    assert TOTPDevice.objects.filter(user=admin_user).exists()


# --- Logs, language, settings ---------------------------------------------------------------------


def test_no_code_or_secret_in_the_logs(client, admin_user, manager, required, frozen, caplog):
    # Everything at DEBUG except what LOGGING pins itself: django.template stays at INFO, as its
    # DEBUG records print whole template contexts (the recovery codes, the key).
    caplog.set_level(logging.DEBUG)
    for name in ("portal", "django", "django_otp", "wagtail"):
        caplog.set_level(logging.DEBUG, logger=name)

    sign_in(client, admin_user)
    client.get(SETUP)
    pending = TOTPDevice.objects.get(user=admin_user)
    client.post(SETUP, {"code": "123456"})
    frozen.shift(2)
    setup_code = code_for(pending)
    codes = client.post(SETUP, {"code": setup_code}).context["codes"]
    sign_out(client)

    device, manager_codes = enrol(manager)
    sign_in(client, manager)
    client.post(VERIFY, {"code": "654321"})
    client.post(VERIFY, {"code": code_for(device)})  # throttled
    client.post(VERIFY, {"code": "zzzz-zzzz"})
    frozen.shift(5)
    client.post(VERIFY, {"code": manager_codes[3]})

    logged = caplog.text
    assert "Two-step verification set up: user" in logged
    assert "Two-step verification failed: user" in logged
    assert "Two-step verification throttled: user" in logged
    secrets = [
        pending.key,
        devices.secret_text(pending).replace(" ", ""),
        device.key,
        setup_code,
        "123456",
        "654321",
    ]
    secrets += codes + manager_codes + [devices.normalise(c) for c in codes + manager_codes]
    leaked = [value for value in secrets if value in logged or value.lower() in logged.lower()]
    assert leaked == []


def test_the_pages_follow_the_admin_language(client, admin_user, required):
    enrol(admin_user)
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "en"
    profile.save()
    sign_in(client, admin_user)
    english = client.get(VERIFY).content.decode()
    assert "Two-step verification" in english and "Vérification en deux étapes" not in english
    wrong = client.post(VERIFY, {"code": "000000"})
    assert "This code is not valid" in errors_of(wrong)
    with override("fr"):
        assert str(ResetTwoFactorBulkAction.display_name).startswith("Réinitialiser")
    with override("en"):
        assert str(ResetTwoFactorBulkAction.display_name) == "Reset two-step verification"


def run_settings(module: str, **env) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in LEAKY}
    clean.update(env, DJANGO_SETTINGS_MODULE=module)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            # The settings module alone decides it: no need to load the apps (2 s each).
            "from django.conf import settings; print(settings.TWO_FACTOR_REQUIRED)",
        ],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_always_requires_it_development_lets_the_demo_in():
    production = {
        "SECRET_KEY": "x" * 20 + "-production-secret-for-tests-only-0123456789",
        "ALLOWED_HOSTS": "example.fr",
    }
    assert run_settings("portal.settings.production", **production) == "True"
    assert (
        run_settings("portal.settings.production", TWO_FACTOR_REQUIRED="false", **production)
        == "True"
    )
    assert run_settings("portal.settings.dev") == "False"
    assert run_settings("portal.settings.dev", TWO_FACTOR_REQUIRED="true") == "True"
    assert run_settings("portal.settings.test", TWO_FACTOR_REQUIRED="true") == "False"
