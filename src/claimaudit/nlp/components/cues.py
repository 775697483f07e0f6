"""claimaudit_cues: marks negation, certainty and evidence cues as spans with their rule ids."""

from __future__ import annotations

from itertools import product

from spacy.errors import MatchPatternError
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


class CueTagger:
    """Runs every cue rule; keeps the longest match where cues overlap (so 'not enough evidence'
    is one insufficient-evidence cue, not a negation)."""

    def __init__(self, nlp: Language, name: str, rules: tuple[CueRule, ...]) -> None:
        self.name = name
        self.rules = {rule.id: rule for rule in rules}
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.matcher = Matcher(nlp.vocab)
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

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        strings = doc.vocab.strings
        for match_id, start, end in list(self.phrases(doc)) + list(self.matcher(doc)):
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
