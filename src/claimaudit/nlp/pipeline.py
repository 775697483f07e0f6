"""The NLP pipeline: blank English (or a user's trained pipeline) plus claimaudit's rule components."""

from __future__ import annotations

import spacy
from spacy.lang.char_classes import ALPHA, ALPHA_LOWER, ALPHA_UPPER, CONCAT_QUOTES, LIST_ELLIPSES, LIST_ICONS
from spacy.lang.en import English
from spacy.language import Language
from spacy.util import compile_infix_regex

from claimaudit.errors import InputError
from claimaudit.nlp.components import cues as _cues  # noqa: F401 - registers claimaudit_cues
from claimaudit.nlp.components import lexicon as _lexicon  # noqa: F401 - registers claimaudit_lexicon
from claimaudit.nlp.components import terms as _terms  # noqa: F401 - registers claimaudit_terms

RULE_COMPONENTS = ("claimaudit_terms", "claimaudit_cues", "claimaudit_lexicon")
_KEEP = {"tok2vec", "transformer", "tagger", "morphologizer", "attribute_ruler", "lemmatizer", "parser", "senter", "sentencizer"}


# spaCy's English infixes without the rule that splits letters joined by a hyphen, so that names
# like "L-arginine", "N-methyl-D-aspartate" and qualifiers like "low-dose" stay one token.
_INFIXES = (
    *LIST_ELLIPSES,
    *LIST_ICONS,
    r"(?<=[0-9])[+\-\*^](?=[0-9-])",
    r"(?<=[{al}{q}])\.(?=[{au}{q}])".format(al=ALPHA_LOWER, au=ALPHA_UPPER, q=CONCAT_QUOTES),
    r"(?<=[{a}]),(?=[{a}])".format(a=ALPHA),
    r"(?<=[{a}0-9])[:<>=/](?=[{a}])".format(a=ALPHA),
)


def _keep_hyphenated_words(nlp: Language) -> None:
    nlp.tokenizer.infix_finditer = compile_infix_regex(_INFIXES).finditer


class _Defaults(English.Defaults):
    infixes = _INFIXES


class _BlankEnglish(English):
    """``spacy.blank("en")`` with claimaudit's infixes from the start: setting them afterwards makes
    the tokenizer load its 2,700 special cases a second time (a tenth of a second per process)."""

    Defaults = _Defaults


def build_nlp(*, model: str | None = None, terms: list[list] | None = None) -> Language:
    """blank('en') + sentencizer + rule components; with ``model``, that pipeline + the missing parts.

    A trained pipeline keeps its tagger and parser (sentence boundaries, parts of speech); its NER is
    disabled, since claimaudit's terms come from the vocabulary.
    """
    if model:
        try:
            nlp = spacy.load(model, exclude=["ner", "entity_ruler", "entity_linker", "textcat", "textcat_multilabel", "spancat"])
        except (OSError, ImportError, ValueError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise InputError(f"cannot load spaCy pipeline {model!r}: {first}") from None
        if nlp.lang != "en":
            raise InputError(f"spaCy pipeline {model!r} is for language {nlp.lang!r}; claimaudit reads English")
        for name in list(nlp.pipe_names):
            if name not in _KEEP:
                nlp.remove_pipe(name)
        if not any(nlp.has_pipe(p) for p in ("parser", "senter", "sentencizer")):
            nlp.add_pipe("sentencizer")
        _keep_hyphenated_words(nlp)
    else:
        nlp = _BlankEnglish()
        nlp.add_pipe("sentencizer")
    nlp.add_pipe("claimaudit_terms", config={"terms": terms or []})
    nlp.add_pipe("claimaudit_cues")
    nlp.add_pipe("claimaudit_lexicon")
    return nlp


def with_terms(nlp: Language, terms: list[list]) -> Language:
    """``nlp`` (from :func:`build_nlp`) with its term tagger replaced by one for ``terms``."""
    nlp.replace_pipe("claimaudit_terms", "claimaudit_terms", config={"terms": terms})
    return nlp
