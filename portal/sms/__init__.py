"""Sending SMS through a pluggable backend, in the style of Django's e-mail backends.

    from portal.sms import SmsError, send_sms

    result = send_sms("+33612345678", "Atelier cuisine jeudi 14 mars à 14h, salle commune.")
    result.message_id, result.segments

`settings.SMS_BACKEND` names the backend class (console by default; see portal/settings/sms.py
for the others), `settings.SMS_SENDER` the alphanumeric sender shown on the phone. A failure
raises `SmsError`, whose `permanent` says whether trying again can help; its `code` is safe to
log. Nothing here logs a phone number or a message text.
"""

from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

from .backends.base import BaseSmsBackend, SmsMessage
from .results import SmsError, SmsResult
from .segments import encoding, prepare, segments, to_gsm

__all__ = [
    "BaseSmsBackend",
    "SmsError",
    "SmsMessage",
    "SmsResult",
    "encoding",
    "get_backend",
    "outbox",
    "segments",
    "send_sms",
    "to_gsm",
]

DEFAULT_BACKEND = "portal.sms.backends.console.SmsBackend"

# What the locmem backend sent, as django.core.mail.outbox: tests empty it themselves.
outbox: list[SmsMessage] = []


def get_backend(backend: str | None = None, **kwargs: Any) -> BaseSmsBackend:
    """An instance of the backend named by `backend` or settings.SMS_BACKEND."""
    path = str(backend or getattr(settings, "SMS_BACKEND", DEFAULT_BACKEND))
    return import_string(path)(**kwargs)


def send_sms(
    to: str,
    text: str,
    *,
    backend: BaseSmsBackend | str | None = None,
    transliterate: bool = True,
) -> SmsResult:
    """Send `text` to the E.164 number `to` ("+33612345678").

    With `transliterate`, French letters and typography outside GSM-7 (ê, ç, œ, ’, « ») are
    written in their GSM-7 form when that makes the whole text GSM-7: 160 characters per SMS
    instead of 70. Raises SmsError (an invalid number is refused before any provider is asked).
    """
    if not isinstance(backend, BaseSmsBackend):
        backend = get_backend(backend)
    return backend.send(to, prepare(text) if transliterate else text)
