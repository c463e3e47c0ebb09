"""SMS settings (portal/sms/): the backend, the sender, and each backend's own settings.

Imported by base.py with `from .sms import *`: only the names in __all__ are exported.

SMS_BACKEND, dotted path of the class that sends:
- "portal.sms.backends.console.SmsBackend" (default): printed on standard output, nothing sent;
- "portal.sms.backends.file.SmsBackend": appended to files in SMS_FILE_PATH;
- "portal.sms.backends.locmem.SmsBackend": kept in portal.sms.outbox, for tests;
- "portal.sms.backends.brevo.SmsBackend": sent through Brevo (SMS_BREVO_API_KEY).
"""

import os
from pathlib import Path

__all__ = [
    "SMS_BACKEND",
    "SMS_BREVO_API_KEY",
    "SMS_BREVO_URL",
    "SMS_FILE_PATH",
    "SMS_SENDER",
    "SMS_TIMEOUT",
]

_BASE_DIR = Path(__file__).resolve().parent.parent.parent

SMS_BACKEND = os.environ.get("SMS_BACKEND", "portal.sms.backends.console.SmsBackend")
# The name shown as the sender on the phone: 3 to 11 ASCII letters or digits (at least one
# letter), no accents. French operators require it to identify the landlord or the service.
SMS_SENDER = os.environ.get("SMS_SENDER", "TraitUnion")
# Seconds to wait for the provider before giving up (the message can be sent again later).
SMS_TIMEOUT = float(os.environ.get("SMS_TIMEOUT", "10"))

# Brevo: the API key (Brevo account, « SMTP & API » > « Clés API »), and the base URL, which
# only tests change (to a local server).
SMS_BREVO_API_KEY = os.environ.get("SMS_BREVO_API_KEY", "")
SMS_BREVO_URL = os.environ.get("SMS_BREVO_URL", "https://api.brevo.com")

# File backend: one file per sending connection in this directory.
SMS_FILE_PATH = Path(os.environ.get("SMS_FILE_PATH", "") or _BASE_DIR / "var" / "sms")
