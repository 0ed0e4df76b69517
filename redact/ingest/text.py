"""Plain-text and e-mail (.eml) inputs: one text with no page or boxes."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage, MIMEPart
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
    lines = [f"{h}: {_header(msg, h)}" for h in EMAIL_HEADERS if _header(msg, h)]
    body = msg.get_body(preferencelist=("plain",))
    if body is not None:
        lines += ["", _body_text(body)]
    return "\n".join(lines) + "\n"


def _header(msg: EmailMessage, name: str) -> str:
    """A header as text; a malformed one as its raw characters (never dropped)."""
    try:
        return str(msg[name] or "")
    except (ValueError, LookupError, IndexError, AttributeError):
        return " ".join(str(v) for k, v in msg.raw_items() if k.lower() == name.lower())


def _body_text(part: MIMEPart) -> str:
    """The body as text; with an unknown or wrong charset, its bytes read as
    UTF-8, else Windows-1252 (a name in it is still found, not skipped)."""
    try:
        return str(part.get_content())
    except (LookupError, UnicodeError, ValueError, AssertionError):
        raw = part.get_payload(decode=True)
        data = raw if isinstance(raw, bytes) else str(part.get_payload()).encode("utf-8", "replace")
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return data.decode("cp1252", "replace")
