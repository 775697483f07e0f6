"""Terminology: the user's vocabulary, detected abbreviations and fuzzy spelling variants."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz.distance import OSA

from claimaudit.datafiles import check_keys, parse_yaml, read_text
from claimaudit.errors import DataFileError

ENTITY_TYPES = ("intervention", "condition", "population", "body", "organization", "other")
_HEAD_PREPOSITIONS = frozenset({"for", "of", "in", "with", "against", "after", "during", "from", "on", "to"})


def head_word(phrase: str) -> str:
    """The head of a noun phrase: its last word, or the last before a preposition ("cognitive behavioral
    therapy for insomnia": therapy; "inflammation of the joints": inflammation)."""
    words = phrase.split()
    cut = next((i for i, w in enumerate(words) if i and w.lower() in _HEAD_PREPOSITIONS), len(words))
    return words[cut - 1] if words else ""
_ENTITY_KEYS = {"name", "type", "aliases", "abbreviations", "broader", "narrower", "description"}


@dataclass(frozen=True, slots=True)
class Entity:
    name: str
    type: str = "other"
    aliases: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()
    narrower: tuple[str, ...] = ()


@dataclass
class Vocabulary:
    """Entities by canonical name, every surface form mapped to its entity."""

    entities: dict[str, Entity] = field(default_factory=dict)
    digest: str = ""
    detected: dict[str, str] = field(default_factory=dict)  # surface -> canonical, found in the text
    detected_types: dict[str, str] = field(default_factory=dict)  # canonical -> type, for learned terms

    def __post_init__(self) -> None:
        self._surfaces: dict[str, str] = {}
        self._abbreviations: dict[str, str] = {}
        for entity in self.entities.values():
            for surface in (entity.name, *entity.aliases):
                self._surfaces[surface.lower()] = entity.name
            for abbr in entity.abbreviations:
                self._abbreviations[abbr] = entity.name
        self._parents: dict[str, set[str]] = {}
        for entity in self.entities.values():
            for parent in entity.broader:
                self._parents.setdefault(entity.name, set()).add(self.canonical(parent) or parent.lower())
            for child in entity.narrower:
                self._parents.setdefault(self.canonical(child) or child.lower(), set()).add(entity.name)

    def canonical(self, surface: str) -> str | None:
        """The canonical name for a surface form, or None when unknown."""
        if surface in self._abbreviations:
            return self._abbreviations[surface]
        key = surface.lower()
        return self._surfaces.get(key) or self.detected.get(key) or self.detected.get(surface)

    def type_of(self, name: str) -> str:
        entity = self.entities.get(name)
        if entity:
            return entity.type
        return self.detected_types.get(name, "other")

    def ancestors(self, name: str) -> set[str]:
        """Every broader term of ``name``, transitively."""
        seen: set[str] = set()
        todo = [name]
        while todo:
            for parent in self._parents.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen

    def relation(self, a: str, b: str) -> str | None:
        """'same', 'narrower' (a is narrower than b), 'broader', or None."""
        if a == b:
            return "same"
        if b in self.ancestors(a):
            return "narrower"
        if a in self.ancestors(b):
            return "broader"
        return None

    def term_rows(self) -> list[list]:
        """[surface, canonical, is_abbreviation] rows for the term tagger, sorted."""
        rows = {(s, c, False) for s, c in self._surfaces.items()}
        rows |= {(a, c, True) for a, c in self._abbreviations.items()}
        for surface, canonical in self.detected.items():
            rows.add((surface, canonical, surface.isupper() or any(ch.isdigit() for ch in surface)))
        return [list(r) for r in sorted(rows)]

    def with_detected(self, detected: dict[str, str], types: dict[str, str] | None = None) -> "Vocabulary":
        """A copy that also knows surfaces detected in the documents (and the types guessed for them)."""
        merged = dict(self.detected)
        for surface, canonical in detected.items():
            if self.canonical(surface) is None:
                merged[surface] = canonical
        return Vocabulary(self.entities, self.digest, merged, {**self.detected_types, **(types or {})})

    def is_known(self, surface: str) -> bool:
        return self.canonical(surface) is not None


def _string_list(record: dict, key: str, name: str, line: int) -> tuple[str, ...]:
    value = record.get(key, [])
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) and str(v).strip() for v in value):
        raise DataFileError(f"entity {record.get('name')!r}: {key} must be a list of strings", path=name, line=line)
    return tuple(str(v).strip() for v in value)


def parse_vocabulary(text: str, name: str) -> Vocabulary:
    """Parse ``vocabulary.yaml``: a top-level ``entities`` list; unknown keys are errors."""
    data = parse_yaml(text, name)
    if data is None:
        return Vocabulary(digest=hashlib.sha256(text.encode()).hexdigest())
    if not isinstance(data, dict) or set(data) - {"entities"}:
        raise DataFileError("expected a mapping with one key, 'entities'", path=name, line=1)
    import yaml

    node = yaml.compose(text, Loader=yaml.SafeLoader)
    entity_nodes = []
    for key_node, value_node in node.value:
        if key_node.value == "entities" and isinstance(value_node, yaml.SequenceNode):
            entity_nodes = value_node.value
    records = data.get("entities") or []
    if not isinstance(records, list):
        raise DataFileError("'entities' must be a list", path=name, line=1)
    entities: dict[str, Entity] = {}
    for i, record in enumerate(records):
        line = entity_nodes[i].start_mark.line + 1 if i < len(entity_nodes) else 0
        if not isinstance(record, dict):
            raise DataFileError("each entity must be a mapping", path=name, line=line)
        check_keys(record, required={"name"}, optional=_ENTITY_KEYS - {"name"}, name=name, line=line)
        canonical = str(record["name"]).strip().lower()
        if not canonical:
            raise DataFileError("entity with an empty name", path=name, line=line)
        etype = str(record.get("type", "other"))
        if etype not in ENTITY_TYPES:
            raise DataFileError(
                f"entity {canonical!r}: unknown type {etype!r} (valid: {', '.join(ENTITY_TYPES)})", path=name, line=line
            )
        if canonical in entities:
            raise DataFileError(f"duplicate entity {canonical!r}", path=name, line=line)
        entities[canonical] = Entity(
            name=canonical,
            type=etype,
            aliases=_string_list(record, "aliases", name, line),
            abbreviations=_string_list(record, "abbreviations", name, line),
            broader=tuple(s.lower() for s in _string_list(record, "broader", name, line)),
            narrower=tuple(s.lower() for s in _string_list(record, "narrower", name, line)),
        )
    return Vocabulary(entities, hashlib.sha256(text.encode()).hexdigest())


def load_vocabulary(path: Path | None) -> Vocabulary:
    """The vocabulary at ``path``; an empty one when ``path`` is None."""
    if path is None:
        return Vocabulary()
    return parse_vocabulary(read_text(path), str(path))


# --- abbreviation detection (Schwartz & Hearst 2003) -------------------------------------------

_PAREN = re.compile(r"\(([A-Za-z][A-Za-z0-9\-]{1,9})\)")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-']*")


def _initials_form(short: str, words: list[str]) -> str | None:
    """The words right before '(SF)' whose initials spell the short form, a plural 's' aside: "proton
    pump inhibitors (PPIs)". Schwartz-Hearst alone would take "pump inhibitors" (both P's in "pump")."""
    letters = [ch.lower() for ch in short if ch.isalpha()]
    if len(letters) > 2 and short.endswith("s") and short[:-1].isupper():
        letters = letters[:-1]
    tail = words[-len(letters) :] if 1 < len(letters) <= len(words) else []
    if tail and all(word[0].lower() == ch for word, ch in zip(tail, letters)):
        return " ".join(tail)
    return None


def _best_long_form(short: str, candidate: str) -> str | None:
    """Schwartz-Hearst: match the short form's characters right to left inside the candidate."""
    s, l = len(short) - 1, len(candidate) - 1
    while s >= 0:
        ch = short[s].lower()
        if not ch.isalnum():
            s -= 1
            continue
        while l >= 0 and (
            candidate[l].lower() != ch or (s == 0 and l > 0 and candidate[l - 1].isalnum())
        ):
            l -= 1
        if l < 0:
            return None
        l -= 1
        s -= 1
    start = candidate.rfind(" ", 0, l + 1) + 1
    return candidate[start:].strip()


def detect_abbreviations(text: str) -> dict[str, str]:
    """Pairs 'long form (SF)' in ``text``: {short form: long form (lowercase)}."""
    found: dict[str, str] = {}
    for match in _PAREN.finditer(text):
        short = match.group(1)
        if not any(ch.isupper() for ch in short) or sum(ch.isalpha() for ch in short) < 2:
            continue
        words = _WORD.findall(text[max(0, match.start() - 160) : match.start()])
        window = words[-min(len(short) + 5, 2 * len(short)) :]
        if not window:
            continue
        long_form = _initials_form(short, window) or _best_long_form(short, " ".join(window))
        if not long_form or len(long_form) <= len(short) or long_form.lower() == short.lower():
            continue
        if len(long_form.split()) > len(short) + 5:
            continue
        found.setdefault(short, long_form.lower())
    return found


# --- spelling variants ---------------------------------------------------------------------------

# An acronym-like word on its own, or with a subtype number ("CRPS-1"): not a piece of a longer code
# ("PLB-985", "PLB-IIIB", "SMX-NHOH", a cell line or a compound), which is no misspelling of anything.
_ACRONYM = re.compile(r"(?<![A-Z0-9]-)\b[A-Z][A-Z0-9]{2,7}\b(?!-(?!(?:1|2|I|II)\b)[A-Z0-9])")


@dataclass(frozen=True, slots=True)
class Variant:
    """A surface that looks like a misspelling of a known term."""

    surface: str
    canonical: str  # the known surface it is close to
    entity: str


def find_variants(acronym_counts: Counter[str], vocabulary: Vocabulary) -> list[Variant]:
    """Acronym-like tokens one transposition or substitution away from a more frequent known one.

    ``acronym_counts``: how often each acronym-like token occurs in the corpus (``TermSummary.acronyms``).
    """
    counts = acronym_counts
    by_length: dict[int, list[str]] = {}
    for target in sorted(s for s in counts if vocabulary.is_known(s)):
        by_length.setdefault(len(target), []).append(target)
    variants = []
    for surface, n in sorted(counts.items()):
        if vocabulary.is_known(surface):
            continue
        for target in by_length.get(len(surface), ()):
            if target[0] == surface[0] and sorted(target) == sorted(surface) and counts[target] > n:
                if OSA.distance(surface, target) == 1:
                    variants.append(Variant(surface, target, vocabulary.canonical(target) or target.lower()))
                    break
            if (
                len(target) >= 4
                and target[0] == surface[0]
                and target[-1] == surface[-1]
                and counts[target] >= 3 * n
                and OSA.distance(surface, target) == 1
            ):
                variants.append(Variant(surface, target, vocabulary.canonical(target) or target.lower()))
                break
    return variants


_NUMBERED = re.compile(r"\b([A-Z][A-Za-z0-9]{1,9})[- ]?(?:type[- ]?)?(?:1|2|I|II|one|two)\b")


def numbered_candidates(text: str) -> list[tuple[str, str]]:
    """Numbered forms in ``text`` ('CRPS-1', 'CRPS type I') with their base, in order of first occurrence."""
    out: dict[str, str] = {}
    for match in _NUMBERED.finditer(text):
        surface, base = match.group(0), match.group(1)
        if surface != base:
            out.setdefault(surface, base)
    return list(out.items())


def numbered_aliases(candidates: Iterable[tuple[str, str]], vocabulary: Vocabulary) -> dict[str, str]:
    """'CRPS-1', 'CRPS type I' for a known 'CRPS': the same entity, subtype noted in the surface.

    ``candidates``: (surface, base) pairs from ``numbered_candidates``.
    """
    out = {}
    for surface, base in candidates:
        if surface not in out and vocabulary.canonical(base) and not vocabulary.is_known(surface):
            out[surface] = vocabulary.canonical(base) or base
    return dict(sorted(out.items()))


@dataclass(frozen=True, slots=True)
class TermSummary:
    """What one text contributes to the learned vocabulary. It depends on the text alone, never on a
    vocabulary, so it can be cached by content hash and the corpus-wide learning redone cheaply."""

    abbreviations: tuple[tuple[str, str], ...]  # (short form, long form), as detect_abbreviations
    numbered: tuple[tuple[str, str], ...]  # (surface, base), as numbered_candidates
    acronyms: tuple[tuple[str, int], ...]  # acronym-like tokens and how often they occur

    def to_json(self) -> list:
        return [list(map(list, self.abbreviations)), list(map(list, self.numbered)), list(map(list, self.acronyms))]

    @classmethod
    def from_json(cls, data: list) -> TermSummary:
        abbreviations, numbered, acronyms = data
        return cls(
            tuple((str(a), str(b)) for a, b in abbreviations),
            tuple((str(a), str(b)) for a, b in numbered),
            tuple((str(a), int(n)) for a, n in acronyms),
        )


def summarize_terms(text: str) -> TermSummary:
    return TermSummary(
        tuple(detect_abbreviations(text).items()),
        tuple(numbered_candidates(text)),
        tuple(sorted(Counter(_ACRONYM.findall(text)).items())),
    )
