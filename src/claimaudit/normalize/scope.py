"""Scope qualifiers (route, dose, population, setting, use, time frame) and condition mentions."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from claimaudit.nlp.lexicon import Lexicon, default_lexicon, stop_words
from claimaudit.nlp.tokens import lowers, span_text
from claimaudit.normalize.terms import Vocabulary

if TYPE_CHECKING:  # spaCy is imported only by a run that extracts claims
    from spacy.tokens import Span

# Nouns after a condition word that make it part of another noun ("pain relief", "pain signals").
CONDITION_BLOCKERS = frozenset(
    {
        "relief", "reduction", "management", "signals", "signal", "perception", "scores", "score",
        "sensations", "sensation", "medication", "medications", "pathway", "pathways", "specialist",
        "specialists", "clinic", "clinics", "intensity", "level", "levels", "threshold", "killers",
        "killer", "relievers", "reliever", "medicine", "control", "research", "guidelines", "stages",
        "patients", "services", "sufferers", "experts", "treatments", "treatment", "therapy",
        "therapies", "drugs", "drug", "symptoms", "societies", "pills", "phase", "phases", "stage",
    }
)
# Words that point back to a scope named elsewhere: such a scope cannot be read on its own.
UNRESOLVED = re.compile(
    r"\b(?:the\s+remaining|other|these|those|such|the\s+same|this)\s+"
    r"(?:conditions?|purposes|uses|indications|disorders|diseases|cases|patients|populations)\b",
    re.I,
)
UNRESOLVED_VALUE = "(unresolved)"
_ALPHA = re.compile(r"[a-z][a-z0-9\-']*$")
_ADJ_SKIP = frozenset({"several", "various", "many", "some", "certain", "different", "other", "most", "all",
                       "common", "types", "type", "forms", "form", "kinds", "numerous", "any", "each",
                       "new", "newer", "particularly", "especially", "including", "related", "unique",
                       "specific", "existing", "known", "whole", "various",
                       # verbs that introduce a condition ("side effects include headache")
                       "include", "includes", "included", "experience", "experiences", "experienced",
                       "develop", "develops", "developed", "report", "reports", "reported",
                       "preventing", "managing", "living", "stopping", "treating", "easing", "relieving",
                       "controlling", "halting", "aborting"})  # "Preventing migraine": the condition is migraine


_BODY_STOP_WORDS = frozenset({"back"})  # spaCy's stop word that names a body part ("low back pain")
_SUBTYPES = frozenset({"1", "2", "3", "4", "i", "ii", "iii", "iv", "a", "b", "c"})  # after "type"
_SEVERITY = frozenset({"mild", "moderate", "severe"})  # kept in a condition's name
_EXCLUDING = frozenset({"without", "not"})  # words before a condition that exclude it ("sleep, not anxiety")

# Heads that name no condition on their own ("several syndromes").
_BARE_HEADS = frozenset(
    {"condition", "syndrome", "disease", "disorder", "injury", "failure", "infection", "tumor", "tumour", "symptom", "attack", "fall"}
)


@dataclass(frozen=True, slots=True)
class Scope:
    """Normalized qualifiers of one claim; conditions as canonical strings."""

    qualifiers: dict[str, str]
    conditions: tuple[str, ...]


# Nouns that end in -s and are singular (diseases, body parts, mass nouns): "type 2 diabetes" is no
# plural of "diabete".
_SINGULAR_IN_S = frozenset(
    """diabetes herpes measles mumps rickets shingles scabies rabies caries hives ascites pancreas feces
    faeces aids species series news lens biceps triceps forceps genetics physics""".split()
)


def singular(word: str) -> str:
    """A crude singular for matching ('syndromes' -> 'syndrome', 'patches' -> 'patch', 'illnesses' ->
    'illness'); leaves 'analysis', 'virus', 'diabetes' alone, and 'headaches' keeps its e."""
    if word in _SINGULAR_IN_S:
        return word
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "xes", "sses", "zzes")) and not word.endswith(("aches", "iches")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "ous")):
        return word[:-1]
    return word


# Joins the words of an object's noun phrase ("risk of stroke", "sensitivity to light"): kept in the
# object, so that its head ("risk", "sensitivity") can be told from its complement.
OBJECT_CONNECTORS = frozenset({"of", "to"})
# Groups of people: the word after one, in a sentence's subject position, is their verb.
PEOPLE = frozenset(
    "adults adult children child kids infants adolescents teenagers elderly seniors women men patients patient "
    "people persons individuals participants users subjects travelers travellers parents".split()
)


def object_parts(obj: str) -> tuple[str, frozenset[str]]:
    """An object's head and content words: the head is the last word before the first connector, or
    the last word ("heart rate" -> rate; "heart rate variability" -> variability; "state of infected
    cell" -> state)."""
    words = obj.split()
    content = [w for w in words if w not in OBJECT_CONNECTORS]
    if not content:
        return "", frozenset()
    cut = next((i for i, w in enumerate(words) if w in OBJECT_CONNECTORS), len(words))
    return (words[cut - 1] if cut else content[-1]), frozenset(content)


# Words between a subject-scope phrase and the subject it qualifies ("deficiency of the vitamin").
_SUBJECT_LINKS = frozenset({"of", "from", "on", "the", "a", "an", "-"})


def read_qualifiers(lexicon_spans: Sequence[Span], lexicon: Lexicon, subject: tuple[int, int] | None = None) -> dict[str, str]:
    """Scope qualifiers from lexicon spans; two values for one key join with ' + ', and a value with
    one inside it gives way to it ("pregnant women" is pregnant, not "pregnant + women"). A span of a
    key of ``lexicon.subject_scope`` counts only where it touches ``subject`` (token start and end):
    right after it ("ketamine withdrawal"), or before it, with at most two linking words ("deficiency
    of vitamin D")."""
    found: dict[str, set[str]] = {}
    for span in lexicon_spans:
        parts = span.label_.split("|")
        if parts[0] == "SCOPE" and (parts[1] not in lexicon.subject_scope or _touches(span, subject)):
            found.setdefault(parts[1], set()).add(parts[2])
    out = {}
    for key, values in sorted(found.items()):
        narrowest = [v for v in values if not any(w != v and lexicon.within(key, w, v) for w in values)]
        out[key] = " + ".join(sorted(narrowest))
    return out


def _touches(span: Span, subject: tuple[int, int] | None) -> bool:
    if subject is None or subject[0] < 0:
        return False
    start, end = subject
    if span.start == end:
        return True
    between = span.doc[span.end : start] if span.end <= start else None
    return between is not None and len(between) <= 2 and all(t.lower_ in _SUBJECT_LINKS for t in between)


def condition_mentions(
    sent: Span,
    lexicon: Lexicon,
    vocabulary: Vocabulary,
    term_spans: Sequence[Span],
    *,
    skip: set[int] = frozenset(),
    blocked: set[int] = frozenset(),
) -> list[tuple[str, int, int]]:
    """(canonical condition, start, end) for condition phrases in ``sent``.

    ``skip``: tokens that cannot head a condition (the claim's subject); ``blocked``: tokens that
    cannot modify one (aspect, predicate and qualifier words: "treating depression" is "depression").
    """
    out: list[tuple[str, int, int]] = []
    covered: set[int] = set()
    for span in term_spans:
        if vocabulary.type_of(span.id_) == "condition":
            out.append((span.id_, span.start, span.end))
            covered.update(range(span.start, span.end))
    base = sent.start
    tokens = lowers(sent.doc)[base : sent.end]  # lower-case forms; token k is doc index base + k
    heads = lexicon.condition_heads
    i = 0
    while i < len(tokens):
        if base + i in covered or base + i in skip or tokens[i] not in heads:
            i += 1
            continue
        end = i + 1
        while end < len(tokens) and tokens[end] in heads and base + end not in covered:
            end += 1
        if end < len(tokens) and tokens[end] in CONDITION_BLOCKERS | lexicon.relief_words:
            i = end
            continue
        start = i
        while start > 0 and i - start < 4:
            plow = tokens[start - 1]
            if (
                base + start - 1 in covered
                or base + start - 1 in blocked
                or not _ALPHA.match(plow)
                or plow in stop_words() and plow not in _BODY_STOP_WORDS
                or plow in lexicon.generic_nouns
                or plow in _ADJ_SKIP
                or plow in lexicon.relief_words
            ):
                break
            start -= 1
        if start > 0 and tokens[start - 1] in _SEVERITY:
            start -= 1  # "mild depression" is not "moderate to severe depression"
            if start >= 2 and tokens[start - 1] == "to" and tokens[start - 2] in _SEVERITY:
                start -= 2
        if start >= 2 and tokens[start - 2] == "type" and tokens[start - 1] in _SUBTYPES:
            start -= 2  # "type 2 diabetes" is not "type 1 diabetes"
        if start > 0 and tokens[start - 1] in _EXCLUDING:
            i = end  # "in people without diabetes": the claim is not about diabetes
            continue
        words = [singular(w) for w in tokens[start:end]]
        if len(words) == 1 and words[0] in _BARE_HEADS:
            i = end
            continue
        words += _cause(tokens, end)
        phrase = " ".join(words)
        canonical = vocabulary.canonical(phrase) or phrase
        out.append((canonical, base + start, base + end))
        i = end
    out += _people_with(tokens, base, covered | {i for _, lo, hi in out for i in range(lo, hi)} | skip | blocked, lexicon, vocabulary)
    text = span_text(sent)
    found = UNRESOLVED.search(text)
    if found:
        # "not approved for knee osteoarthritis; the devices are cleared for other uses": a reference back
        # in a later clause leaves the conditions named before it readable
        semicolon = text.find(";")
        named_before = 0 <= semicolon < found.start() and any(
            sent.doc[start].idx - sent.start_char < semicolon for _, start, _ in out
        )
        if not named_before:
            out.append((UNRESOLVED_VALUE, sent.start, sent.start))
    return sorted(set(out), key=lambda c: (c[1], c[0]))


# Words that tie a condition to its cause: "anaemia caused by a lack of vitamin B12" is another anaemia.
_CAUSED = (("caused", "by"), ("due", "to"), ("resulting", "from"), ("secondary", "to"))


def _cause(tokens: Sequence[str], end: int) -> list[str]:
    """The cause stated right after a condition, as words of its name ("caused by lack vitamin b12")."""
    if tuple(tokens[end : end + 2]) not in _CAUSED:
        return []
    words = [tokens[end], tokens[end + 1]]
    for w in tokens[end + 2 : end + 8]:
        if not _ALPHA.match(w) and not w.isalnum():
            break
        if w not in stop_words():
            words.append(w)
        if len(words) == 5:
            break
    return words if len(words) > 2 else []


_WITH_PEOPLE = PEOPLE | {"anyone", "someone", "everyone"}  # not "those": "syndromes, especially those with"
_WITH_SKIP = frozenset({"a", "an", "the", "any"})


def _people_with(
    tokens: Sequence[str], base: int, taken: set[int], lexicon: Lexicon, vocabulary: Vocabulary
) -> list[tuple[str, int, int]]:
    """What a group of people has, whatever its head word: "people with a weakened immune system", "anyone
    with a pacemaker" (conditions named by their heads are found before). Not a relation ("women with a
    history of breast cancer": the condition is named after it) and not what no one has ("with no")."""
    out = []
    for k in range(1, len(tokens) - 1):
        if tokens[k] != "with" or tokens[k - 1] not in _WITH_PEOPLE:
            continue
        start = k + 1
        while start < len(tokens) and tokens[start] in _WITH_SKIP:
            start += 1
        end = start
        while (
            end < len(tokens)
            and end - start < 4
            and base + end not in taken
            and _ALPHA.match(tokens[end])
            and tokens[end] not in stop_words()
            and tokens[end] not in lexicon.generic_nouns
        ):
            end += 1
        if end == start or end < len(tokens) and tokens[end] in ("of", "to"):
            continue
        phrase = " ".join(singular(w) for w in tokens[start:end])
        out.append((vocabulary.canonical(phrase) or phrase, base + start, base + end))
    return out


def condition_relation(a: str, b: str, vocabulary: Vocabulary) -> str | None:
    """'same', 'narrower' (a within b), 'broader', or None for two condition phrases."""
    if UNRESOLVED_VALUE in (a, b):
        return None
    rel = vocabulary.relation(a, b)
    if rel:
        return rel
    same_as = default_lexicon().condition_modifiers
    ta, tb = {same_as.get(w, w) for w in a.split()}, {same_as.get(w, w) for w in b.split()}
    if ta == tb:
        return "same"
    if tb < ta:
        return "narrower"
    if ta < tb:
        return "broader"
    # a narrower term of a vocabulary entity, written with extra modifiers ("treatment-resistant depression")
    for x in vocabulary.entities:
        xs = set(x.split())
        if xs <= ta and x != a and vocabulary.relation(x, b) in ("same", "narrower"):
            return "narrower"
        if xs <= tb and x != b and vocabulary.relation(a, x) in ("same", "broader"):
            return "broader"
    return None


def conditions_overlap(a: Sequence[str], b: Sequence[str], vocabulary: Vocabulary) -> tuple[bool, str]:
    """Whether two claims' condition sets share a condition (same, broader or narrower), with why."""
    if not a or not b:
        return True, ""
    if UNRESOLVED_VALUE in a or UNRESOLVED_VALUE in b:
        return False, "a condition that refers back to others ('the remaining conditions') cannot be compared"
    relations = [(x, y, condition_relation(x, y, vocabulary)) for x in a for y in b]
    for x, y, rel in relations:
        if rel == "same":
            return True, ""
    for x, y, rel in relations:
        if rel:
            return True, f"{x} is {rel} than {y}"
    return False, f"different conditions: {', '.join(a)} vs {', '.join(b)}"
