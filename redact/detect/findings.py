"""Turn raw recogniser results into clean findings.

Spans are trimmed, split at line breaks that end a name, filtered by the allow
list, overlaps merged, and the title or rank in front of a name left visible
(job titles are released; the policy has already read them).
"""

from __future__ import annotations

from collections.abc import Iterable

import regex
from presidio_analyzer import RecognizerResult
from spacy.lang.en.stop_words import STOP_WORDS

from redact.detect.engine import PRESIDIO_TYPES
from redact.detect.names import WORD, english_form, english_surnames
from redact.detect.rules import RuleSet, phrase_alternation
from redact.models import Finding, Veto
from redact.normalise import line_bounds

TRIM = " \t\n\r,;:()[]{}|•\"'“”‘’<>"
# e-mail and web addresses
ADDRESSES = regex.compile(r"(?<![\w.'’+-])[\w.'’+-]+@[\w.-]+|(?:https?://|www\.)\S+")
HOUSE_NUMBER = regex.compile(r"\d+[A-Za-z]?,?[ \t]+\Z")
MIXED_CASE_ACRONYM = regex.compile(r"\p{Ll}\p{Lu}\Z")
INITIAL = regex.compile(r"[A-Z]\.?[ \t]")
HOUSE_LINE = regex.compile(r"[ \t]*\d+[A-Za-z]?,?[ \t]+")
POSTCODE = regex.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?[ \t]*\d[A-Z]{2}\b")
# 'and' or '&', a capitalised word, then up to three more: '... and Cornwall Police'
COORDINATED = regex.compile(r"[ \t]*(?:and|&)[ \t]+([A-Z][\w'’-]*)((?:[ \t]+(?:(?:&|and)[ \t]+)?[A-Z][\w'’-]*){1,3})")


class FindingBuilder:
    """Post-processing that needs the rules and the document's own words."""

    def __init__(self, rules: RuleSet, default_exemption: str = "s40(2)",
                 english: frozenset[str] = frozenset(), first_names: frozenset[str] = frozenset()) -> None:
        self.rules = rules
        self.english = english
        self.first_names = first_names
        self.surnames = english_surnames()
        self.exemption = default_exemption
        self.allow = [(rules.compiled(f"allow {n}"), a.reason) for n, a in enumerate(rules.allow)]
        body = phrase_alternation(rules.vocabularies.get("titles", []) + rules.vocabularies.get("ranks", [])
                                  + rules.s40.elected_titles_plural)
        self.leading_title = regex.compile(rf"\A(?:(?:[AT]/)?(?:{body})\.?[ \t]+)+") if body else None
        self.not_name = {w.casefold() for w in rules.vocabularies.get("not_name_words", [])}
        self.labels = {w.casefold() for w in rules.vocabularies.get("contact_labels", [])}
        self.roles = {w.casefold() for w in rules.vocabularies.get("role_words", [])}
        self.place_bodies = {w.casefold() for w in rules.vocabularies.get("place_bodies", [])}
        self.section_words = {w.casefold() for w in rules.vocabularies.get("section_words", [])}
        self.label_words = {w.casefold() for key in ("name_labels", "contact_labels")
                            for phrase in rules.vocabularies.get(key, []) for w in phrase.split()}
        self.address_words = {w.casefold() for w in rules.vocabularies.get("address_words", [])}
        streets = phrase_alternation(rules.vocabularies.get("address_words", []))
        # a street opening a line or a part of one: 'Water Lane', '12 Quay Street'
        self.street_start = regex.compile(
            rf"[ \t]*(?:\d+[A-Za-z]?,?[ \t]+)?(?:[A-Z][\w'’-]*[ \t]+){{0,2}}(?i:{streets})\b") if streets else None
        self.deny = [(rules.compiled(f"deny {n}"), d) for n, d in enumerate(rules.deny)]

    def build(
        self, text: str, page: int | None, results: Iterable[RecognizerResult], common_words: set[str],
        dropped: list[Veto] | None = None,
    ) -> list[Finding]:
        """Findings for one page's results, cleaned and merged; the spans a
        check drops are appended to ``dropped`` with the check's name."""
        raw: list[Finding] = []
        for r in results:
            etype = PRESIDIO_TYPES.get(r.entity_type, r.entity_type)
            if etype not in ("PERSON", "EMAIL", "PHONE"):
                continue
            pieces = _split_lines(text, r.start, r.end, etype)
            for start, end in pieces:
                found = self._clean(text, page, etype, r, start, end, common_words, cut=len(pieces) > 1)
                if isinstance(found, Finding):
                    raw.append(found)
                elif found is not None and dropped is not None:
                    dropped.append(found)
        raw.extend(self._deny_hits(text, page))
        kept = []
        for f in raw:
            reason = self._allowed(f)
            if reason is None:
                kept.append(f)
            elif dropped is not None:
                dropped.append(Veto(f.text, page, "allow_list", f"on the allow list (rules/allow.yaml): {reason}"))
        return merge_overlaps(kept)

    def _clean(
        self, text: str, page: int | None, etype: str, r: RecognizerResult, start: int, end: int,
        common_words: set[str], cut: bool = False,
    ) -> Finding | Veto | None:
        """One piece of a result (``cut``: one of several) as a finding, or the
        named check that drops it (None for a piece too short to be anything)."""
        start, end = _trim(text, start, end, keep_brackets=etype == "PHONE")
        if end - start < 2:
            return None
        span = text[start:end]

        def veto(check: str, reason: str) -> Veto:
            return Veto(span, page, check, f"{reason} (found by {_recogniser(r)})")

        if cut and all(w.casefold() in STOP_WORDS or self._english(w) for w in WORD.findall(span)):
            return veto("list_remainder", "ordinary words cut off a name at a line break or a spaced dash")
        if etype != "PERSON":
            return self._finding(etype, span, page, start, end, r)
        if r.score < 0.85 or _model_only(r):
            start, end = self._trim_not_name(text, start, end)
            span = text[start:end]
            if not span:
                return veto("label_or_role", "only contact labels and role words")
            if any(w.casefold() in self.not_name for w in WORD.findall(span)):
                return veto("organisation_word", "holds a word of vocab.yaml: not_name_words (a body, a "
                                                 "document, a place or a building)")
            if any(c.isdigit() for c in span):
                return veto("digits", "holds a digit")
            if self._address(span, text, start):
                return veto("address", "a street or a building")
        if self._coordinated_organisation(span, text, end):
            return veto("coordinated_body", "opens a body named after two places ('Devon and Cornwall Police')")
        if self._section_letter(span, text, start):
            return veto("section_letter", "a letter after a section word ('Appendix B')")
        if not _plausible_name(span, text, end, common_words, lower_case_ok=_pattern_name(r) == "lower_case_name",
                               first_name=_recogniser(r) == "first_name" and span.casefold() not in self.label_words):
            return veto("implausible", "cannot be a name (no capital, a label before a colon, an acronym, or "
                                       "a word the document writes in lower case)")
        if _recogniser(r) in PHRASE_CHECKED and self._ordinary_phrase(span):
            return veto("ordinary_phrase", "every word ordinary English and the first no first name")
        if (_recogniser(r) == "first_name" and _pattern_name(r) != "lower_case_name"
                and WORD.findall(span)[0].casefold() in common_words):
            return veto("lower_case_in_document", "the document writes the 'first name' in lower case: an "
                                                  "ordinary word here")
        return self._finding(etype, span, page, start, end, r)

    def _finding(
        self, etype: str, span: str, page: int | None, start: int, end: int, r: RecognizerResult
    ) -> Finding:
        exp = r.analysis_explanation
        meta = r.recognition_metadata or {}
        recogniser = meta.get(RecognizerResult.RECOGNIZER_NAME_KEY) or (exp.recognizer if exp else "unknown")
        explanation = {
            "recogniser": recogniser,
            "pattern_name": getattr(exp, "pattern_name", None),
            "pattern": getattr(exp, "pattern", None),
            "original_score": getattr(exp, "original_score", r.score),
            "score_context_improvement": getattr(exp, "score_context_improvement", 0),
            "supportive_context_word": getattr(exp, "supportive_context_word", ""),
            "textual_explanation": getattr(exp, "textual_explanation", None),
        }
        return Finding(
            type=etype, text=span, page=page, start=start, end=end, score=float(r.score),
            recogniser=str(recogniser), explanation=explanation, exemption=self.exemption,
        )

    def _ordinary_phrase(self, span: str) -> bool:
        """All words ordinary English and the first not a first name."""
        words = [w.casefold() for w in WORD.findall(span) if w[0].isalpha()]
        if len(words) < 2 or not self.english:
            return False  # a lone 'White' or 'Mann' may well be a surname: recall first
        return words[0] not in self.first_names and all(self._english(w) for w in words)

    def _address(self, span: str, text: str, start: int) -> bool:
        """A street or building ('Oxford Road', 'Wycliffe House'). When a known
        first name leads it, a street word that is no surname makes it a street
        ('Rosalind Avenue'); one that is ('Jane Hall', 'Peter Lane' are people) only in an
        address: after a house number ('25 Charlotte Street'), with a
        postcode later on its line or on the next, or with a street opening
        the next part of the address ('Wycliffe House\nWater Lane', 'Victoria
        House, Quay Street'); 'Jane Hall\nDisclosure Officer, Police House'
        stays a person."""
        words = [w.casefold() for w in WORD.findall(span)]
        if not any(w in self.address_words for w in words):
            return self._numbered_address_line(text, start, start + len(span))
        if len(words) < 2 or words[0] not in self.first_names:
            return True
        if any(w in self.address_words and w not in self.surnames for w in words[1:]):
            return True  # 'Rosalind Avenue': a street word that is nobody's surname
        if HOUSE_NUMBER.search(text[max(0, start - 12):start]):
            return True
        end = start + len(span)
        after = text[end:line_bounds(text, start, end, after=1)[1]]
        if POSTCODE.search(after):
            return True
        # the next part of the address: after a comma on the line, or opening the next line
        parts = after.split("\n")
        return self.street_start is not None and any(
            self.street_start.match(part.lstrip(" \t").removeprefix(",")) for part in parts)

    def _section_letter(self, span: str, text: str, start: int) -> bool:
        """'Appendix A. For the ...', 'Section B. The ...': a letter after a
        document-structure word is a label, not an initial."""
        if not INITIAL.match(span):
            return False
        before = WORD.findall(text[max(0, start - 20):start])
        return bool(before) and before[-1].casefold() in self.section_words

    @staticmethod
    def _numbered_address_line(text: str, start: int, end: int) -> bool:
        """A line that is a house number and the span ('14 Meadow View'),
        with a postcode on one of the next two lines: the street of an
        address, whatever its words."""
        line_start, line_end = line_bounds(text, start, end)
        if not HOUSE_LINE.fullmatch(text, line_start, start) or text[end:line_end].strip(" \t,"):
            return False
        return POSTCODE.search(text, line_end, line_bounds(text, start, end, after=2)[1]) is not None

    def _coordinated_organisation(self, span: str, text: str, end: int) -> bool:
        """A lone word that opens a public body named after two places:
        'Devon and Cornwall Police', 'Avon & Somerset Constabulary'. The word
        after 'and' is not a first name ('Isolde and Marguerite Fairweather')
        and a word of ``vocab.yaml: place_bodies`` closes the run ('Bob and
        Finance Team' keeps Bob)."""
        if not self.place_bodies or len(WORD.findall(span)) != 1:
            return False
        m = COORDINATED.match(text, end)
        if m is None or m.group(1).casefold() in self.first_names:
            return False
        return any(w.casefold() in self.place_bodies for w in m.group(2).split())

    def _english(self, word: str) -> bool:
        """An ordinary English word, or the regular plural of one."""
        return english_form(word, self.english)

    def _trim_not_name(self, text: str, start: int, end: int) -> tuple[int, int]:
        """Cut contact labels off both ends ('Tamsin Oakshott  Tel' becomes
        'Tamsin Oakshott') and role words off the end while two words are left;
        an organisation word anywhere is checked after."""
        words = [(m.start() + start, m.end() + start) for m in WORD.finditer(text[start:end])]
        while words and text[words[0][0]:words[0][1]].casefold() in self.labels:
            words.pop(0)
        while words and text[words[-1][0]:words[-1][1]].casefold() in self.labels:
            words.pop()
        # a role after a name the model ran on into ('Jane Doe Chief' + 'Executive'); two words stay
        while len(words) > 2 and text[words[-1][0]:words[-1][1]].casefold() in self.roles:
            words.pop()
        if not words:
            return start, start
        return words[0][0], words[-1][1]

    def _deny_hits(self, text: str, page: int | None) -> list[Finding]:
        out = []
        for pattern, rule in self.deny:
            for m in pattern.finditer(text):
                out.append(Finding(
                    type=rule.type, text=m.group(0), page=page, start=m.start(), end=m.end(), score=1.0,
                    recogniser="deny_list", explanation={"recogniser": "deny_list", "pattern": rule.pattern,
                                                         "textual_explanation": rule.reason},
                    exemption=self.exemption,
                ))
        return out

    def _allowed(self, f: Finding) -> str | None:
        """The reason of the allow-list entry that matches ``f``, if any."""
        return next((reason for pattern, reason in self.allow if pattern.match(f.text.strip())), None)

    def strip_title(self, f: Finding) -> None:
        """Leave a leading title or rank visible: 'DS Jane Holloway' redacts
        'Jane Holloway'. The policy reads the title before this runs."""
        if f.type != "PERSON" or self.leading_title is None:
            return
        m = self.leading_title.match(f.text)
        if m and m.end() < len(f.text):
            f.explanation["title"] = f.text[: m.end()].strip()
            f.start += m.end()
            f.text = f.text[m.end():]


MODEL_RECOGNISERS = {"SpacyRecognizer", "capitalised_name", "labelled_name", "signature_block", "first_name"}
PHRASE_CHECKED = {"SpacyRecognizer", "capitalised_name"}


def _recogniser(r: RecognizerResult) -> str:
    return str((r.recognition_metadata or {}).get(RecognizerResult.RECOGNIZER_NAME_KEY, ""))


def _pattern_name(r: RecognizerResult) -> str:
    return str(getattr(r.analysis_explanation, "pattern_name", "") or "")


def _model_only(r: RecognizerResult) -> bool:
    """Found by the model or a loose pattern, not by a title or rank."""
    meta = r.recognition_metadata or {}
    return meta.get(RecognizerResult.RECOGNIZER_NAME_KEY) in MODEL_RECOGNISERS


def _split_lines(text: str, start: int, end: int, etype: str) -> list[tuple[int, int]]:
    """A PERSON span is cut at a dash with spaces round it (a list's separator,
    'Kevin Dowd - In Support', never part of a name) and at a line break unless
    the break falls mid-name (the next line starts with the rest of a name and
    the first line ends the sentence's last word). E-mails and phones stay whole."""
    if etype != "PERSON":
        return [(start, end)]
    pieces = []
    for a, b in _split_at_breaks(text, start, end):
        pos = a
        for m in SPACED_DASH.finditer(text, a, b):
            pieces.append((pos, m.start()))
            pos = m.end()
        pieces.append((pos, b))
    return pieces


def _split_at_breaks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    span = text[start:end]
    if "\n" not in span:
        return [(start, end)]
    pieces = []
    pos = start
    for part in span.split("\n"):
        pieces.append((pos, pos + len(part)))
        pos += len(part) + 1
    first_line_end = text.find("\n", start)
    line_start = text.rfind("\n", 0, start) + 1
    first_line = text[line_start:first_line_end]
    # a wrapped name: prose on the first line and the name at its very end,
    # unless the next line opens with a label ('Tom Eddowes\nApologies: ...')
    label_next = text[pieces[-1][1]:pieces[-1][1] + 2].lstrip(" \t").startswith(":")
    if len(first_line) > 40 and first_line_end == pieces[0][1] and len(pieces) == 2 and not label_next:
        return [(start, end)]
    return pieces


SPACED_DASH = regex.compile(r"[ \t]+[-–—][ \t]+")


def _trim(text: str, start: int, end: int, keep_brackets: bool = False) -> tuple[int, int]:
    while start < end and text[start] in TRIM and not (keep_brackets and text[start] == "("):
        start += 1
    while end > start and text[end - 1] in TRIM:
        end -= 1
    # a trailing full stop belongs to the name only after an initial ("A.C.")
    while end > start and text[end - 1] == "." and not (end - start >= 2 and text[end - 2].isupper()
                                                         and (end - start == 2 or not text[end - 3].isalpha())):
        end -= 1
    return start, end


def _plausible_name(span: str, text: str, end: int, common_words: set[str], lower_case_ok: bool = False,
                    first_name: bool = False) -> bool:
    """Reject PERSON spans that cannot be a name: no capital letter (unless a
    recogniser vouched for a name in lower case), digits only, a single label
    word followed by a colon (a known first name there is a speaker: 'Gary:'),
    a mixed-case acronym, or a single word the document itself uses in lower
    case."""
    words = WORD.findall(span)
    if not words or not (lower_case_ok or any(c.isupper() for c in span)):
        return False
    if all(w.isdigit() for w in words):
        return False
    if len(words) == 1:
        if MIXED_CASE_ACRONYM.search(words[0]):
            return False  # a mixed-case acronym ('TfL', 'DfE', 'MoJ'): no name ends in a capital
        after = text[end : end + 2].lstrip(" \t")
        if after.startswith(":") and not first_name:
            return False
        if words[0].casefold() in common_words:
            return False
    return True


def merge_overlaps(findings: list[Finding]) -> list[Finding]:
    """Drop findings inside a longer one; merge same-type partial overlaps."""
    ordered = sorted(findings, key=lambda f: (f.start, -(f.end - f.start)))
    out: list[Finding] = []
    for f in ordered:
        container = next((o for o in out if o.start <= f.start and f.end <= o.end), None)
        if container is not None:
            if f.recogniser != container.recogniser:
                container.explanation.setdefault("also_found_by", [])
                if f.recogniser not in container.explanation["also_found_by"]:
                    container.explanation["also_found_by"].append(f.recogniser)
                container.score = max(container.score, f.score)
            continue
        partner = next((o for o in out if o.type == f.type and o.start < f.end and f.start < o.end), None)
        if partner is not None:
            partner.text = _joined_text(partner, f)
            partner.end = max(partner.end, f.end)
            partner.score = max(partner.score, f.score)
            partner.explanation.setdefault("also_found_by", []).append(f.recogniser)
            continue
        out.append(f)
    # a merge can grow a span around one kept earlier: drop what is now nested
    return [f for i, f in enumerate(out)
            if not any(o.start <= f.start and f.end <= o.end and (o.end - o.start > f.end - f.start or j < i)
                       for j, o in enumerate(out) if j != i)]


def _joined_text(a: Finding, b: Finding) -> str:
    if b.end <= a.end:
        return a.text
    return a.text + b.text[a.end - b.start:]


def common_words(texts: Iterable[str]) -> set[str]:
    """Words the document writes in lower case: such a word standing alone
    with a capital is a heading or sentence start, not a surname. E-mail and
    web addresses are left out: the 'jones' of 'paige.jones@example.org'
    says nothing about 'Jones'."""
    words: set[str] = set()
    for t in texts:
        if "@" in t or "www." in t or "://" in t:
            t = ADDRESSES.sub(" ", t)
        words.update(w for w in WORD.findall(t) if w.islower() and len(w) > 1)
    return words
