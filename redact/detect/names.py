"""Word lists that tell a phrase from a name, taken from maintained packages.

* First names: the union of Faker's first-name lists over all its locales
  (MIT licence, maintained). Used only to *keep* a span: a span that starts
  with a known first name is never dropped as an ordinary phrase.
* Common English words: the lemma index that spaCy's English pipeline ships
  for its rule-based lemmatizer (nouns, verbs, adjectives, adverbs).

A span that only the model (or the capitalised-run pattern) proposed, whose
words are all ordinary English words and whose first word is not a first
name ('Common Purpose', 'City Deal', 'Rapid Intervention Vehicles'), is a
title-cased phrase, not a person.
"""

from __future__ import annotations

import calendar
import importlib
import pkgutil
from functools import lru_cache

import regex
import spacy

# Month and day names: capitalised, and some are first names too ('June').
MONTHS_AND_DAYS = frozenset(w.casefold() for w in (*calendar.month_name[1:], *calendar.day_name))
MONTH_AND_DAY_ABBREVIATIONS = frozenset(w.casefold() for w in (*calendar.month_abbr[1:], *calendar.day_abbr))

# a word of a name: letters, digits, apostrophes and hyphens ('O’Brien', 'Pemberton-Hale')
WORD = regex.compile(r"[\w'’-]+")


def english_form(word: str, english: frozenset[str] | set[str]) -> bool:
    """``word`` (case-folded), or the singular of it as a regular plural, is in
    ``english``; a possessive ending is ignored ('members’', 'council's')."""
    word = word.removesuffix("’s").removesuffix("'s").rstrip("’'")
    if word in english:
        return True
    if word.endswith("ies") and word[:-3] + "y" in english:
        return True
    return (word.endswith("es") and word[:-2] in english) or (word.endswith("s") and word[:-1] in english)


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Case-folded first names from Faker's person providers."""
    try:
        import faker.providers.person as person
    except ImportError:  # pragma: no cover - a declared dependency
        return frozenset()
    names: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        try:
            provider = importlib.import_module(f"faker.providers.person.{module.name}").Provider
        except (ImportError, AttributeError):
            continue
        for attr in ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary"):
            values = provider.__dict__.get(attr)
            if isinstance(values, dict):
                values = list(values)
            if isinstance(values, (list, tuple)):
                names.update(n.casefold() for n in values if isinstance(n, str) and n.isalpha())
    return frozenset(names)


@lru_cache(maxsize=8)
def common_english(nlp: spacy.language.Language, parts: tuple[str, ...] | None = None) -> frozenset[str]:
    """The lemma index of the model's rule-based lemmatizer (empty if it has
    none), for every part of speech or only ``parts`` ("adj", "adv", "verb",
    "noun"; the noun list holds many given names and surnames too)."""
    if "lemmatizer" not in nlp.component_names:
        return frozenset()
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or "lemma_index" not in lookups.tables:
        return frozenset()
    words: set[str] = set()
    for pos, values in lookups.get_table("lemma_index").items():
        if parts is None or pos in parts:
            words.update(v.casefold() for v in values)
    return frozenset(words)


def ordinary_english(nlp: spacy.language.Language) -> frozenset[str]:
    """Words that are surely not given names: stop words, adjectives, adverbs and verbs."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return common_english(nlp, ("adj", "adv", "verb")) | frozenset(STOP_WORDS)
