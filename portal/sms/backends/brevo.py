"""Brevo (formerly Sendinblue) transactional SMS, over its HTTP API v3.

Documentation: https://developers.brevo.com/docs/transactional-sms-endpoints (the endpoint);
https://developers.brevo.com/docs/how-it-works (the api-key header, the error answers);
https://developers.brevo.com/changelog/deprecated-endpoint-post-v3transactionalsmssms (why
/v3/transactionalSMS/send and not /v3/transactionalSMS/sms, deprecated since May 2025).

    POST {SMS_BREVO_URL}/v3/transactionalSMS/send
    api-key: {SMS_BREVO_API_KEY}
    content-type: application/json
    accept: application/json

    {"sender": "TraitUnion", "recipient": "33612345678", "content": "…",
     "type": "transactional", "unicodeEnabled": false}

`sender` is at most 11 letters or 15 digits, `recipient` the number with its country code
(sent here as digits only), `unicodeEnabled` true only for a UCS-2 text. The answer is
201 {"messageId": 1511882900176220}. The deprecated endpoint also answered "smsCount": it is
used when present, else the segments are counted here (portal.sms.segments), by the same rule.
Errors answer {"code": "invalid_parameter", "message": "…"}: 400 for a request Brevo refuses
(an invalid recipient), 401 for a refused key, 402 "not_enough_credits", 403 for a denied
permission, 429 when rate-limited, 5xx when Brevo fails.

Only the stdlib (urllib): `requests` is a development dependency of the project, not a runtime
one. Logs carry Brevo's message id and error code, never the number, the text or Brevo's
error message (which can quote the number).
"""

import http.client
import json
import logging
import re
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from portal.sms.results import SmsError, SmsResult
from portal.sms.segments import UCS2, encoding, segments

from .base import BaseSmsBackend

logger = logging.getLogger(__name__)

DEFAULT_URL = "https://api.brevo.com"
DEFAULT_TIMEOUT = 10.0
# Brevo's error codes that are about the account, not the message: a 400 carrying one of them
# is not the number's fault, and trying again once the account is fixed can work.
ACCOUNT_CODES = frozenset(
    {"account_under_validation", "not_enough_credits", "permission_denied", "unauthorized"}
)
# A provider code is kept only if it looks like one (never a free text that could quote data).
CODE = re.compile(r"[a-z][a-z0-9_]{0,39}")


def provider_code(payload: bytes) -> str:
    """Brevo's `code` from an error answer, or "" if there is none that looks like a code."""
    try:
        data = json.loads(payload)
    except ValueError:
        return ""
    code = data.get("code") if isinstance(data, dict) else None
    return code if isinstance(code, str) and CODE.fullmatch(code) else ""


def failure(status: int, payload: bytes) -> SmsError:
    """The SmsError for an HTTP error answer: permanent for a refused request (400) only."""
    code = provider_code(payload)
    label = f"{status} {code}" if code else str(status)
    permanent = status == 400 and code not in ACCOUNT_CODES
    logger.warning("SMS refused by Brevo: %s.", label)
    return SmsError(label, permanent=permanent)


class SmsBackend(BaseSmsBackend):
    path = "/v3/transactionalSMS/send"

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: float | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.api_key = str(api_key or getattr(settings, "SMS_BREVO_API_KEY", ""))
        if not self.api_key:
            raise ImproperlyConfigured("SMS_BREVO_API_KEY must be set for the Brevo SMS backend.")
        url = base_url or getattr(settings, "SMS_BREVO_URL", "") or DEFAULT_URL
        self.url = url.rstrip("/") + self.path
        if timeout is None:
            timeout = getattr(settings, "SMS_TIMEOUT", DEFAULT_TIMEOUT)
        self.timeout = float(timeout)

    def request(self, to: str, text: str) -> urllib.request.Request:
        body = {
            "sender": self.sender,
            "recipient": to.removeprefix("+"),
            "content": text,
            "type": "transactional",
            "unicodeEnabled": encoding(text) == UCS2,
        }
        return urllib.request.Request(
            self.url,
            data=json.dumps(body, ensure_ascii=False).encode(),
            method="POST",
            headers={
                "api-key": self.api_key,
                "content-type": "application/json",
                "accept": "application/json",
            },
        )

    def post(self, request: urllib.request.Request) -> tuple[int, bytes]:
        """Brevo's status and body; SmsError for an error answer or no answer."""
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            with error:
                raise failure(error.code, error.read()) from None
        except TimeoutError:
            code = "timeout"
        except urllib.error.URLError as error:
            timed_out = isinstance(error.reason, TimeoutError)
            code = "timeout" if timed_out else "connection"
        except (http.client.HTTPException, OSError):
            code = "connection"
        logger.warning("SMS not sent, Brevo not reached: %s.", code)
        raise SmsError(code, permanent=False)

    def deliver(self, to: str, text: str) -> SmsResult:
        status, payload = self.post(self.request(to, text))
        try:
            data = json.loads(payload or b"{}")
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        message_id = data.get("messageId")
        count = data.get("smsCount")
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            count = segments(text)
        if message_id is None:
            # Accepted all the same (2xx): raising would make the caller send it twice.
            logger.warning("SMS accepted by Brevo without a message id (HTTP %s).", status)
            message_id = ""
        logger.info("SMS sent through Brevo: message %s, %s segment(s).", message_id, count)
        return SmsResult(message_id=str(message_id), segments=count)
