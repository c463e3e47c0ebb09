"""Devices: the authenticator app (a django-otp TOTP device) and recovery codes (a static device).

Codes and secrets are never logged: log lines carry the user's id and what happened.
"""

import logging
import re
from base64 import b32encode
from dataclasses import dataclass
from datetime import datetime

import segno
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from django.db import transaction
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

logger = logging.getLogger(__name__)

APP_DEVICE_NAME = "Application d'authentification"
RECOVERY_DEVICE_NAME = "Codes de secours"
RECOVERY_CODE_COUNT = 10
TOTP_CODE = re.compile(r"\d{6}")


def normalise(code: str) -> str:
    """What people type: spaces and dashes (as the codes are printed) and capitals ignored."""
    return re.sub(r"[\s-]+", "", code or "").lower()


def pending_app_device(user) -> TOTPDevice:
    """The unconfirmed TOTP device being set up: the same one while the page is reloaded."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it by hand: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> SafeString:
    """The otpauth:// URI as an inline SVG, made here (the secret never leaves the server)."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, title=gettext("Code QR à scanner avec votre application d'authentification")
    )
    return mark_safe(svg)  # segno's own markup; the title is ours, nothing from the request


@dataclass
class Outcome:
    device: object | None = None
    throttled_until: datetime | None = None
    recovery: bool = False

    @property
    def ok(self) -> bool:
        return self.device is not None

    @property
    def wait_seconds(self) -> int:
        if self.throttled_until is None:
            return 0
        return max(1, int((self.throttled_until - timezone.now()).total_seconds() + 0.999))


def _try(devices, token: str, recovery: bool) -> Outcome:
    """Each device in turn under its row lock, through django-otp's throttled verify_token."""
    throttled_until = None
    for device in devices:
        allowed, details = device.verify_is_allowed()
        if not allowed:
            locked_until = (details or {}).get("locked_until")
            throttled_until = max(filter(None, [throttled_until, locked_until]), default=None)
            continue
        if device.verify_token(token):
            return Outcome(device=device, recovery=recovery)
        # A wrong code is said to be wrong; only a try that was not even checked says "wait".
        throttled_until = None
    return Outcome(throttled_until=throttled_until, recovery=recovery)


def verify(user, code: str) -> Outcome:
    """A 6-digit code against the confirmed app, anything else against the recovery codes."""
    token = normalise(code)
    recovery = not TOTP_CODE.fullmatch(token)
    model = StaticDevice if recovery else TOTPDevice
    with transaction.atomic():
        devices = list(model.objects.devices_for_user(user, confirmed=True).select_for_update())
        outcome = _try(devices, token, recovery)
    if outcome.ok:
        logger.info("Two-step verification passed: user %s, %s.", user.pk, _kind(outcome))
    elif outcome.throttled_until:
        logger.warning("Two-step verification throttled: user %s.", user.pk)
    else:
        logger.warning("Two-step verification failed: user %s.", user.pk)
    return outcome


def confirm_app(user, device_id: int, code: str) -> Outcome:
    """The first code from a pending app device confirms it and replaces any previous app."""
    token = normalise(code)
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, pk=device_id, confirmed=False)
            .first()
        )
        if device is None or not TOTP_CODE.fullmatch(token):
            if device is not None:
                device.throttle_increment()
            outcome = Outcome()
        else:
            outcome = _try([device], token, recovery=False)
        if outcome.ok:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    if outcome.ok:
        logger.info("Two-step verification set up: user %s.", user.pk)
    else:
        logger.warning("Two-step verification set-up code refused: user %s.", user.pk)
    return outcome


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """Ten fresh single-use codes; the previous ones stop working. Shown once, never logged."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    logger.info("Recovery codes renewed: user %s.", user.pk)
    return [f"{code[:4]}-{code[4:]}" for code in codes]


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def reset(user) -> int:
    """Remove every device of the account (app, recovery codes, pending set-ups). Its sessions
    lose their verification at their next request; the account enrols again if it must."""
    removed = 0
    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()
        removed += 1
    logger.info("Two-step verification reset: user %s, %s device(s) removed.", user.pk, removed)
    return removed


def _kind(outcome: Outcome) -> str:
    return "recovery code" if outcome.recovery else "app"
