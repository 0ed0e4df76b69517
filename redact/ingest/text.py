"""Plain-text and e-mail (.eml) inputs: one text with no page or boxes."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage
from pathlib import Path

from redact.exceptions import BadInputError
from redact.ingest import check_size
from redact.models import PageText

EMAIL_HEADERS = ("From", "To", "Cc", "Reply-To", "Subject", "Date")


def read_text_file(path: Path, max_file_mb: float = 2048) -> PageText:
    """Read a ``.txt`` (UTF-8, else Windows-1252) or the text of an ``.eml``."""
    check_size(path, max_file_mb)
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise BadInputError(f"{path.name}: binary data, not a text file")
    if path.suffix.lower() == ".eml":
        return PageText(page=None, text=_email_text(data, path))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return PageText(page=None, text=text)


def _email_text(data: bytes, path: Path) -> str:
    msg = email.message_from_bytes(data, policy=email.policy.default)
    if not isinstance(msg, EmailMessage) or not msg.keys():
        raise BadInputError(f"{path.name}: not an e-mail message (no headers)")
    lines = [f"{h}: {msg[h]}" for h in EMAIL_HEADERS if msg[h]]
    body = msg.get_body(preferencelist=("plain",))
    if body is not None:
        lines += ["", body.get_content()]
    return "\n".join(lines) + "\n"
