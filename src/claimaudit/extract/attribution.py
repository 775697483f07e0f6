"""Attribution: who a sentence says the claim comes from ("a 2019 meta-analysis found ...")."""

from __future__ import annotations

import re
from dataclasses import dataclass

_SOURCE_NOUN = (
    r"(?:systematic\s+reviews?(?:\s+and\s+meta-analys[ie]s)?|meta-analys[ie]s|reviews?|stud(?:y|ies)|"
    r"trials?|guidelines?|surveys?|reports?|researchers|experts|authors|scientists|analys[ie]s|"
    r"document|paper|article|investigators|(?:set|series)\s+of\s+studies|others)"
)
_DETERMINER = r"(?:a|an|the|one|some|several|many|multiple|recent|other|two|three|most|few|these|this|its|\d{4})"
_REPORT_VERB = (
    r"(?:found|finds|concluded|concludes|showed|shown|shows|show|reported|reports|report|suggests?|suggested|"
    r"states?|stated|demonstrated|demonstrates|indicates?|indicated|believe|believes|observed|noted|presents)"
)
_PATTERNS = (
    re.compile(r"\baccording\s+to\s+(?P<src>[^,.;:]{3,80})", re.I),
    re.compile(
        rf"\b(?P<src>(?:{_DETERMINER}\s+)?(?:(?:\d{{4}}|(?-i:[A-Z][\w-]+))\s+)*{_SOURCE_NOUN}"
        rf"(?:\s+(?:published|released|issued)\s+in\s+\d{{4}})?"
        rf"(?:\s+(?:in|by|from|of)\s+(?:the\s+)?(?-i:[A-Z][\w-]*)(?:\s+(?-i:[A-Z][\w-]*))*)?)"
        rf"(?:\s+(?:have|has|had))?(?:\s+(?:also|further|recently|consistently))?\s+{_REPORT_VERB}\b",
        re.I,
    ),
    re.compile(r"\b(?P<src>(?:guidelines?|a\s+document)\s+(?:published|released|issued)\s+in\s+\d{4})", re.I),
    # a named body that says something: "The American College of Obstetricians and Gynecologists (ACOG)
    # says that ...", "The FDA warns that ..."
    re.compile(
        r"(?P<src>\b(?:the\s+)?(?-i:[A-Z][\w-]+)(?:\s+(?:of|and|for|on|the)?\s*(?-i:[A-Z][\w-]+))*"
        r"(?:\s*\((?-i:[A-Z][A-Za-z]+)\))?)\s+(?:says|said|states|stated|warns|warned|advises|advised)\s+that\b",
        re.I,
    ),
)
# a cheap necessary condition for any of _PATTERNS (most sentences name no source)
_MAY_ATTRIBUTE = re.compile(rf"\baccording\s+to\b|\b{_SOURCE_NOUN}|\bdocument\b", re.I)
# and one for a named body's "says that" (only sentences with "that" are tried)
_SAY_WORDS = ("says", "said", "state", "warn", "advise")  # a substring test first: most sentences have none
_MAY_SAY = re.compile(r"\b(?:says|said|states|stated|warns|warned|advises|advised)\s+that\b", re.I)
# and one for the second pattern, whose words before the noun make a failed search slow
_MAY_REPORT = re.compile(rf"\b{_REPORT_VERB}\b", re.I)
_RELATIVE = re.compile(r"\s+(?:that|which|who|whose|where|showing|finding)\b", re.I)
_SPECIFIC = re.compile(r"\b\d{4}\b|\bguidelines?\b|\bmeta-analys|\bsystematic\s+review", re.I)
_ACRONYM = re.compile(r"\b[A-Z]{2,}\b")
_CONTRAST = re.compile(r"\b(?:some|one)\s+(?:studies|study|trials?|researchers|experts)\b.*\bothers?\b", re.I | re.S)


@dataclass(frozen=True, slots=True)
class Attribution:
    source: str  # "" when the sentence states the claim on its own authority
    specific: bool  # names a year, a body or a kind of publication
    contrast: bool  # reports disagreement between sources ("some studies ..., others ...")


NONE = Attribution("", False, False)


def read_attribution(text: str) -> Attribution:
    """The first attributed source in ``text``, normalized to lower case."""
    lowered = text.lower()
    contrast = "other" in lowered and bool(_CONTRAST.search(text))
    says = "that" in lowered and any(w in lowered for w in _SAY_WORDS) and bool(_MAY_SAY.search(text))
    if not says and not _MAY_ATTRIBUTE.search(text):
        return Attribution("", False, contrast)
    reports = bool(_MAY_REPORT.search(text))
    for pattern in _PATTERNS:
        if pattern is _PATTERNS[1] and not reports or pattern is _PATTERNS[3] and not says:
            continue
        match = pattern.search(text)
        if match:
            src = _RELATIVE.split(match.group("src"), 1)[0]  # "a 2002 review that found ...": the review
            source = " ".join(src.split()).strip(" ,").lower()
            if source in {"it", "this", "the", "he", "she", "they", "we", "i", "you", "that", "there"}:
                continue
            return Attribution(source, bool(_SPECIFIC.search(src) or _ACRONYM.search(src)), contrast)
    return Attribution("", False, contrast)
