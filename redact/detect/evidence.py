"""Evidence from the whole document: how else does it use a word?

A capitalised word can be a surname, a place or part of an organisation's
name, and the document usually says which. It calls a person 'Mrs Jane
Ripley' or 'J Ripley' (a title, an initial or a common first name before the
word: a *person word*), or it writes 'Ripley Parish Council' and 'in Ripley'
(a word before a place or body head: an *organisation word*). Places come
from maintained data too (``redact/data/uk_places.txt``: GeoNames towns of
1,000 people or more and the ISO 3166-2 subdivisions of GB).

Each check here is named; a finding that a check drops is recorded as a
``Veto`` with the check and the reason, so a reviewer or ``make eval`` can
see why a span was not proposed. Findings with a title, rank or initials are
never vetoed: that is the strongest evidence of a person there is.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

import regex

from redact.detect.names import WORD
from redact.models import Finding, Veto

# Recognisers whose findings rest on the form of a name (a title, a rank,
# initials, a label or a sign-off), not on the model's reading.
STRONG = {"titled_name", "initial_surname", "initials_list", "labelled_name", "signature_block", "deny_list"}
# Words before a place: 'in Ripley', 'at Kingsmere', 'near Westshire'.
LOCATIVE = regex.compile(r"(?:^|[\s(])(?:in|at|near|around|across|within|throughout|outside|from)[ \t]+\Z", regex.I)
TITLE_OR_INITIAL = regex.compile(r"\A(?:[A-Z]\.?[ \t]+|[A-Z]\.)")
# 'the' before a single capitalised English word: 'the Queen', 'the Grace of God'.
DETERMINER = regex.compile(r"(?:^|[\s(])the[ \t]+\Z", regex.I)
# A part of an address line: between commas, dashes or line ends.
PART_END = regex.compile(r"[ \t]*(?:,|$|\n|[ \t][-–—][ \t])")
PART_START = regex.compile(r"(?:^|\n|[,:;]|[ \t][-–—])[ \t]*\Z")


@lru_cache(maxsize=1)
def uk_places() -> frozenset[str]:
    """Case-folded UK place names shipped with the package."""
    data = resources.files("redact").joinpath("data/uk_places.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().casefold() for line in data.splitlines()
                     if line.strip() and not line.startswith("#"))


class EvidenceRules:
    """The word lists and patterns the checks use, built once per process
    from the rules' vocabularies (``role_words``, ``place_heads``,
    ``street_words``, titles and ranks, ``not_name_words``)."""

    def __init__(self, *, titles: Iterable[str], role_words: Iterable[str], place_heads: Iterable[str],
                 common_names: frozenset[str], street_words: Iterable[str] = (),
                 not_name_words: Iterable[str] = (), english: frozenset[str] = frozenset(),
                 places: frozenset[str] | None = None) -> None:
        self.english = english
        self.places = uk_places() if places is None else places
        self.roles = frozenset(w.casefold() for w in role_words)
        self.titles = frozenset(w.casefold() for phrase in titles for w in phrase.split())
        self.common_names = common_names
        # words that lead a name as strong evidence, and words that are never a surname
        self.name_leads = common_names | self.titles
        self.not_surname = self.titles | self.roles | frozenset(w.casefold() for w in not_name_words)
        streets = "|".join(regex.escape(w) for w in sorted(street_words, key=len, reverse=True))
        # a street part of an address: '14 Sackmore Lane', 'Philips Hill'
        self.street_part = regex.compile(
            rf"[ \t]*(?:\d+[A-Za-z]?,?[ \t]+)?(?:\p{{Lu}}[\w'’-]*[ \t]+){{1,3}}(?:{streets})[ \t]*\Z"
        ) if streets else None
        heads = "|".join(regex.escape(h) for h in sorted(place_heads, key=len, reverse=True))
        # one to three capitalised words before a head: 'Kingsmere Parish', 'Avon and Somerset Police'
        self.before_head = regex.compile(
            rf"((?:\p{{Lu}}[\w'’-]*[ \t]+(?:(?:and|&)[ \t]+)?){{1,3}})(?:{heads})\b") if heads else None


class DocumentEvidence:
    """What one document says about its capitalised words."""

    def __init__(self, rules: EvidenceRules, texts: Iterable[str], findings: Iterable[Finding]) -> None:
        self.rules = rules
        self.person_words = self._person_words(findings)
        self.organisation_words = self._organisation_words(texts)

    def _person_words(self, findings: Iterable[Finding]) -> frozenset[str]:
        """Words the document uses in a person's name with a title, an
        initial or a common first name before them."""
        words: set[str] = set()
        for f in findings:
            if f.type != "PERSON":
                continue
            parts = WORD.findall(f.text)
            if len(parts) < 2:
                continue
            if f.recogniser in STRONG or TITLE_OR_INITIAL.match(f.text) or parts[0].casefold() in self.rules.name_leads:
                words.update(p.casefold() for p in parts[1:] if p.casefold() not in self.rules.not_surname)
        return frozenset(words)

    def _organisation_words(self, texts: Iterable[str]) -> frozenset[str]:
        """Words the document writes before a place or body head word."""
        if self.rules.before_head is None:
            return frozenset()
        words: set[str] = set()
        for text in texts:
            for m in self.rules.before_head.finditer(text):
                words.update(w.casefold() for w in WORD.findall(m.group(1)))
        return frozenset(words - {"and"} - self.rules.common_names)

    def vetoes(self, found: list[Finding], text: str) -> tuple[list[Finding], list[Veto]]:
        """The findings of one page that no check drops, and the vetoes of the others."""
        # names that are not themselves place-like: a word listed beside one is read as a surname
        people = [o for o in found if o.type == "PERSON" and not self._place_like(o)]
        kept, dropped = [], []
        for f in found:
            veto = self.veto(f, text, people)
            if veto is None:
                kept.append(f)
            else:
                dropped.append(veto)
        return kept, dropped

    def veto(self, f: Finding, text: str, people: Iterable[Finding] = ()) -> Veto | None:
        """The check that drops ``f`` (a PERSON finding on ``text``), if any;
        ``people`` are the other names of its page that are not place-like."""
        rules = self.rules
        if f.type != "PERSON" or f.recogniser in STRONG or TITLE_OR_INITIAL.match(f.text):
            return None
        words = [w.casefold() for w in WORD.findall(f.text)]
        if not words or any(w in self.person_words for w in words):
            return None
        if all(w in rules.roles or w in rules.titles for w in words):
            return Veto(f.text, f.page, "role_alone", "a role or title, not a name")
        before = text[max(0, f.start - 12):f.start]
        if len(words) == 1 and words[0] in rules.english and DETERMINER.search(before):
            return Veto(f.text, f.page, "determiner", "an English word after 'the': a thing or an office, "
                                                      "not a person's name")
        if self._address_part(f, text):
            return Veto(f.text, f.page, "address_part", "a part of an address, beside a street")
        led_by_name = words[0] in rules.common_names
        if led_by_name and len(words) >= 2:
            return None  # 'Stanley Preston': a common first name and a surname that is also a town
        locative = LOCATIVE.search(before) is not None
        is_place = " ".join(words) in rules.places or all(w in rules.places for w in words)
        if is_place and (not led_by_name or locative) and not _listed_with_person(f, people, text):
            return Veto(f.text, f.page, "place", "a UK place name (GeoNames, ISO 3166-2), not used as a name "
                                                 "in this document")
        of_body = all(w in self.organisation_words or w in rules.places or w in rules.roles for w in words)
        if of_body and (not led_by_name or locative) and not _listed_with_person(f, people, text):
            return Veto(f.text, f.page, "organisation_word", "the document uses it in the name of a place or "
                                                             "a body, never as a person's name")
        return None

    def _place_like(self, f: Finding) -> bool:
        """Every word a place, or a word of a place or body in this document."""
        words = [w.casefold() for w in WORD.findall(f.text)]
        return bool(words) and all(w in self.rules.places or w in self.organisation_words for w in words)

    def _address_part(self, f: Finding, text: str) -> bool:
        """The span is a whole part of an address line (between commas,
        dashes or line ends) and the part before or after it is a street:
        'Little Stakes, Ham Lane, Kingsmere – erect a dwelling'."""
        street_part = self.rules.street_part
        if street_part is None:
            return False
        start, end = f.start, f.end
        if not PART_START.search(text[max(0, start - 3):start]) or not PART_END.match(text, end):
            return False
        if street_part.fullmatch(text[start:end]) and regex.match(r"[ \t]*,", text[end:end + 3]):
            return True  # the span is itself a street, followed by the rest of the address
        line_start = max(text.rfind("\n", 0, start), 0)
        previous = text[line_start:start].rstrip(" \t,–—-").rsplit(",", 1)[-1]
        following = regex.match(r"[ \t]*,([^,\n]*)", text[end:])
        parts = [previous] + ([following.group(1)] if following else [])
        return any(street_part.fullmatch(p.rstrip(" \t–—-")) for p in parts if p.strip())


LIST_JOIN = regex.compile(r"[ \t]*(?:,|and|&|,[ \t]*and)[ \t]*\Z")


def _listed_with_person(f: Finding, others: Iterable[Finding], text: str) -> bool:
    """Another name is listed right beside it ('Marshall, Hernandez and
    Simpson'): a word in a list of people is read as a surname."""
    for o in others:
        if o is f:
            continue
        if 0 <= f.start - o.end <= 8 and LIST_JOIN.match(text[o.end:f.start]):
            return True
        if 0 <= o.start - f.end <= 8 and LIST_JOIN.match(text[f.end:o.start]):
            return True
    return False
