"""Test backend: messages are appended to `portal.sms.outbox`, as django.core.mail.outbox."""

import portal.sms
from portal.sms.results import SmsResult

from .base import BaseSmsBackend


class SmsBackend(BaseSmsBackend):
    def deliver(self, to: str, text: str) -> SmsResult:
        message = self.message(to, text)
        portal.sms.outbox.append(message)
        return SmsResult(message_id=message.message_id, segments=message.segments)
