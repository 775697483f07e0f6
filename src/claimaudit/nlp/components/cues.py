"""claimaudit_cues: marks negation, certainty and evidence cues as spans with their rule ids."""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.errors import MatchPatternError
from spacy.util import filter_spans

from claimaudit.errors import DataFileError

from claimaudit.nlp.rules import CueRule, default_rules, parse_rules, thaw

SPAN_KEY = "claimaudit_cues"


class CueTagger:
    """Runs every cue rule; keeps the longest match where cues overlap (so 'not enough evidence'
    is one insufficient-evidence cue, not a negation)."""

    def __init__(self, nlp: Language, name: str, rules: tuple[CueRule, ...]) -> None:
        self.name = name
        self.rules = {rule.id: rule for rule in rules}
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.matcher = Matcher(nlp.vocab, validate=True)
        for rule in rules:
            if rule.pattern is None:
                self.phrases.add(rule.id, [nlp.make_doc(rule.literal)])
                continue
            pattern = [{"LOWER": {"REGEX": rule.pattern}}] if isinstance(rule.pattern, str) else thaw(rule.pattern)
            try:
                self.matcher.add(rule.id, [pattern])
            except (MatchPatternError, ValueError) as exc:
                detail = str(exc).strip().splitlines()[-1].strip()
                raise DataFileError(f"rule {rule.id}: invalid pattern: {detail}", path="cues", line=rule.line) from None

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        strings = doc.vocab.strings
        for match_id, start, end in list(self.phrases(doc)) + list(self.matcher(doc)):
            rule = self.rules[strings[match_id]]
            spans.append(Span(doc, start, end, label=rule.category, span_id=rule.id))
        doc.spans[SPAN_KEY] = filter_spans(spans)
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
