"""What every SMS backend shares: the sender, and the checks made before any provider is asked."""

import re
import unicodedata
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from portal.sms.results import SmsError, SmsResult
from portal.sms.segments import encoding, segments

DEFAULT_SENDER = "TraitUnion"
# E.164: a + then up to 15 digits, the country code first (never 0).
E164 = re.compile(r"\+[1-9][0-9]{6,14}")
# What operators accept as a sender: 3 to 11 letters, digits or spaces with at least one letter
# (a name, as « TraitUnion »), or a number of up to 15 digits.
ALPHANUMERIC_SENDER = re.compile(r"(?=.*[A-Za-z])[A-Za-z0-9](?:[A-Za-z0-9 ]{1,9})[A-Za-z0-9]")
NUMERIC_SENDER = re.compile(r"[0-9]{3,15}")


@dataclass(frozen=True)
class SmsMessage:
    """A message as the development and test backends keep it."""

    to: str
    text: str
    sender: str
    message_id: str
    segments: int
    encoding: str


def check_sender(sender: str) -> str:
    if not (ALPHANUMERIC_SENDER.fullmatch(sender) or NUMERIC_SENDER.fullmatch(sender)):
        raise ImproperlyConfigured(
            "SMS_SENDER must be 3 to 11 ASCII letters, digits or spaces with at least one "
            "letter, or a number of up to 15 digits."
        )
    return sender


class BaseSmsBackend:
    """Subclasses implement `deliver`; `send` checks the number and the text first.

    An invalid number raises SmsError("invalid_number", permanent=True) without any request, so
    a provider's 400 is about the request it got, not a typo a check could have caught.
    """

    def __init__(self, *, sender: str | None = None, **kwargs: Any) -> None:
        self.sender = check_sender(str(sender or getattr(settings, "SMS_SENDER", DEFAULT_SENDER)))

    def send(self, to: str, text: str) -> SmsResult:
        if not isinstance(to, str) or not E164.fullmatch(to):
            raise SmsError("invalid_number", permanent=True)
        text = unicodedata.normalize("NFC", text)
        if not text.strip():
            raise ValueError("An SMS needs a text.")
        return self.deliver(to, text)

    def deliver(self, to: str, text: str) -> SmsResult:
        raise NotImplementedError("An SMS backend implements deliver(to, text).")

    def message(self, to: str, text: str) -> SmsMessage:
        """The message with a fresh id, for backends that keep it instead of sending it."""
        return SmsMessage(
            to=to,
            text=text,
            sender=self.sender,
            message_id=uuid.uuid4().hex,
            segments=segments(text),
            encoding=encoding(text),
        )
