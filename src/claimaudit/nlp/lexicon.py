"""The general claim-reading lexicon (aspects, predicates, scope qualifiers), validated on load."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from claimaudit.datafiles import package_text, parse_yaml
from claimaudit.errors import DataFileError

SECTIONS = {
    "aspects",
    "predicates",
    "durations",
    "relief_words",
    "scope",
    "scope_narrower",
    "scope_default",
    "subject_scope",
    "condition_heads",
    "generic_nouns",
    "anaphors",
    "directive_openers",
    "contrast_markers",
    "belief_holders",
    "belief_verbs",
    "denial_openers",
    "advice_against",
    "administration_verbs",
    "condition_modifiers",
}


@dataclass(frozen=True, slots=True)
class Predicate:
    name: str
    opposite: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class Lexicon:
    aspects: dict[str, tuple[str, ...]]
    predicates: dict[str, Predicate]
    durations: dict[str, tuple[str, ...]]
    relief_words: frozenset[str]
    scope: dict[str, dict[str, tuple[str, ...]]]
    scope_narrower: dict[str, dict[str, str]]
    scope_default: dict[str, str]
    subject_scope: dict[str, str]  # scope key -> the value of a claim that states none
    condition_heads: frozenset[str]
    generic_nouns: frozenset[str]
    anaphors: tuple[str, ...]
    directive_openers: tuple[str, ...]
    contrast_markers: tuple[str, ...]
    belief_holders: frozenset[str]
    belief_verbs: frozenset[str]
    denial_openers: tuple[str, ...]
    advice_against: tuple[str, ...]
    administration_verbs: frozenset[str]
    condition_modifiers: dict[str, str]  # word -> the word its group is read as ("ongoing" -> "chronic")

    def phrase_table(self) -> list[tuple[str, str]]:
        """(label, phrase) pairs for the phrase matcher; labels are 'KIND|value'."""
        rows: list[tuple[str, str]] = []
        for aspect, words in self.aspects.items():
            rows += [(f"ASPECT|{aspect}", w) for w in words]
        for pred in self.predicates.values():
            rows += [(f"PRED|{pred.name}", w) for w in pred.words]
        for cls, words in self.durations.items():
            rows += [(f"DURATION|{cls}", w) for w in words]
        for key, values in self.scope.items():
            for value, words in values.items():
                rows += [(f"SCOPE|{key}|{value}", w) for w in words]
        return rows

    def within(self, key: str, value: str, broader: str) -> bool:
        """Whether qualifier ``value`` of scope ``key`` is ``broader`` or lies inside it, following
        ``scope_narrower`` upwards ("pregnant" is within "women", which is within "adults")."""
        inside = self.scope_narrower.get(key, {})
        seen: set[str] = set()
        current: str | None = value
        while current is not None and current not in seen:
            if current == broader:
                return True
            seen.add(current)
            current = inside.get(current)
        return False


def _words(value: object, where: str, name: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise DataFileError(f"{where}: expected a list of non-empty strings", path=name)
    return tuple(v.lower() for v in value)


def parse_lexicon(text: str, name: str) -> Lexicon:
    """Parse and validate a lexicon file."""
    data = parse_yaml(text, name)
    if not isinstance(data, dict):
        raise DataFileError("expected a mapping of sections", path=name, line=1)
    unknown = set(data) - SECTIONS
    if unknown:
        raise DataFileError(
            f"unknown section(s): {', '.join(sorted(unknown))} (valid: {', '.join(sorted(SECTIONS))})", path=name
        )
    missing = SECTIONS - set(data)
    if missing:
        raise DataFileError(f"missing section(s): {', '.join(sorted(missing))}", path=name)
    predicates: dict[str, Predicate] = {}
    for pname, body in (data["predicates"] or {}).items():
        if not isinstance(body, dict) or set(body) != {"opposite", "words"}:
            raise DataFileError(f"predicates.{pname}: expected keys opposite and words", path=name)
        predicates[pname] = Predicate(pname, str(body["opposite"] or ""), _words(body["words"], f"predicates.{pname}", name))
    for pred in predicates.values():
        if pred.opposite and pred.opposite not in predicates:
            raise DataFileError(f"predicates.{pred.name}: opposite {pred.opposite!r} is not a predicate", path=name)
    scope = {
        key: {value: _words(words, f"scope.{key}.{value}", name) for value, words in values.items()}
        for key, values in (data["scope"] or {}).items()
    }
    narrower = data["scope_narrower"] or {}
    for key, pairs in narrower.items():
        if key not in scope or not isinstance(pairs, dict):
            raise DataFileError(f"scope_narrower.{key}: expected a mapping for a scope key", path=name)
        for value, broader in pairs.items():
            if value not in scope[key] or broader not in scope[key]:
                raise DataFileError(f"scope_narrower.{key}: {value!r} and {broader!r} must be values of scope.{key}", path=name)
    defaults = data["scope_default"] or {}
    for key, value in defaults.items():
        if key not in scope or value not in scope[key]:
            raise DataFileError(f"scope_default.{key}: {value!r} must be a value of scope.{key}", path=name)
    subject_scope = data["subject_scope"] or {}
    for key, value in subject_scope.items():
        if key not in scope or not isinstance(value, str) or not value.strip() or value in scope[key]:
            raise DataFileError(f"subject_scope.{key}: expected a scope key and a value it does not list", path=name)
    modifiers: dict[str, str] = {}
    for group, words in (data["condition_modifiers"] or {}).items():
        for word in _words(words, f"condition_modifiers.{group}", name):
            if modifiers.setdefault(word, str(group)) != group:
                raise DataFileError(f"condition_modifiers: {word!r} is in two groups", path=name)
    return Lexicon(
        condition_modifiers=modifiers,
        subject_scope=dict(subject_scope),
        scope_narrower={k: dict(v) for k, v in narrower.items()},
        scope_default=dict(defaults),
        aspects={k: _words(v, f"aspects.{k}", name) for k, v in data["aspects"].items()},
        predicates=predicates,
        durations={k: _words(v, f"durations.{k}", name) for k, v in data["durations"].items()},
        relief_words=frozenset(_words(data["relief_words"], "relief_words", name)),
        scope=scope,
        condition_heads=frozenset(_words(data["condition_heads"], "condition_heads", name)),
        generic_nouns=frozenset(_words(data["generic_nouns"], "generic_nouns", name)),
        anaphors=_words(data["anaphors"], "anaphors", name),
        directive_openers=_words(data["directive_openers"], "directive_openers", name),
        contrast_markers=_words(data["contrast_markers"], "contrast_markers", name),
        belief_holders=frozenset(_words(data["belief_holders"], "belief_holders", name)),
        belief_verbs=frozenset(_words(data["belief_verbs"], "belief_verbs", name)),
        denial_openers=_words(data["denial_openers"], "denial_openers", name),
        advice_against=_words(data["advice_against"], "advice_against", name),
        administration_verbs=frozenset(_words(data["administration_verbs"], "administration_verbs", name)),
    )


@cache
def default_lexicon() -> Lexicon:
    """The lexicon shipped with the package."""
    return parse_lexicon(package_text("lexicon.yaml"), "lexicon.yaml")


@cache
def stop_words() -> frozenset[str]:
    """spaCy's English stop words (imported on first use: a re-check that extracts nothing never
    imports spaCy)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)
