"""claimaudit_cues: marks negation, certainty and evidence cues as spans with their rule ids."""

from __future__ import annotations

import re
from itertools import product

from spacy.attrs import LOWER
from spacy.errors import MatchPatternError
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from claimaudit.errors import DataFileError
from claimaudit.nlp.rules import CueRule, default_rules, parse_rules, thaw

SPAN_KEY = "claimaudit_cues"
MAX_EXPANSION = 2000  # phrases one token pattern may expand to before it stays a Matcher pattern


def expand(pattern: list[dict]) -> list[list[str]] | None:
    """The lower-case word sequences a simple token pattern matches, or None when it is not simple.

    Simple: every token is {LOWER|ORTH: word} or {LOWER|ORTH: {IN: [...]}}, optionally with OP "?".
    Such patterns run in the PhraseMatcher (hash lookups) instead of the Matcher's state machine,
    which on a large corpus is many times slower.
    """
    choices: list[list[str | None]] = []
    for token in pattern:
        op = token.get("OP")
        keys = set(token) - {"OP"}
        if op not in (None, "?") or len(keys) != 1 or not keys <= {"LOWER", "ORTH"}:
            return None
        value = token[keys.pop()]
        if isinstance(value, str):
            words = [value.lower()]
        elif isinstance(value, dict) and set(value) == {"IN"} and all(isinstance(v, str) for v in value["IN"]):
            words = [v.lower() for v in value["IN"]]
        else:
            return None
        choices.append(words + ([None] if op == "?" else []))
    total = 1
    for words in choices:
        total *= len(words)
    if total > MAX_EXPANSION:
        return None
    phrases = [[w for w in combo if w is not None] for combo in product(*choices)]
    return [p for p in phrases if p]


def anchor_words(pattern: list[dict]) -> set[str] | None:
    """Lower-case words one of which a match of ``pattern`` contains: those of its most selective
    required token ({LOWER|ORTH: word or {IN: [...]}}, without OP), judged by the share of stop
    words, then the shortest word (frequent words are short); None when no token is constrained."""
    candidates = []
    for token in pattern:
        if "OP" in token:
            continue
        for key in ("LOWER", "ORTH"):
            value = token.get(key)
            if isinstance(value, str):
                candidates.append({value.lower()})
            elif isinstance(value, dict) and set(value) == {"IN"} and all(isinstance(v, str) for v in value["IN"]):
                candidates.append({v.lower() for v in value["IN"]} or {""})  # IN []: matches nothing
    return max(
        candidates,
        key=lambda words: (-len(words & STOP_WORDS) / len(words), min(map(len, words)), -len(words)),
        default=None,
    )


def max_length(pattern: list[dict]) -> int | None:
    """Most tokens a match of ``pattern`` can have; None when unbounded (OP "+", "*", "{n,}")."""
    total = 0
    for token in pattern:
        op = token.get("OP")
        if op in (None, "?", "!"):
            total += 1
            continue
        bounds = re.fullmatch(r"\{(\d*)(?:,(\d*))?\}", str(op))
        if bounds is None or bounds.group(2) == "":
            return None
        total += int(bounds.group(2) if bounds.group(2) is not None else bounds.group(1))
    return total


class CueTagger:
    """Runs every cue rule; keeps the longest match where cues overlap (so 'not enough evidence'
    is one insufficient-evidence cue, not a negation).

    Simple rules run in a PhraseMatcher. The others run in a Matcher, whose state machine costs
    a few microseconds per token: it only runs in windows around the tokens that are one of the
    rules' ``anchor_words`` (when every such rule has them and a bounded length; else on whole docs)."""

    def __init__(self, nlp: Language, name: str, rules: tuple[CueRule, ...]) -> None:
        self.name = name
        self.rules = {rule.id: rule for rule in rules}
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.matcher = Matcher(nlp.vocab)
        self.anchors: set[int] | None = set()  # LOWER hashes; None: the Matcher runs on whole docs
        self.reach = 0  # tokens a Matcher match may extend from an anchor
        # grades and doubts said after their noun, with a gap ({"OP": "{0,8}"}): the cue is what follows
        # the gap ("the evidence for X in Y is weak" marks "is weak", and X stays readable as the
        # subject); a negation keeps its whole trigger ("keeps glutamate from"), its scope follows it
        self.gaps: dict[str, int] = {}
        validator = Matcher(nlp.vocab, validate=True)
        for rule in rules:
            if rule.pattern is None:
                self.phrases.add(rule.id, [nlp.make_doc(rule.literal)])
                continue
            pattern = [{"LOWER": {"REGEX": rule.pattern}}] if isinstance(rule.pattern, str) else thaw(rule.pattern)
            try:
                validator.add(rule.id, [pattern])
            except (MatchPatternError, ValueError) as exc:
                detail = str(exc).strip().splitlines()[-1].strip()
                raise DataFileError(f"rule {rule.id}: invalid pattern: {detail}", path="cues", line=rule.line) from None
            phrases = expand(pattern)
            if phrases is not None:
                self.phrases.add(rule.id, [Doc(nlp.vocab, words=words) for words in phrases])
            else:
                self.matcher.add(rule.id, [pattern])
                gaps = [k for k, token in enumerate(pattern) if re.fullmatch(r"\{\d*,\d*\}", str(token.get("OP", "")))]
                if gaps and rule.category != "NEGATION":
                    self.gaps[rule.id] = gaps[-1]
                words, length = anchor_words(pattern), max_length(pattern)
                if words is None or length is None or self.anchors is None:
                    self.anchors = None
                else:
                    self.anchors.update(nlp.vocab.strings.add(w) for w in words)
                    self.reach = max(self.reach, length)

    def _matcher_matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        """The Matcher's matches: over the whole doc, or only around the tokens that are anchors; a
        match of a rule with a gap starts after its gap."""
        if self.anchors is None:
            return self._trimmed(doc, 0)
        if not self.anchors:
            return []
        anchors = self.anchors
        windows: list[list[int]] = []
        for i in [i for i, h in enumerate(doc.to_array(LOWER).tolist()) if h in anchors]:
            lo, hi = max(0, i - self.reach + 1), min(len(doc), i + self.reach)
            if windows and lo <= windows[-1][1]:
                windows[-1][1] = hi
            else:
                windows.append([lo, hi])
        return [match for lo, hi in windows for match in self._trimmed(doc[lo:hi], lo)]

    def _trimmed(self, doclike: Doc | Span, offset: int) -> list[tuple[int, int, int]]:
        if not self.gaps:
            return [(m, offset + s, offset + e) for m, s, e in self.matcher(doclike)]
        strings = self.matcher.vocab.strings
        out = []
        for m, s, e, aligned in self.matcher(doclike, with_alignments=True):
            gap = self.gaps.get(strings[m])
            if gap is not None:
                s += sum(1 for k in aligned if k <= gap)
            out.append((m, offset + s, offset + e))
        return out

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        strings = doc.vocab.strings
        for match_id, start, end in list(self.phrases(doc)) + self._matcher_matches(doc):
            rule = self.rules[strings[match_id]]
            spans.append(Span(doc, start, end, label=rule.category, span_id=rule.id))
        doc.spans[SPAN_KEY] = filter_spans(sorted(spans, key=lambda s: (s.start, -s.end, s.id_)))
        return doc


@Language.factory(
    "claimaudit_cues",
    default_config={"rules_text": ""},
    assigns=["doc.spans"],
)
def make_cue_tagger(nlp: Language, name: str, rules_text: str) -> CueTagger:
    """Cue rules from the package; ``rules_text`` (YAML) adds user rules after them."""
    rules = default_rules()
    if rules_text:
        rules = rules + parse_rules(rules_text, "cues (user)")
    return CueTagger(nlp, name, rules)
