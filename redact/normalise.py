"""Text normalisation shared by detection, apply and verification.

Verification must find a removed string however the output spells it:
different case, compatibility characters (ligatures, full-width digits),
runs of whitespace, or a word hyphenated across a line break.
"""

from __future__ import annotations

import re
import unicodedata

_HYPHEN_BREAK = re.compile(r"[-\u00ad\u2010\u2011]\s*\n\s*")
_SPACE = re.compile(r"\s+")
_SOFT = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


def normalise(text: str) -> str:
    """NFKC, drop soft hyphens and zero-width characters, rejoin hyphenated
    line breaks, fold case and collapse whitespace."""
    text = unicodedata.normalize("NFKC", text)
    text = _HYPHEN_BREAK.sub("", text)
    text = _SOFT.sub("", text)
    return _SPACE.sub(" ", text.casefold()).strip()


def needle_pattern(target: str) -> re.Pattern[str]:
    """A regex finding ``target`` in normalised text, whitespace-flexible and
    bounded so that a short name is not found inside a longer word."""
    norm = normalise(target)
    parts = [re.escape(p) for p in norm.split(" ") if p]
    body = r"\s*".join(parts)
    return re.compile(rf"(?<!\w){body}(?!\w)")


def contains(haystack_normalised: str, target: str) -> bool:
    """True when ``target`` occurs in already-normalised text."""
    if not normalise(target):
        return False
    return needle_pattern(target).search(haystack_normalised) is not None


def line_pattern(target: str) -> re.Pattern[str]:
    """A case-insensitive regex for ``target`` in raw page text: any run of
    whitespace between words, and an optional hyphenated line break inside a
    word, so a name broken across two lines is still found."""
    words = [w for w in target.split() if w]
    word_parts = []
    for word in words:
        chars = [re.escape(c) for c in word]
        word_parts.append(r"(?:-?\n)?".join(chars))
    body = r"\s+".join(word_parts)
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


def identity(text: str, etype: str) -> str:
    """What makes two findings the same item: a phone number's national
    digits, an e-mail or name's normalised text."""
    if etype == "PHONE":
        digits = re.sub(r"\D", "", text)
        if digits.startswith("44") and len(digits) > 10:
            digits = "0" + digits[2:].removeprefix("0")
        return digits
    return normalise(text)
