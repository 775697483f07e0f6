"""One generic runner for the YAML case files in tests/cases/."""

from __future__ import annotations

import pytest
import yaml

from conftest import CASES


def _cases(name: str) -> list:
    cases = yaml.safe_load((CASES / name).read_text(encoding="utf-8"))
    return [pytest.param(case, id=case["name"]) for case in cases]


@pytest.mark.parametrize("case", _cases("cues.yaml"))
def test_sentence_reading(case, audit):
    result = audit({"doc.txt": case["text"]})
    claims = [c for c in result.claims if c.aspect == case["aspect"]]
    if case.get("absent"):
        assert claims == []
        return
    assert claims, f"no {case['aspect']} claim in {[(c.aspect, c.quote) for c in result.claims]}"
    claim = claims[0]
    for key in ("certainty", "polarity", "evidence", "subject", "object", "predicate", "attribution"):
        if key in case:
            assert getattr(claim, key) == case[key], f"{key}: {getattr(claim, key)!r} != {case[key]!r}"
    if "condition" in case:
        assert claim.scope.get("condition", "") == case["condition"], claim.scope
    for key, value in case.get("scope", {}).items():
        assert claim.scope.get(key, "") == value, claim.scope
    if "quantities" in case:
        assert [[q.role, q.comparator, q.low, q.high, q.unit] for q in claim.quantities] == case["quantities"]


@pytest.mark.parametrize("case", _cases("conflicts.yaml"))
def test_conflict_cases(case, audit):
    result = audit(case["docs"], case.get("vocabulary"))
    found = [(c.kind, list(c.values)) for c in result.findings.conflicts]
    if case.get("none"):
        assert found == [], f"unexpected: {[c.explanation for c in result.findings.conflicts]}"
        return
    for expected in case["expect"]:
        matches = [v for kind, v in found if kind == expected["kind"]]
        assert matches, f"no {expected['kind']} conflict; found {found}"
        if "values" in expected:
            assert expected["values"] in matches, f"values {matches}"
    if case.get("only"):  # nothing but the expected flags
        assert sorted(kind for kind, _ in found) == sorted(e["kind"] for e in case["expect"]), found


def test_close_calls_say_why(audit):
    case = next(c for c in yaml.safe_load((CASES / "conflicts.yaml").read_text(encoding="utf-8"))
                if c["name"].startswith("different populations"))
    reasons = sorted(n.reason for n in audit(case["docs"]).findings.not_flagged)
    assert reasons == [
        "numeric: different population: adults vs children",
        "polarity: attributed to different sources (a 2019 meta-analysis; a 2020 review)",
    ]


def test_deliberate_contrast_is_a_close_call_with_its_marker(audit):
    case = next(c for c in yaml.safe_load((CASES / "conflicts.yaml").read_text(encoding="utf-8"))
                if c["name"].startswith("opposite statements the document sets against each other"))
    reasons = [n.reason for n in audit(case["docs"]).findings.not_flagged]
    assert reasons == ["polarity: the document sets them against each other ('in contrast')"]


def test_a_condition_on_one_side_only_is_named_in_the_explanation(audit):
    case = next(c for c in yaml.safe_load((CASES / "conflicts.yaml").read_text(encoding="utf-8"))
                if c["name"].startswith("an unqualified denial"))
    (conflict,) = audit(case["docs"]).findings.conflicts
    assert "only b.txt limits it to hypertension" in conflict.explanation


def test_a_course_that_lasts_is_a_course_length_not_relief(audit):
    case = next(c for c in yaml.safe_load((CASES / "conflicts.yaml").read_text(encoding="utf-8"))
                if c["name"] == "two lengths of a course of treatment")
    (conflict,) = audit(case["docs"]).findings.conflicts
    assert conflict.topic == "amoxicillin / length of a course"


def test_a_heading_that_names_the_main_subject_gives_it_to_its_section(audit):
    # the heading's first words ("new advice", "early uses") are not what the section is about
    result = audit({"a.md": "# New advice on acetaminophen\n\nAcetaminophen is safe in pregnancy. Acetaminophen "
                            "relieves pain.\n\nPregnant women should take no more than 3,000 mg per day.\n"})
    dosage = [c for c in result.claims if c.aspect == "dosage"]
    assert [c.subject for c in dosage] == ["acetaminophen"]


def test_an_exposure_of_the_subject_is_a_close_call_that_says_which(audit):
    cases = yaml.safe_load((CASES / "conflicts.yaml").read_text(encoding="utf-8"))
    reasons = [
        n.reason
        for name in ("a deficiency of the subject", "withdrawal from the subject")
        for case in cases if case["name"].startswith(name)
        for n in audit(case["docs"], case["vocabulary"]).findings.not_flagged
    ]
    assert reasons == [
        "antonym: different exposure: deficiency vs ordinary use",
        "polarity: different exposure: withdrawal vs ordinary use",
    ]


def _case(name: str) -> dict:
    return next(c for c in yaml.safe_load((CASES / "conflicts.yaml").read_text(encoding="utf-8")) if c["name"] == name)


def test_an_age_limit_is_named_in_the_flag_and_excepts_inside_a_document(audit):
    result = audit(_case("an age limit on one side - a flag across documents, an exception inside one")["docs"])
    (conflict,) = result.findings.conflicts
    assert conflict.explanation == "'safe' vs 'not safe'; only b.md limits it to age <3 months"
    assert [n.reason for n in result.findings.not_flagged] == ["polarity: the document makes an exception for age <2 years"]


def test_figures_of_nested_groups_are_a_close_call(audit):
    """One close call per topic, rule and pair of documents: the first pair compared (women, men)."""
    result = audit(_case("figures for a group and for a group inside it differ on purpose")["docs"])
    assert result.findings.conflicts == []
    assert [n.reason for n in result.findings.not_flagged] == ["numeric: different population: women vs men"]


def test_a_qualifier_on_one_side_is_named_in_the_flag(audit):
    result = audit({"a.md": "# Ibuprofen\n\nLong-term use of ibuprofen increases the risk of stomach ulcers.\n",
                    "b.md": "# Ibuprofen\n\nIbuprofen does not increase the risk of stomach ulcers.\n"})
    (conflict,) = result.findings.conflicts
    assert conflict.explanation.endswith("; only a.md limits it to long-term (timeframe)")


def test_a_denied_grade_is_quoted_with_its_negation(audit):
    result = audit({"a.md": "# Stem cells\n\nStem cell injections are clinically proven to regrow cartilage.\n",
                    "b.md": "# Stem cells\n\nThere is no good evidence that stem cell injections regrow cartilage.\n"})
    (conflict,) = result.findings.conflicts
    assert "'no good evidence' (certainty: mixed)" in conflict.explanation


def test_a_heading_condition_named_twice_is_named_once_and_its_population_holds(audit):
    result = audit({
        "a.md": "# Treating a urinary tract infection (UTI)\n\nNitrofurantoin is usually taken for 5 days.\n",
        "b.txt": "UTIs in men\n\nNitrofurantoin is taken for 7 days.\n",
    })
    (conflict,) = result.findings.conflicts
    assert conflict.explanation == (
        "'5 days' vs '7 days': 5 days is outside 7 days; only a.md limits it to urinary tract infection; "
        "only b.txt limits it to men (population)"
    )


def test_a_negation_a_few_words_before_proven_is_quoted_with_it(audit):
    result = audit({"a.md": "# Zolpam\n\nZolpam is a proven treatment for insomnia.\n",
                    "b.md": "# Zolpam\n\nZolpam helps insomnia. I would not call it proven.\n"})
    (conflict,) = result.findings.conflicts
    assert "'not … proven' (certainty: mixed)" in conflict.explanation


def test_a_negation_that_leaves_proven_standing_is_not_quoted_with_it(audit):
    result = audit({"a.md": "# Zolpam\n\nFor adults without liver disease, it is proven that Zolpam relieves insomnia.\n",
                    "b.md": "# Zolpam\n\nWhether Zolpam relieves insomnia in adults is unclear, and more research is needed.\n"})
    (conflict,) = result.findings.conflicts
    assert conflict.explanation.startswith("'proven' (certainty: proven) vs"), conflict.explanation
