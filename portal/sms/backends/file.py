"""Development backend: messages appended to a file in settings.SMS_FILE_PATH.

As Django's file-based e-mail backend: one file per backend instance, named by date, time and a
random part; each message is appended in the console backend's format.
"""

import os
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .base import SmsMessage
from .console import SmsBackend as ConsoleBackend
from .console import render


class SmsBackend(ConsoleBackend):
    def __init__(self, *, file_path: str | os.PathLike[str] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        path = file_path or getattr(settings, "SMS_FILE_PATH", None)
        if not path:
            raise ImproperlyConfigured("SMS_FILE_PATH must name a directory for the file backend.")
        self.file_path = Path(path)
        if self.file_path.exists() and not self.file_path.is_dir():
            raise ImproperlyConfigured(f"SMS_FILE_PATH is not a directory: {self.file_path}")
        try:
            self.file_path.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ImproperlyConfigured(f"SMS_FILE_PATH cannot be created: {error}") from error
        if not os.access(self.file_path, os.W_OK):
            raise ImproperlyConfigured(f"SMS_FILE_PATH is not writable: {self.file_path}")
        self._file: Path | None = None

    @property
    def path(self) -> Path:
        """This instance's file, named on first use."""
        if self._file is None:
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            self._file = self.file_path / f"{stamp}-{abs(id(self))}.log"
        return self._file

    def write(self, message: SmsMessage) -> None:
        with self._lock, self.path.open("a", encoding="utf-8") as stream:
            stream.write(render(message))
