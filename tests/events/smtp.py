"""A real SMTP server on 127.0.0.1 for the notice tests: accepting, refusing, or down.

`LocalSMTP.mode` switches what the server does with the next message:

- "accept": every recipient and message is taken (and kept in `messages`);
- "refuse": every recipient is answered 550, naming the address as real servers do;
- "down": the server is stopped and its port closed (connection refused); "accept" or
  "refuse" starts it again on the same port.
"""

import socket
from dataclasses import dataclass

from aiosmtpd.controller import Controller

HOST = "127.0.0.1"


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes


class Handler:
    def __init__(self, server: "LocalSMTP"):
        self.server = server

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.server.mode == "refuse":
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.server.messages.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content)
        )
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class LocalSMTP:
    def __init__(self):
        self.port = free_port()
        self.messages: list[Received] = []
        self._mode = "down"
        self._controller: Controller | None = None

    @property
    def mode(self) -> str:
        return self._mode

    @mode.setter
    def mode(self, mode: str) -> None:
        assert mode in {"accept", "refuse", "down"}, mode
        self._mode = mode
        if mode == "down":
            self.stop()
        elif self._controller is None:
            self._controller = Controller(Handler(self), hostname=HOST, port=self.port)
            self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def is_listening(self) -> bool:
        try:
            socket.create_connection((HOST, self.port), timeout=1).close()
        except OSError:
            return False
        return True

    def use_with(self, settings) -> None:
        """Point Django's SMTP backend at this server (the pytest-django `settings` fixture)."""
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = HOST
        settings.EMAIL_PORT = self.port
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 2
