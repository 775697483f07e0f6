"""claimaudit_cues: Matcher rules run only around their anchor words, with the same matches."""

from __future__ import annotations

import pytest

from claimaudit.nlp.components.cues import SPAN_KEY, anchor_words, max_length
from claimaudit.nlp.pipeline import build_nlp


@pytest.fixture(scope="module")
def nlp():
    return build_nlp()


def test_anchor_words_avoid_frequent_words() -> None:
    pattern = [{"LOWER": {"IN": ["keep", "stop", "prevent"]}}, {"OP": "?"}, {"LOWER": "from"}]
    assert anchor_words(pattern) == {"keep", "stop", "prevent"}  # "from" is a stop word
    assert anchor_words([{"LOWER": "to"}, {"LOWER": {"IN": ["conclusion", "consensus"]}}]) == {"conclusion", "consensus"}
    assert anchor_words([{"LOWER": {"REGEX": "^fail"}}, {"OP": "?"}]) is None  # nothing required by word


def test_max_length_counts_bounded_operators() -> None:
    assert max_length([{"LOWER": "a"}, {"OP": "?"}, {"IS_PUNCT": False, "OP": "{1,4}"}]) == 6
    assert max_length([{"LOWER": "a"}, {"OP": "{2}"}]) == 3
    assert max_length([{"LOWER": "a"}, {"OP": "+"}]) is None
    assert max_length([{"LOWER": "a"}, {"OP": "{2,}"}]) is None


FILLER = "Patients were enrolled at four sites and followed for a year, with visits every month. " * 6


@pytest.mark.parametrize(
    ("sentence", "rule"),
    [
        ("Researchers have failed to reach a clear conclusion about its benefit.", "unsettled.failed_conclusion"),
        ("It will be years before we can confirm the benefit.", "unsettled.before_we_can_confirm"),
        ("Nothing has stopped doctors in small clinics from offering it.", "negation.keep_from"),
    ],
)
@pytest.mark.parametrize("where", ["start", "middle", "end"])
def test_matcher_rules_found_anywhere_in_a_long_doc(nlp, sentence: str, rule: str, where: str) -> None:
    text = {"start": sentence + " " + FILLER, "middle": FILLER + sentence + " " + FILLER, "end": FILLER + sentence}[where]
    doc = nlp(text)
    assert rule in {s.id_ for s in doc.spans[SPAN_KEY]}
    tagger = nlp.get_pipe("claimaudit_cues")
    assert sorted(tagger._matcher_matches(doc)) == sorted(tagger._trimmed(doc, 0))  # windows = whole doc


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("The evidence for acupuncture in chronic low back pain is weak.", "is weak"),
        ("The evidence is weak.", "is weak"),
        # a negation keeps its whole trigger: its scope starts after it anyway
        ("Nothing has stopped doctors in small clinics from offering it.", "stopped doctors in small clinics from"),
    ],
)
def test_a_cue_with_a_gap_starts_after_it(nlp, text: str, cue: str) -> None:
    """What the gap of a grade covers ("acupuncture in chronic low back pain") stays readable as a subject."""
    doc = nlp(text)
    gapped = [s for s in doc.spans[SPAN_KEY] if s.id_ in ("evidence.is_weak", "negation.keep_from")]
    assert [s.text for s in gapped] == [cue]


def test_no_anchor_no_matcher_match(nlp) -> None:
    doc = nlp("Researchers have failed to reach a clear view about its benefit. " + FILLER)
    assert "unsettled.failed_conclusion" not in {s.id_ for s in doc.spans[SPAN_KEY]}


def test_rule_file_errors_name_the_record_line() -> None:
    from claimaudit.errors import DataFileError
    from claimaudit.nlp.rules import parse_rules

    text = (
        "# comment\n"
        "- {id: negation.not, literal: not, category: NEGATION, direction: FORWARD}\n"
        "\n"
        "- id: negation.no\n"
        "  literal: 'no'\n"
        "  category: NEGATION\n"
        "  direction: SIDEWAYS\n"
    )
    with pytest.raises(DataFileError) as err:
        parse_rules(text, "my-cues.yaml")
    assert err.value.path == "my-cues.yaml" and err.value.line == 4
    rules = parse_rules(text.replace("SIDEWAYS", "FORWARD"), "my-cues.yaml")
    assert [(r.id, r.line) for r in rules] == [("negation.not", 2), ("negation.no", 4)]
    with pytest.raises(DataFileError) as err:
        parse_rules(text.replace("  category: NEGATION\n", "  category: NEGATION\n  literal: never\n"), "my-cues.yaml")
    assert "duplicate key 'literal'" in str(err.value) and err.value.line == 7
