"""claimaudit_lexicon: marks aspect, predicate, duration and scope phrases as labelled spans."""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from claimaudit.nlp.lexicon import Lexicon, default_lexicon
from claimaudit.nlp.tokens import lowers

SPAN_KEY = "claimaudit_lexicon"

# After these prepositions a participle or comparative describes a noun, it asserts no change: "at lower
# levels", "in activated T cells", "from stimulated cells" (but "with reduced risk" may claim one).
_MODIFIER_AFTER = frozenset({"at", "in", "from", "for", "of"})


class LexiconTagger:
    """Phrase matches of the lexicon; overlapping matches of one kind keep the longest."""

    def __init__(self, nlp: Language, name: str, lexicon: Lexicon) -> None:
        self.name = name
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        by_label: dict[str, list[str]] = {}
        for label, phrase in lexicon.phrase_table():
            by_label.setdefault(label, []).append(phrase)
        for label, phrases in by_label.items():
            self.matcher.add(label, list(nlp.tokenizer.pipe(phrases)))

    def __call__(self, doc: Doc) -> Doc:
        strings = doc.vocab.strings
        by_kind: dict[str, list[Span]] = {}
        low = None
        for match_id, start, end in self.matcher(doc):
            label = strings[match_id]
            if label.startswith("PRED|") and start and end - start == 1:
                low = low or lowers(doc)
                if low[start - 1] in _MODIFIER_AFTER and low[start].endswith(("ed", "er")):
                    continue
            by_kind.setdefault(label.split("|", 1)[0], []).append(Span(doc, start, end, label=label))
        spans: list[Span] = []
        for kind in sorted(by_kind):
            spans.extend(filter_spans(by_kind[kind]))
        spans.sort(key=lambda s: (s.start, s.end, s.label_))
        doc.spans[SPAN_KEY] = spans
        return doc


@Language.factory("claimaudit_lexicon", default_config={}, assigns=["doc.spans"])
def make_lexicon_tagger(nlp: Language, name: str) -> LexiconTagger:
    return LexiconTagger(nlp, name, default_lexicon())
