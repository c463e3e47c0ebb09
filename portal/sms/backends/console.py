"""Development backend: each message is written to standard output, nothing is sent."""

import sys
import threading
from typing import Any, TextIO

from portal.sms.results import SmsResult

from .base import BaseSmsBackend, SmsMessage


def render(message: SmsMessage) -> str:
    """The message as a developer reads it (the labels in French, as the rest of the UI)."""
    return (
        f"Expéditeur : {message.sender}\n"
        f"Destinataire : {message.to}\n"
        f"Identifiant : {message.message_id}\n"
        f"Segments : {message.segments} ({message.encoding})\n"
        f"\n{message.text}\n"
        f"{'-' * 79}\n"
    )


class SmsBackend(BaseSmsBackend):
    def __init__(self, *, stream: TextIO | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.stream = stream
        self._lock = threading.RLock()

    def write(self, message: SmsMessage) -> None:
        # sys.stdout read at send time, so that pytest's capsys sees it.
        stream = self.stream or sys.stdout
        with self._lock:
            stream.write(render(message))
            stream.flush()

    def deliver(self, to: str, text: str) -> SmsResult:
        message = self.message(to, text)
        self.write(message)
        return SmsResult(message_id=message.message_id, segments=message.segments)
