"""A gunicorn for the bench: started with a bench environment, stopped by its own pid."""

import socket
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager

from bench.env import PYTHON, ROOT, VAR

WORKERS = 4


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(env: dict[str, str], name: str, workers: int = WORKERS):
    """Yield the base URL of a gunicorn serving portal.wsgi; stop it (only it) afterwards."""
    port = free_port()
    log = open(VAR / f"gunicorn-{name}.log", "w")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "portal.wsgi",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "-",
            "--error-logfile",
            "-",
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/", timeout=5)
                break
            except urllib.error.HTTPError:
                break  # it answers
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError(f"gunicorn stopped; see {log.name}") from None
                time.sleep(0.5)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
