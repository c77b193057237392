"""EMAIL_BACKEND=file: each e-mail is written to a file in EMAIL_FILE_PATH (data/mail/ by default) and
named in one log line, "mail to ada@example.org: Your ask was accepted (data/mail/….log)", instead of
printed whole."""

from __future__ import annotations

import logging
from pathlib import Path

from django.core.mail import EmailMessage
from django.core.mail.backends.filebased import EmailBackend as FileBasedBackend

logger = logging.getLogger(__name__)


class EmailBackend(FileBasedBackend):
    def write_message(self, message: EmailMessage) -> None:
        super().write_message(message)
        path = Path(getattr(self, "_fname", ""))
        shown = path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path
        logger.info("mail to %s: %s (%s)", ", ".join(message.recipients()), message.subject, shown)
