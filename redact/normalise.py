"""Text normalisation shared by detection, apply and verification.

Verification must find a removed string however the output spells it:
different case, compatibility characters (ligatures, full-width digits),
runs of whitespace, or a word hyphenated across a line break.
"""

from __future__ import annotations

import functools
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


def line_bounds(text: str, start: int, end: int, before: int = 0, after: int = 0) -> tuple[int, int]:
    """Start and end of the line(s) holding text[start:end], with ``before``
    lines above and ``after`` lines below."""
    line_start = text.rfind("\n", 0, start) + 1
    for _ in range(before):
        if line_start == 0:
            break
        line_start = text.rfind("\n", 0, line_start - 1) + 1
    line_end = text.find("\n", end)
    for _ in range(after):
        if line_end < 0:
            break
        line_end = text.find("\n", line_end + 1)
    return line_start, len(text) if line_end < 0 else line_end


@functools.lru_cache(maxsize=4096)
def needle_pattern(target: str) -> re.Pattern[str]:
    """A regex finding ``target`` in normalised text, whitespace-flexible and
    bounded so that a short name is not found inside a longer word. A string
    whose first word has four letters or more is found even glued to the word
    before ('reportjane holloway'); one that starts with an initial is not
    ('c pratt' must not match inside 'acc pratt')."""
    norm = normalise(target)
    parts = [re.escape(p) for p in norm.split(" ") if p]
    body = r"\s*".join(parts)
    first = norm.split(" ")[0] if norm else ""
    start = "" if len(first) >= 4 and len(norm.replace(" ", "")) >= 6 else r"(?<!\w)"
    return re.compile(rf"{start}{body}(?!\w)")


def contains(haystack_normalised: str, target: str) -> bool:
    """True when ``target`` occurs in already-normalised text."""
    if not normalise(target):
        return False
    return needle_pattern(target).search(haystack_normalised) is not None


@functools.lru_cache(maxsize=4096)
def line_pattern(target: str, hyphen_breaks: bool = True) -> re.Pattern[str]:
    """A case-insensitive regex for ``target`` in raw page text: any run of
    whitespace between words, and an optional hyphenated line break inside a
    word, so a name broken across two lines is still found. Text glued to
    the word before ("number0161 ...", "ReportJane Holloway") still matches
    where a digit follows a letter or a capital follows a lower-case letter.
    ``hyphen_breaks=False`` leaves out the hyphenated line break between
    characters: for text that has none, the same matches from a pattern that
    compiles several times faster."""
    text = " ".join(target.split())
    if not text:
        return re.compile(r"(?!x)x")
    first, rest = text[0], text[1:]
    joint = r"(?:-?\n)?" if hyphen_breaks else ""
    parts = []
    for c in rest:
        parts.append(r"\s+" if c == " " else joint + re.escape(c))
    body = "(?i:" + "".join(parts) + ")"
    f = re.escape(first)
    if first.isdigit():
        start = rf"(?<!\d){f}"
    elif first.isupper():
        start = rf"(?:(?<!\w)(?i:{f})|(?<=[a-z0-9]){f})"
    elif first.isalpha():
        start = rf"(?<!\w)(?i:{f})"
    else:
        start = f
    last = text[-1]
    end = r"(?!\d)" if last.isdigit() else (r"(?![a-z])" if last.isalpha() else "")
    return re.compile(start + body + end)


def identity(text: str, etype: str) -> str:
    """What makes two findings the same item: a phone number's national
    digits, an e-mail or name's normalised text."""
    if etype == "PHONE":
        digits = re.sub(r"\D", "", text)
        if digits.startswith("44") and len(digits) > 10:
            digits = "0" + digits[2:].removeprefix("0")
        return digits
    return normalise(text)
