"""A local HTTP server that answers as Brevo's transactional SMS API does, for the backend tests.

It checks what Brevo checks (the api-key header, a JSON body with sender, recipient and
content, a recipient of 6 to 15 digits, an 11-letter sender, the account's credit) and answers
with Brevo's documented status codes and {"code", "message"} error bodies
(https://developers.brevo.com/docs/transactional-sms-endpoints,
https://developers.brevo.com/docs/how-it-works). It records every request it received, so that
tests assert what went over the wire. Knobs: `refused` (numbers Brevo says are invalid),
`credits`, `fail_with` (a status to answer, as 500 or 429), `delay` (seconds before answering).

    with BrevoServer() as server:
        ... server.url, server.api_key, server.requests
"""

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SEND = "/v3/transactionalSMS/send"
LEGACY = "/v3/transactionalSMS/sms"  # deprecated, answered with its richer payload
RECIPIENT = re.compile(r"\+?[0-9]{6,15}")
SENDER = re.compile(r"[A-Za-z0-9 ]{3,11}|[0-9]{3,15}")


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    json: object = None


@dataclass
class BrevoServer:
    api_key: str = "xkeysib-0123456789abcdef-test"
    credits: float = 100.0
    refused: set[str] = field(default_factory=set)
    fail_with: int | None = None
    delay: float = 0.0
    requests: list[Received] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._release = threading.Event()
        self._next_id = 1511882900176220
        self._lock = threading.Lock()

    def __enter__(self) -> "BrevoServer":
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        self._httpd.brevo = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._release.set()  # a delayed answer stops waiting
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    @property
    def url(self) -> str:
        port = self._httpd.server_address[1]
        return f"http://127.0.0.1:{port}"

    def wait(self) -> None:
        if self.delay:
            self._release.wait(self.delay)

    def answer(self, received: Received) -> tuple[int, dict]:
        """Brevo's status and JSON body for a request, in the order Brevo checks."""
        if received.path not in (SEND, LEGACY):
            return 404, {"code": "document_not_found", "message": "Path not found"}
        if received.method != "POST":
            return 405, {
                "code": "method_not_allowed",
                "message": f"{received.method} Method is not allowed on this path",
            }
        if received.headers.get("api-key") != self.api_key:
            return 401, {"code": "unauthorized", "message": "Key not found"}
        if self.fail_with == 429:
            return 429, {"code": "too_many_requests", "message": "Too many requests"}
        if self.fail_with:
            return self.fail_with, {"message": "Internal Server Error"}
        data = received.json
        if not received.headers.get("content-type", "").startswith("application/json"):
            return 415, {"code": "not_acceptable", "message": "Content-Type must be JSON"}
        if not isinstance(data, dict):
            return 400, {"code": "bad_request", "message": "Input must be a valid JSON object"}
        for name in ("sender", "recipient", "content"):
            if not isinstance(data.get(name), str) or not data[name]:
                return 400, {"code": "missing_parameter", "message": f"{name} is missing"}
        if not SENDER.fullmatch(data["sender"]):
            return 400, {"code": "invalid_parameter", "message": "sender is not valid"}
        recipient = data["recipient"]
        if not RECIPIENT.fullmatch(recipient) or recipient.lstrip("+") in self.refused:
            # Brevo's message quotes the number: the backend must not log it.
            return 400, {"code": "invalid_parameter", "message": f"Invalid phone {recipient}"}
        if data.get("type", "transactional") not in ("transactional", "marketing"):
            return 400, {"code": "invalid_parameter", "message": "type is not valid"}
        if not isinstance(data.get("unicodeEnabled", False), bool):
            return 400, {"code": "invalid_parameter", "message": "unicodeEnabled is not valid"}
        sms_count = 1 if len(data["content"]) <= 160 else -(-len(data["content"]) // 153)
        with self._lock:
            if self.credits < sms_count:
                return 402, {"code": "not_enough_credits", "message": "Not enough credits"}
            self.credits -= sms_count
            self._next_id += 1
            message_id = self._next_id
        if received.path == LEGACY:
            return 201, {
                "reference": "ab1cde2fgh3i4jklmno",
                "messageId": message_id,
                "smsCount": sms_count,
                "usedCredits": float(sms_count),
                "remainingCredits": self.credits,
            }
        return 201, {"messageId": message_id}


class _Handler(BaseHTTPRequestHandler):
    server_version = "brevo-test"

    def _handle(self) -> None:
        brevo: BrevoServer = self.server.brevo  # type: ignore[attr-defined]
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        try:
            parsed = json.loads(body) if body else None
        except ValueError:
            parsed = None
        received = Received(
            method=self.command,
            path=self.path,
            headers={name.lower(): value for name, value in self.headers.items()},
            body=body,
            json=parsed,
        )
        brevo.requests.append(received)
        brevo.wait()
        status, answer = brevo.answer(received)
        payload = json.dumps(answer).encode()
        try:
            self.send_response(status)
            self.send_header("content-type", "application/json; charset=utf-8")
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the timeout test)

    do_POST = do_GET = do_PUT = _handle

    def log_message(self, format: str, *args: object) -> None:
        pass
