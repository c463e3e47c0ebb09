"""Log records without personal data: private tokens and query strings masked, JSON lines.

Manage links carry a secret in their path (/inscription/gerer/<token>/), and query strings carry
what people typed (searches). Whoever reads the logs must not be able to use or read them, so
every place that writes a request line masks both: Django's own loggers (through the filter),
gunicorn's access log (through the logger class), tracebacks.
"""

import json
import logging
import re
from datetime import UTC, datetime

TOKEN_IN_PATH = re.compile(r"(/inscription/gerer/)[^/\s?#\"']+")
MASK = r"\1[token]"
# Query strings carry what people typed (a search for a neighbour's name, a first name).
QUERY_IN_PATH = re.compile(r"(/[^\s?\"']*)\?[^\s\"']*")
QUERY_MASK = r"\1?[…]"


def redact(text: str) -> str:
    return QUERY_IN_PATH.sub(QUERY_MASK, TOKEN_IN_PATH.sub(MASK, text))


class RedactTokens(logging.Filter):
    """Mask tokens in the message and its arguments before any handler formats them."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {
                k: redact(v) if isinstance(v, str) else v for k, v in record.args.items()
            }
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and the status when known."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def gunicorn_logger_class():
    """gunicorn's logger with the request line masked (imported by portal/gunicorn.py only)."""
    from gunicorn.glogging import Logger

    class RedactingLogger(Logger):
        def atoms(self, resp, req, environ, request_time):
            atoms = super().atoms(resp, req, environ, request_time)
            for name in ("r", "U", "q", "f"):
                if isinstance(atoms.get(name), str):
                    atoms[name] = redact(atoms[name])
            return atoms

    return RedactingLogger
