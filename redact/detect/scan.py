"""Scan one document: every page through the detector, then the document-wide
passes (names repeated elsewhere, the s40 policy) and boxes for PDFs."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pymupdf
import regex
from presidio_analyzer import RecognizerResult

from redact.config import Settings
from redact.detect.engine import Detector, truecase_capitals
from redact.detect.evidence import DocumentEvidence, EvidenceRules
from redact.detect.findings import FindingBuilder, common_words, merge_overlaps
from redact.detect.names import WORD, common_english, common_first_names, first_names, ordinary_english
from redact.detect.ner_focus import NerFocus
from redact.detect.policy import NumberContext, Policy
from redact.detect.rules import RuleSet
from redact.geometry import merge_line_boxes, runs_down
from redact.ingest.docx import read_docx_texts
from redact.ingest.ocr import LOW_CONFIDENCE, engine_for
from redact.ingest.pdf import REPAIRED, PageCache, was_repaired
from redact.ingest.text import read_text_file
from redact.models import Finding, Veto
from redact.normalise import identity, line_bounds
from redact.pipeline import Document

PageProgress = Callable[[int], None]


@dataclass
class ScanResult:
    """What a scan found in one file, and anything the reviewer should know."""

    path: Path
    kind: str
    pages: int
    findings: list[Finding]
    notes: list[str] = field(default_factory=list)
    empty_pages: list[int] = field(default_factory=list)
    vetoes: list[Veto] = field(default_factory=list)


class Scanner:
    """Detector, finding builder and policy together: one per process."""

    def __init__(self, settings: Settings, rules: RuleSet, detector: Detector | None = None) -> None:
        self.settings = settings
        self.rules = rules
        self.detector = detector or Detector(settings, rules)
        english, names = common_english(self.detector.nlp), first_names()
        self.english = english  # the model's lemma index: ordinary words
        self.builder = FindingBuilder(rules, settings.default_exemption, english, names)
        self.policy = Policy(rules)
        signals = [w for key in ("titles", "ranks") for phrase in rules.vocabularies.get(key, [])
                   for w in phrase.split()]
        self.focus = NerFocus(english, names, signals) if settings.ner_focus else None
        vocab = rules.vocabularies
        self.evidence_rules = EvidenceRules(
            titles=vocab.get("titles", []) + vocab.get("ranks", []), role_words=vocab.get("role_words", []),
            place_heads=vocab.get("place_heads", []), street_words=vocab.get("street_words", []),
            not_name_words=vocab.get("not_name_words", []), common_names=common_first_names(),
            english=ordinary_english(self.detector.nlp))

    def scan_file(self, path: Path, password: str | None = None, progress: PageProgress | None = None,
                  numbers: NumberContext | None = None) -> ScanResult:
        """Open and scan a PDF, Word, text or e-mail file (``scan``)."""
        with Document.open(path, self.settings, password) as document:
            return self.scan(document, progress, numbers)

    def scan(self, document: Document, progress: PageProgress | None = None,
             numbers: NumberContext | None = None) -> ScanResult:
        """Scan an open document with the reader for its format; ``numbers``
        carries the phone numbers shared with the other documents of a batch or case."""
        return document.format.scan(self, document, progress, numbers)

    def scan_text(self, path: Path, progress: PageProgress | None = None,
                  numbers: NumberContext | None = None) -> ScanResult:
        """Scan a text or e-mail file as one page."""
        page = read_text_file(path, self.settings.max_file_mb)
        vetoes: list[Veto] = []
        findings = self.detect_texts([(None, page.text)], numbers=numbers, vetoes=vetoes)
        if progress:
            progress(1)
        return ScanResult(path=path, kind="text", pages=1, findings=findings, notes=veto_notes(vetoes),
                          vetoes=vetoes)

    def scan_docx(self, path: Path, progress: PageProgress | None = None,
                  numbers: NumberContext | None = None) -> ScanResult:
        """Scan every part of a Word file; each finding says which part."""
        parts = read_docx_texts(path, self.settings.max_file_mb, self.settings.max_inflated_mb)
        letterhead = {i for i, (label, _) in enumerate(parts, start=1) if label.startswith(("header", "footer"))}
        vetoes: list[Veto] = []
        findings = self.detect_texts([(i, text) for i, (_, text) in enumerate(parts, start=1)], progress,
                                     numbers=numbers, letterhead=letterhead, vetoes=vetoes)
        for f in findings:
            f.explanation["part"] = parts[(f.page or 1) - 1][0]
            f.page = None
        return ScanResult(path=path, kind="docx", pages=1, findings=findings,
                          notes=[f"parts read: {', '.join(sorted({p for p, _ in parts}))}", *veto_notes(vetoes)],
                          vetoes=vetoes)

    def scan_pdf(self, doc: pymupdf.Document, path: Path, progress: PageProgress | None = None,
                 cache: PageCache | None = None, numbers: NumberContext | None = None) -> ScanResult:
        """Scan an open PDF (switch hidden layers on first: ``reveal_hidden_layers``)."""
        notes: list[str] = [REPAIRED] if was_repaired(doc) else []
        texts: list[tuple[int | None, str]] = []
        empty = []
        cache = cache or PageCache(doc, ocr=engine_for(self.settings))
        ocr_pages, low, turned = [], [], []
        for number in range(1, doc.page_count + 1):
            pt = cache.get(number)
            texts.append((pt.page, pt.text))
            if not pt.text.strip():
                empty.append(number)
            if pt.ocr_confidence is not None:
                ocr_pages.append(number)
                if pt.ocr_confidence < LOW_CONFIDENCE:
                    low.append(number)
            if pt.ocr_turned:
                turned.append(number)
        if ocr_pages:
            notes.append(f"text in images read by OCR on {len(ocr_pages)} page(s): " + _page_list(ocr_pages))
        if low:
            notes.append(f"low OCR confidence (below {LOW_CONFIDENCE}): check by eye pages " + _page_list(low))
        if turned:
            notes.append("scanned upside down or on its side, read turned the right way up: pages "
                         + _page_list(turned))
        if empty:
            notes.append(
                f"{len(empty)} page(s) without a text layer or readable text in images: " + _page_list(empty)
            )
        vetoes: list[Veto] = []
        findings = self.detect_texts(texts, progress, numbers=numbers, ocr_pages=set(ocr_pages), vetoes=vetoes)
        attach_boxes(cache, findings)
        return ScanResult(path=path, kind="pdf", pages=doc.page_count, findings=findings,
                          notes=notes + veto_notes(vetoes), empty_pages=empty, vetoes=vetoes)

    def detect_texts(
        self, texts: list[tuple[int | None, str]], progress: PageProgress | None = None, *,
        numbers: NumberContext | None = None, letterhead: set[int] | None = None,
        ocr_pages: set[int] | None = None, vetoes: list[Veto] | None = None,
        whole: list[str] | None = None, model: bool = True,
    ) -> list[Finding]:
        """Findings for a document given as (page, text) pairs; ``letterhead``
        names the pages that are a Word file's headers and footers,
        ``ocr_pages`` those with text read by OCR; spans that the document's
        own evidence drops are appended to ``vetoes``. ``whole`` is the
        whole document's text when ``texts`` are only parts of it: how it
        uses a word elsewhere is evidence here too. ``model`` False leaves
        the NER model out (the rule recognisers, checks and policy only)."""
        whole = whole if whole is not None else [t for _, t in texts]
        common = common_words(whole)
        per_page: list[list[Finding]] = []
        chunks, owners = _chunk(texts, self.settings.ner_chunk_chars)
        # identical pages (a form repeated, a blank template) are analysed once
        first_of: dict[str, int] = {}
        unique = [i for i, c in enumerate(chunks) if first_of.setdefault(c, i) == i]
        unique_chunks = [chunks[i] for i in unique]
        by_rules = self.detector.find_by_rules(unique_chunks)
        by_model: Iterable[list[RecognizerResult]] = [[] for _ in unique_chunks]
        if model:
            ner_chunks = [truecase_capitals(c) for c in blank_repeated_lines(unique_chunks)]
            if self.focus is not None:
                # a first-name guess explains nothing: NER still reads its sentence
                spans = [[(r.start, r.end) for r in results
                          if r.recognition_metadata.get(RecognizerResult.RECOGNIZER_NAME_KEY) != "first_name"]
                         for results in by_rules]
                ner_chunks = self.focus.blank(ner_chunks, common, spans)
            by_model = self.detector.find_by_model(unique_chunks, ner_chunks)
        unique_results = dict(zip(unique, (r + m for r, m in zip(by_rules, by_model, strict=True)), strict=True))
        results_by_chunk = [unique_results[first_of[c]] for c in chunks]
        page_results: dict[int, list[Finding]] = {i: [] for i in range(len(texts))}
        dropped = vetoes if vetoes is not None else []
        for chunk_text, (index, offset), results in zip(chunks, owners, results_by_chunk, strict=True):
            page_no = texts[index][0]
            found = self.builder.build(chunk_text, page_no, results, common, dropped)
            for f in found:
                f.start += offset
                f.end += offset
            page_results[index].extend(found)
            if progress and offset == 0:
                progress(1)
        evidence = DocumentEvidence(self.evidence_rules, whole,
                                    [f for found in page_results.values() for f in found])
        for i, (_, text) in enumerate(texts):
            page_results[i] = _apply_vetoes(evidence, page_results[i], text, dropped)
        context = numbers or NumberContext()
        if self.rules.s40.letterhead_numbers:
            context = replace(context, running=running_numbers(texts, page_results, letterhead or set()))
        for i, (_, text) in enumerate(texts):
            found = merge_overlaps(page_results[i])
            # phones last: a team line is told by the names and mailboxes around it
            for f in sorted(found, key=lambda f: f.type == "PHONE"):
                self.policy.classify(f, text, found, context)
            per_page.append(found)
        self._propagate(texts, per_page, common, ocr_pages or set())
        per_page = [_apply_vetoes(evidence, found, text, dropped)
                    for found, (_, text) in zip(per_page, texts, strict=True)]
        make_consistent([f for found in per_page for f in found])
        out: list[Finding] = []
        for found in per_page:
            for f in found:
                self.builder.strip_title(f)
            out.extend(sorted(found, key=lambda f: f.start))
        return out

    def _propagate(
        self, texts: list[tuple[int | None, str]], per_page: list[list[Finding]], common: set[str],
        ocr_pages: set[int],
    ) -> None:
        """Find again, on every page, the names found somewhere in the document:
        full names anywhere, surnames alone when the document never uses the
        word in lower case. On pages read by OCR a name is found with stray
        spaces inside its words too ('Orla Penha llow'), and a shorter finding
        it covers ('Orla Penha') is extended to it."""
        sources: dict[str, tuple[Finding, str]] = {}
        for found in per_page:
            for f in found:
                if f.type != "PERSON":
                    continue
                core = f.text
                m = self.builder.leading_title.match(core) if self.builder.leading_title else None
                if m:
                    core = core[m.end():]
                words = WORD.findall(core)
                if len(words) >= 2:
                    sources.setdefault(" ".join(core.split()), (f, "name_repeat"))
                surname = words[-1] if words else ""
                if (len(surname) >= 3 and surname[0].isupper() and not surname.isupper()
                        and surname.casefold() not in common and len(words) >= 1):
                    sources.setdefault(surname, (f, "surname_repeat"))
        if not sources:
            return
        keys = sorted(sources, key=len, reverse=True)
        pattern = _names_pattern(keys, ocr=False)
        ocr_pattern = _names_pattern(keys, ocr=True) if ocr_pages else pattern
        squeezed = {"".join(k.split()): k for k in keys}
        for (page_no, text), found in zip(texts, per_page, strict=True):
            added: list[Finding] = []
            ocr = page_no in ocr_pages
            for m in (ocr_pattern if ocr else pattern).finditer(text):
                overlapping = [o for o in found + added if o.start < m.end() and m.start() < o.end]
                if ocr and len(overlapping) == 1 and _extend(overlapping[0], m, text):
                    continue
                if overlapping:
                    continue
                key = " ".join(m.group(0).split())
                if ocr and key not in sources and key.split()[-1] not in sources:
                    key = squeezed.get("".join(key.split()), key)  # 'Orla Penha llow': 'Orla Penhallow'
                hit = sources.get(key) or sources.get(key.split()[-1])
                if hit is None:
                    continue
                source, how = hit
                score = 0.8 if how == "name_repeat" else 0.6
                f = Finding(
                    type="PERSON", text=m.group(0), page=page_no, start=m.start(), end=m.end(), score=score,
                    recogniser=how, exemption=self.settings.default_exemption,
                    explanation={"recogniser": how, "textual_explanation":
                                 f"repeats {source.text!r} found on page {source.page}",
                                 "source_text": source.text, "source_page": source.page},
                )
                self.policy.classify(f, text, found)
                if source.public and not f.public:
                    f.public = True
                    f.policy_reason = f"public: same person as {source.text!r} ({source.policy_reason})"
                added.append(f)
            found.extend(added)


def _apply_vetoes(evidence: DocumentEvidence, found: list[Finding], text: str, dropped: list[Veto]) -> list[Finding]:
    kept, vetoed = evidence.vetoes(found, text)
    dropped.extend(vetoed)
    return kept


def veto_notes(vetoes: list[Veto]) -> list[str]:
    """One scan note counting the spans each named check dropped ('redact
    explain CASE --dropped' lists them)."""
    if not vetoes:
        return []
    counts: dict[str, int] = {}
    for v in vetoes:
        counts[v.check] = counts.get(v.check, 0) + 1
    return ["not proposed, by named checks: "
            + ", ".join(f"{n} {check}" for check, n in sorted(counts.items()))]


def _names_pattern(keys: list[str], ocr: bool) -> regex.Pattern[str]:
    """Any of the names, whitespace-flexible between words; with ``ocr``, a
    stray space is allowed inside words of five letters or more too."""

    def word(w: str) -> str:
        if ocr and len(w) >= 5:
            return " ?".join(regex.escape(c) for c in w)
        return regex.escape(w)

    alternation = "|".join(r"[ \t\n]+".join(word(w) for w in key.split()) for key in keys)
    return regex.compile(rf"(?<![\w'’-])(?:{alternation})(?![\w'’-])")


def _extend(f: Finding, m: regex.Match[str], text: str) -> bool:
    """Stretch a name finding over a match that starts inside it (or before
    it) and ends after it: an OCR split cut the name short ('Ms Orla Penha'
    becomes 'Ms Orla Penha llow'). False when ``m`` does not reach further."""
    if f.type != "PERSON" or m.end() <= f.end or m.start() > f.end:
        return False
    f.start = min(f.start, m.start())
    f.end = m.end()
    f.text = text[f.start:f.end]
    f.explanation["extended"] = "stretched to a name found elsewhere in the document (split by OCR)"
    return True


REPEAT_MIN_PAGES = 3


def blank_repeated_lines(texts: list[str]) -> list[str]:
    """NER's copy of the texts, with every line that repeats on three or more
    pages (headers, footers, letterheads) blanked after its first occurrence.

    Offsets are kept (spaces replace the characters). Patterns still read
    every copy, and a name NER finds in the first copy is found again in the
    others by the document-wide repeat pass, so NER reads each such line once.
    """
    if len(texts) < REPEAT_MIN_PAGES:
        return texts
    counts: dict[str, int] = {}
    for t in texts:
        for line in {_line_key(ln) for ln in t.split("\n")}:
            if len(line) > 3:
                counts[line] = counts.get(line, 0) + 1
    repeated = {line for line, n in counts.items() if n >= REPEAT_MIN_PAGES}
    if not repeated:
        return texts
    seen: set[str] = set()
    out = []
    for t in texts:
        lines = t.split("\n")
        for i, line in enumerate(lines):
            key = _line_key(line)
            if key in repeated:
                if key in seen:
                    lines[i] = " " * len(line)
                seen.add(key)
        out.append("\n".join(lines))
    return out


def running_numbers(texts: list[tuple[int | None, str]], page_results: dict[int, list[Finding]],
                    letterhead: set[int]) -> frozenset[str]:
    """Phone numbers printed on a running header or footer: the same line
    (page numbers aside) with the same number on three or more pages, or on
    both pages of a two-page document; and every number in a Word header or
    footer part (``letterhead``)."""
    pages_of: dict[tuple[str, str], set[int]] = {}
    running: set[str] = set()
    for i, (page_no, text) in enumerate(texts):
        for f in page_results[i]:
            if f.type != "PHONE":
                continue
            number = identity(f.text, "PHONE")
            if page_no is not None and page_no in letterhead:
                running.add(number)
                continue
            line_start, line_end = line_bounds(text, f.start, f.end)
            key = _line_key(text[line_start:line_end])
            pages_of.setdefault((key, number), set()).add(i)
    need = min(REPEAT_MIN_PAGES, len(texts))
    if need >= 2:
        running.update(number for (_, number), pages in pages_of.items() if len(pages) >= need)
    return frozenset(running)


def _line_key(line: str) -> str:
    """A line with its numbers masked: "Page 2 of 9" repeats as "Page # of #"."""
    return _DIGITS.sub("#", line.strip())


_DIGITS = regex.compile(r"\d+")


def make_consistent(findings: list[Finding]) -> None:
    """One item, one classification across a document.

    A name is public everywhere once any occurrence carries a chief officer's
    rank or an elected title (positive evidence of the public role). A phone
    number or e-mail is personal everywhere once any occurrence is personal
    (a name beside it is positive evidence of a direct line).
    """
    groups: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        groups.setdefault((f.type, identity(f.text, f.type)), []).append(f)
    for (etype, _), group in groups.items():
        if len({f.public for f in group}) < 2:
            continue
        if etype == "PERSON":
            source = next(f for f in group if f.public)
            for f in group:
                if not f.public:
                    f.public = True
                    f.policy_reason = f"public: same person as on page {source.page} ({source.policy_reason})"
        else:
            source = next(f for f in group if not f.public)
            for f in group:
                if f.public:
                    f.public = False
                    f.policy_reason = (f"personal: the same {etype.lower()} is personal on page {source.page} "
                                       f"({source.policy_reason})")


def attach_boxes(cache: PageCache, findings: list[Finding]) -> None:
    """Give each PDF finding one box per line it covers."""
    by_page: dict[int, list[Finding]] = {}
    for f in findings:
        if f.page is not None:
            by_page.setdefault(f.page, []).append(f)
    for page_no, found in by_page.items():
        pt = cache.get(page_no)
        for f in found:
            chars = pt.span_boxes(f.start, f.end)
            f.boxes = merge_line_boxes(chars, sideways=runs_down(chars))
            if pt.ocr_from is not None and f.start >= pt.ocr_from:
                f.explanation["source"] = "ocr"
                f.explanation["ocr_confidence"] = round(pt.ocr_confidence or 0.0, 3)


def _chunk(texts: list[tuple[int | None, str]], size: int) -> tuple[list[str], list[tuple[int, int]]]:
    """Cut long texts at line breaks into pieces NER can take (spaCy refuses
    over a million characters; Presidio slows sharply on long texts)."""
    chunks: list[str] = []
    owners: list[tuple[int, int]] = []
    for index, (_, text) in enumerate(texts):
        if len(text) <= size:
            chunks.append(text)
            owners.append((index, 0))
            continue
        offset = 0
        while offset < len(text):
            end = min(len(text), offset + size)
            if end < len(text):
                cut = text.rfind("\n", offset, end)
                end = cut + 1 if cut > offset else end
            chunks.append(text[offset:end])
            owners.append((index, offset))
            offset = end
    return chunks, owners


def _page_list(pages: list[int], limit: int = 10) -> str:
    shown = ", ".join(str(p) for p in pages[:limit])
    return shown + (f" and {len(pages) - limit} more" if len(pages) > limit else "")
