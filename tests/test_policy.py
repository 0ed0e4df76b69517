"""The s40 policy: each public/personal rule, on invented people."""

from __future__ import annotations

import pytest

from redact.detect.scan import Scanner


def classify(scanner: Scanner, text: str) -> dict[str, tuple[bool, str]]:
    return {f.text: (f.public, f.policy_reason) for f in scanner.detect_texts([(None, text)])}


@pytest.mark.parametrize(
    ("text", "item", "public", "reason"),
    [
        ("Approved by ACC Desmond Thorneycroft.", "Desmond Thorneycroft", True, "chief officer"),
        ("Approved by Chief Constable\nImelda Carraway.", "Imelda Carraway", True, "chief officer"),
        ("Reviewed by Supt Ambrose Kettleworth.", "Ambrose Kettleworth", False, "personal"),
        ("Cllr Mrs D Penhallow spoke in favour.", "D Penhallow", True, "elected office"),
        ("Write to foi@westshire.police.example for copies.", "foi@westshire.police.example", True, "mailbox"),
        ("Write to disclosure.unit@westshire.police.example.", "disclosure.unit@westshire.police.example", True,
         "mailbox"),
        ("Write to a.kettleworth@westshire.police.example.", "a.kettleworth@westshire.police.example", False,
         "individual"),
        ("In an emergency call 999.", "999", True, "public contact"),
        ("Switchboard: 01632 960000", "01632 960000", True, "team or service line"),
        ("Ambrose Kettleworth, direct line 01632 960412", "01632 960412", False, "direct line"),
        ("Apologies were received from Councillors\nOrla Penhallow, Idris Quennell and Tamsin Oakshott.",
         "Tamsin Oakshott", True, "listed after 'Councillors'"),
        ("The Chief Constable – Imelda Carraway is the controller.", "Imelda Carraway", True, "chief officer"),
        ("Write to clerk@westshire-pa.example about it.", "clerk@westshire-pa.example", True, "mailbox"),
        ("Please call us on 01632 960222.\nWhen you call the Disclosure Team quote your reference.",
         "01632 960222", True, "team or service line"),
        ("Contact: Democratic Services  01632 960333\nEmail: democratic.services@eastmoor.example",
         "01632 960333", True, "team or service line"),
        ("Present: Councillors Orla Penhallow, Idris Quennell and Tamsin Oakshott.", "Orla Penhallow", True,
         "listed after 'Councillors'"),
        ("If you have any questions please contact me on 01632 960444.", "01632 960444", False, "'me'"),
        ("Disclosure Unit, direct dial 01632 960445", "01632 960445", False, "'direct dial'"),
        ("Team mobile: 07700 900446", "07700 900446", False, "'mobile'"),
        ("Apologies: Ambrose Kettleworth\n\nQueries to the Disclosure Team, 01632 960447", "01632 960447", True,
         "team or service line"),
        ("Ambrose Kettleworth, Disclosure Unit, 01632 960448", "01632 960448", False,
         "'Ambrose Kettleworth' on its line"),
        # a heading that ends with a title is not the title of the name below it
        ("3. Complaints against the PCC\nMrs Orla Penhallow reported a complaint.", "Orla Penhallow", False,
         "personal"),
        ("Signed:  Chief Constable\nImelda Carraway", "Imelda Carraway", True, "chief officer"),
    ],
)
def test_policy_rules(scanner: Scanner, text: str, item: str, public: bool, reason: str) -> None:
    result = classify(scanner, text)
    assert item in result, result
    assert result[item][0] is public
    assert reason in result[item][1]


def test_members_list_ends_at_the_sentence(scanner: Scanner) -> None:
    text = "Councillors Orla Penhallow and Idris Quennell attended. Later Ambrose Kettleworth spoke."
    result = classify(scanner, text)
    assert result["Idris Quennell"][0] is True
    assert result["Ambrose Kettleworth"][0] is False


def test_surname_of_public_person_stays_public(scanner: Scanner) -> None:
    findings = scanner.detect_texts([(1, "Approved by ACC Desmond Thorneycroft."), (2, "Thorneycroft agreed.")])
    repeat = [f for f in findings if f.page == 2]
    assert repeat and all(f.public for f in repeat)


def test_rank_threshold_is_configuration(rules, settings) -> None:
    lowered = rules.model_copy(deep=True)
    lowered.s40.public_from_rank = "superintendent"
    scanner = Scanner(settings, lowered)
    (f,) = [f for f in scanner.detect_texts([(None, "Reviewed by Supt Ambrose Kettleworth.")]) if f.type == "PERSON"]
    assert f.public and "superintendent" in f.policy_reason


@pytest.mark.parametrize(
    ("text", "item", "public"),
    [
        # a list headed by a plural elected title, with remarks in brackets; a blank line ends it
        ("Cllrs O Penhallow (Chair), I Quennell and T Oakshott\n\nR Kettleworth, Acting Town Clerk",
         "T Oakshott", True),
        ("Cllrs O Penhallow (Chair), I Quennell and T Oakshott\n\nR Kettleworth, Acting Town Clerk",
         "R Kettleworth", False),
        # a courtesy title ends a members' list (a co-opted or lay member)
        ("Councillors Orla Penhallow and Idris Quennell Co-opted Mr Tobias Ravenhill attended.",
         "Tobias Ravenhill", False),
        # one titled name a line: the line above is an item, not a title for this one
        ("MEMBERS PRESENT\nCllr O Penhallow\nMr D Ravenhill\n", "D Ravenhill", False),
        # the title must stand right before the name
        ("PCC CONTACT OFFICER Mrs Ottilie Ravenhill (01632 960111)", "Ottilie Ravenhill", False),
        # police and judicial abbreviations and offices
        ("Attendees: CC Imelda Carraway, Westshire", "Imelda Carraway", True),
        ("The appeal was heard by HH Judge Tamsin Oakshott.", "Tamsin Oakshott", True),
        # fire service ranks are not police chief officers
        ("Area Commander Idris Quennell gave the report.", "Idris Quennell", False),
        ("Commander Idris Quennell gave the report.", "Idris Quennell", True),
        # 'CC:' on an e-mail is a copy, not a Chief Constable
        ("To: Disclosure Unit\nCC: Ottoline Brackenridge\nSubject: request", "Ottoline Brackenridge", False),
    ],
)
def test_lists_and_offices(scanner: Scanner, text: str, item: str, public: bool) -> None:
    found = classify(scanner, text)
    assert item in found, found
    assert found[item][0] is public, found[item]


KINGSMERE_MINUTES = (
    "Minutes of the Planning Committee of Kingsmere Town Council\n\n"
    "Present:\n\nMr Idris Quennell, Mrs Orla Penhallow (Chair), Tamsin Oakshott\n\n"
    "Officers in attendance:\n\nMrs Ottoline Brackenridge, Planning Officer\n"
)


@pytest.mark.parametrize(
    ("text", "item", "public"),
    [
        # a council's members' list names its members, with or without a title
        (KINGSMERE_MINUTES, "Idris Quennell", True),
        (KINGSMERE_MINUTES, "Orla Penhallow", True),
        (KINGSMERE_MINUTES, "Tamsin Oakshott", True),
        # the officers after the list are staff
        (KINGSMERE_MINUTES, "Ottoline Brackenridge", False),
        # a name with an officer's role in the list is staff
        ("Minutes of Kingsmere Parish Council\nPresent: Cllr Idris Quennell, Orla Penhallow (Clerk)\n",
         "Orla Penhallow", False),
        # where members carry 'Cllr', a courtesy title marks a lay member
        ("Westshire Council joint committee\nMEMBERS PRESENT\n\nCllr Idris Quennell\nMrs Orla Penhallow\n",
         "Orla Penhallow", False),
        # a board's list is not an elected body's
        ("Westshire Probation Board\nPresent: Mr Idris Quennell (Chair), Mrs Orla Penhallow\n",
         "Orla Penhallow", False),
    ],
)
def test_the_members_list_of_council_minutes(scanner: Scanner, text: str, item: str, public: bool) -> None:
    found = classify(scanner, text)
    assert found[item][0] is public, found[item]


@pytest.mark.parametrize(
    ("text", "item", "public"),
    [
        ("Officers present\nMr Idris Quennell   -   Chief Constable, Westshire Police", "Idris Quennell", True),
        ("Officers present\nMrs Orla Penhallow - Chief Executive to the Authority", "Orla Penhallow", True),
        ("Mrs Orla Penhallow - Area Commander, Westshire Fire", "Orla Penhallow", False),
        ("Mr Idris Quennell, Chief Executive’s Office", "Idris Quennell", False),
    ],
)
def test_a_public_title_after_the_name(scanner: Scanner, text: str, item: str, public: bool) -> None:
    found = classify(scanner, text)
    assert found[item][0] is public, found[item]
