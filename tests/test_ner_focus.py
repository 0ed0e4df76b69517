"""What NER reads: only the words that could be a name, with their context, at the same offsets."""

from __future__ import annotations

import pytest

from redact.detect.ner_focus import NerFocus
from redact.detect.scan import Scanner

ORDINARY = {"the", "records", "must", "be", "reviewed", "every", "year", "head", "of", "service", "is", "and",
            "unit", "contact", "centre", "within", "days", "policy", "a", "on", "referred", "to", "case"}


@pytest.fixture(scope="module")
def focus() -> NerFocus:
    return NerFocus(ORDINARY, first_names={"ottilie", "tobias", "june", "will"}, name_signals=["Mr", "DS"])


@pytest.mark.parametrize(("sentence", "needs"), [
    ("Records must be reviewed every year.", False),  # only the sentence start is capitalised
    ("The Head of Service is referred to.", False),  # capitalised ordinary words
    ("The OFFICIAL policy, ref HC/PSD/164-364.", False),  # an acronym and a reference number
    ("The case is referred to Ottilie.", True),  # a first name
    ("The case is referred to Vandersloot.", True),  # not an ordinary word
    ("The case is referred to Mr Green.", True),  # a title before an ordinary word
    ("The case is referred to J Quillfeather.", True),  # an initial
    ("Records must be reviewed in June.", False),  # a month, nothing capitalised after it
    ("Records must be reviewed by June Okafor.", True),  # a month-name first name before a capital
])
def test_sentence_needs_ner(focus: NerFocus, sentence: str, needs: bool) -> None:
    assert focus.needs_ner(sentence, focus.ordinary | ORDINARY) is needs


def test_blanked_copy_keeps_offsets_and_context(focus: NerFocus) -> None:
    text = ("Records must be reviewed every year. The case is referred to Ottilie Vandersloot today. "
            "Records must be reviewed every year. Records must be reviewed every year.")
    [copy] = focus.blank([text], set())
    assert len(copy) == len(text)
    start = text.index("Ottilie")
    assert copy[start:start + len("Ottilie Vandersloot")] == "Ottilie Vandersloot"
    # the words that could be a name, four words of context either side, blanks elsewhere
    assert " ".join(copy.split()) == "case is referred to Ottilie Vandersloot today. Records must be"


def test_names_found_by_rules_need_no_ner(focus: NerFocus) -> None:
    text = "Records go to DS Vandersloot on the Head of Service line."
    start = text.index("DS")
    [copy] = focus.blank([text], set(), [[(start, start + len("DS Vandersloot"))]])
    assert not copy.strip()


def test_focus_costs_no_names_on_a_letter(scanner: Scanner) -> None:
    letter = ("Dear Mr Quenell,\n\nThank you for your request. The force holds the records you asked for. "
              "Records must be reviewed every year. Your case was passed to Philippa Ormerod-Vance, who "
              "spoke to Cassius Fernleigh on 3 May.\n\nYours sincerely\n\nTobias Brackenbury\n")
    people = {f.text for f in scanner.detect_texts([(None, letter)]) if f.type == "PERSON"}
    assert {"Quenell", "Philippa Ormerod-Vance", "Cassius Fernleigh", "Tobias Brackenbury"} <= people


MINUTES = (
    "WESTSHIRE POLICE AND CRIME PANEL\n"
    "Minutes of the meeting held on 4 July 2024 at County Hall, Anytown\n\n"
    "Present: Councillor Orla Penhallow (Chair), Cllr Idris Quennell, Cllr Tamsin O'Rourke, "
    "Mr Ambrose Kettleworth (Independent Member)\n"
    "Also present: Police and Crime Commissioner Desmond Thorneycroft; Chief Executive of the OPCC, "
    "Imogen Marchbank; Panel Support Officer, Tobias Eddowes\n"
    "Apologies: Councillors Rhys Bellamy and Sunita Kaur\n\n"
    "2. Minutes\n"
    "The minutes of the meeting held on 11 April were agreed. Cllr Quennell asked about the Police and Crime Plan.\n"
)


def test_a_model_span_does_not_swallow_what_ner_did_not_read(scanner: Scanner) -> None:
    # NER reads the list with the names the rules found blanked; a span running on
    # into the blanked stretch once covered four people and the titles between them
    people = {f.text for f in scanner.detect_texts([(1, MINUTES)]) if f.type == "PERSON"}
    assert all(len(name.split()) <= 2 for name in people), people
    assert {"Orla Penhallow", "Idris Quennell", "Ambrose Kettleworth", "Tobias Eddowes"} <= people
