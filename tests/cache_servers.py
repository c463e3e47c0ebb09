"""Local TCP servers standing in for Redis in trouble: one that accepts and never answers, and
a proxy to the real Redis that can be switched to that silence and back."""

from __future__ import annotations

import contextlib
import selectors
import socket
import threading


class SilentOrForwarding:
    """Listens on 127.0.0.1; relays to `upstream` while `forwarding`, else swallows what it gets.

    `received` counts the bytes that reached it, so a test can tell whether a client called.
    """

    def __init__(self, upstream: tuple[str, int] | None = None):
        self.upstream = upstream
        self.forwarding = upstream is not None
        self.received = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._listener, selectors.EVENT_READ)
        self._pairs: dict[socket.socket, socket.socket | None] = {}
        self._clients: set[socket.socket] = set()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/10"

    def _run(self) -> None:
        while not self._stopped.is_set():
            for key, _ in self._selector.select(timeout=0.05):
                sock = key.fileobj
                if sock is self._listener:
                    self._accept()
                else:
                    self._relay(sock)  # type: ignore[arg-type]

    def _accept(self) -> None:
        client, _ = self._listener.accept()
        other = None
        if self.forwarding and self.upstream:
            other = socket.create_connection(self.upstream)
            self._pairs[other] = client
            self._selector.register(other, selectors.EVENT_READ)
        self._pairs[client] = other
        self._clients.add(client)
        self._selector.register(client, selectors.EVENT_READ)

    def _relay(self, sock: socket.socket) -> None:
        try:
            data = sock.recv(65536)
        except OSError:
            data = b""
        if not data:
            self._close(sock)
            return
        peer = self._pairs.get(sock)
        if sock in self._clients:
            self.received += len(data)
        if self.forwarding and peer is not None:
            peer.sendall(data)  # else swallowed: never answered

    def _close(self, sock: socket.socket) -> None:
        peer = self._pairs.pop(sock, None)
        for each in (sock, peer):
            if each is None:
                continue
            with contextlib.suppress(KeyError, ValueError):
                self._selector.unregister(each)
            each.close()
            self._pairs.pop(each, None)
            self._clients.discard(each)

    def silence(self) -> None:
        """From now on, and on open connections too, nothing is answered."""
        self.forwarding = False

    def resume(self) -> None:
        self.forwarding = self.upstream is not None

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=2)
        for sock in list(self._pairs):
            sock.close()
        self._listener.close()


def closed_port() -> int:
    """A port nothing listens on (bound, then closed): connections are refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
