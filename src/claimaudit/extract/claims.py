"""Claim records from tagged sentences: subject, aspect, scope, polarity, certainty, quantities."""

from __future__ import annotations

import functools
import hashlib
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Span

from claimaudit.extract.attribution import NONE as NO_ATTRIBUTION
from claimaudit.extract.attribution import Attribution, read_attribution
from claimaudit.extract.subject import (
    ANAPHOR,
    LY_NOUNS,
    PEOPLE,
    SubjectReading,
    anaphor_head,
    blocked_tokens,
    clause_start,
    content_run,
    later_subject,
    measured_thing,
    people_object,
    predicate_index,
    read_subject,
    subject_variant,
    term_name,
    term_reading,
)
from claimaudit.nlp.components.cues import SPAN_KEY as CUES
from claimaudit.nlp.components.lexicon import SPAN_KEY as LEXICON
from claimaudit.nlp.components.terms import SPAN_KEY as TERMS
from claimaudit.nlp.lexicon import Lexicon
from claimaudit.nlp.tokens import lowers, span_text
from claimaudit.normalize.certainty import read_certainty
from claimaudit.normalize.negation import SCOPE_BREAKS, negating_cue, negation_scopes
from claimaudit.normalize.quantities import denied_bound
from claimaudit.normalize.scope import OBJECT_CONNECTORS, condition_mentions, object_parts, read_qualifiers, singular
from claimaudit.normalize.terms import Vocabulary
from claimaudit.records import Claim, Cue, Quantity, TextView
from claimaudit.wordregex import initials, prefix_tree

# Which predicate families can carry each aspect's polarity.
ASPECT_PREDICATES = {
    "approval": ("approve",),
    "recommendation": ("recommend", "discourage"),
    "safety": ("safe", "harmful", "adverse", "cause", "addictive"),
    "efficacy": ("effective", "ineffective", "decrease", "increase", "improve"),
    "mechanism": ("increase", "decrease"),
    "effect": ("increase", "decrease", "cause"),
}
TIME_ROLE_ASPECT = "duration"
# a dosing interval ("every 12 weeks"), a count of doses and the age a schedule starts at too
DOSE_ROLES = ("dose", "dose_rate", "interval", "dose_count", "start_age")
_ADMINISTRATION = re.compile(
    r"\b(?:infus\w*|inject\w*|administ\w*|drip|given|over the course of|sessions?|procedures?|appointments?|visits?)\b", re.I
)
_TAKEN = re.compile(r"\b(?:taken|take|takes|used|uses|prescribed)\b", re.I)
_RELIEF = re.compile(
    r"\b(?:relie\w*|effects?|benefits?|results?|analgesi\w*|sustained|improvement"
    r"|(?:reduc\w*|eas(?:e|es|ed|ing)|improv\w*)(?:\s+\w+){0,2}\s+(?:pain|symptoms?))\b",  # "may reduce pain for 12 months"
    re.I,
)
_LASTS = re.compile(r"\b(?:lasts?|lasted|lasting)\b", re.I)  # relief, unless an infusion is what lasts
_CONDITION_LAST = re.compile(
    r"\b(?:pain|symptoms?|condition|disease|disorder)\s+(?:that\s+|must\s+|to\s+|has\s+|have\s+)?(?:lasts?|persists?|last(?:ing|ed)?|persisted)\b", re.I
)
_OF_INFUSIONS = re.compile(r"^\s*of\s+(?:\w+\s+)?(?:infusions?|injections?|treatments?|therapy|sessions?)\b", re.I)
_IT_TAKES = re.compile(r"\b(?:take|takes|took|taking)\s+(?:up\s+to\s+|about\s+|around\s+|at\s+least\s+|as\s+long\s+as\s+)?$", re.I)
_EVERY_BEFORE = re.compile(r"\bevery\s+$", re.I)
_OF_AFTER = re.compile(r"\s+of\b", re.I)
_RELATIVE_BEFORE = re.compile(r"\b(?:who|that|which)\s+(?:\w+\s+)?$", re.I)
_SCHEDULE_WORDS = re.compile(
    r"\b(?:should|must|need|needs|needed|take|taken|takes|given|give|get|done|repeat|repeated|scheduled|"
    r"recommended|doses?|injections?|shots?|have\s+one|had\s+one)\b",
    re.I,
)
_EVERY_UNIT = re.compile(r"\bevery\s+(?P<other>other\s+)?(?P<unit>day|week|month|year)\b", re.I)
# an age that something starts at ("starting at age 45", "should begin at age 50", "from age 9")
_STARTS_AT = re.compile(
    r"\b(?:(?:start|starts|starting|started|begin|begins|beginning|began)\s+(?:[\w-]+\s+){0,2}?at|from)\s+"
    r"(?:the\s+)?(?:age\s+(?:of\s+)?)?$",
    re.I,
)  # "start mammograms at age 40"
_EVERY_IN = re.compile(r"\bevery\b", re.I)  # a comparator that ends in "every" ("more often than every")
_APART_AFTER = re.compile(r"\s*apart\b", re.I)
_UNTIL_AFTER = re.compile(r"\s*(?:(?:after|of)\s+\w+\s+)?(?:for\s+[^,.;:]{0,40}?\bto\s|before\b|until\b|to\s+(?:start|begin|work|take\s+effect)\b)", re.I)
_PERIOD_BEFORE = re.compile(r"\bthe\s+(?:first|last|final|past|next|previous|initial|early|later|remaining)\s+$", re.I)
_OF_STARTING = re.compile(r"^\s*(?:of|after)\s+(?:starting|beginning|initiating|commencing|the\s+(?:start|beginning)\s+of)\b", re.I)
_ONSET = re.compile(r"\b(?:after|within|in)\s+(?:just\s+|only\s+|as\s+little\s+as\s+|as\s+few\s+as\s+)?$", re.I)
_WEARS_OFF = re.compile(r"\b(?:wears?|wore|worn|wearing)\s+off\s+(?:(?:within|after|in)\s+)?$", re.I)
_ADVERSE = re.compile(r"\b(?:side|adverse|unwanted)\b", re.I)  # "side effects wear off within days": no relief
_OF_RELIEF = re.compile(r"^\s*of\s+(?:\w+\s+){0,2}(?:relief|analgesia|benefit|improvement|remission|effect)\b", re.I)
_COURSE = re.compile(r"\b(?:course|series|repeated|daily|sessions?|cycles?)\b", re.I)
_TABLE_KEY = re.compile(r"\s*:")
_HINT_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred dozen "
    "half several few couple every".split()
)
_NUMBER_HINT = re.compile(
    rf"\d|\b(?={initials([*_HINT_WORDS, 'a'])})(?:{prefix_tree(_HINT_WORDS)}"
    r"|an?\s+(?:second|minute|hour|day|week|month|year|decade|third|quarter|fifth|tenth)|every\s+(?:other\s+)?(?:day|week|month|year))\b",
    re.I,
)
_BACK_REFERENCE = re.compile(r"(?:the|this|these|its|their)\s+(?:document|study|review|paper|article|guidelines?|authors|report)$")
_COPULA = frozenset({"is", "are", "was", "were", "be", "been", "remain", "remains", "seem", "seems", "appear", "appears"})
_CONDITIONAL = frozenset({"if", "unless", "whether"})
# Words that open a clause stating when, or for whom, the main clause holds ("X is used when other
# treatments are not effective", "for patients who do not respond"): what that clause says is not the claim.
_SUBORDINATORS = _CONDITIONAL | {"when", "whenever", "who", "whom"}
# Predicates that judge a treatment: a negation before one denies it, not a later aspect word.
_VERDICTS = frozenset({"PRED|approve", "PRED|recommend", "PRED|discourage"})
# Last words of the names of bodies that approve or recommend ("the American College of Physicians").
_AGENCY_HEADS = frozenset(
    """college colleges association associations society societies academy academies institute institutes
    organization organisation agency agencies administration board council committee panel force
    federation foundation ministry department service centers centres center centre commission""".split()
)
_CLAUSE_ENDS = frozenset({",", ";", ":", "but", "whereas", "although"})
_QUESTION_WORDS = frozenset(
    "what why how when who which where whose does do did is are can could should will would".split()
)
_COMPARATIVE = frozenset({"more", "less", "longer", "shorter", "greater", "fewer", "most"})
# Words that end a predicate's object: a new clause or an adjunct ("in T cells", "during activation").
_OBJECT_BREAKS = frozenset(
    {
        "and", "or", "but", "by", "in", "for", "with", "after", "which", "that", "when", "while", "during", "at",
        "on", "from", "through", "via", "among", "within", "than", "because", "since", "as", "whereas",
        "although", "if", "unless", "until", "before", "upon", "following", "without", "despite",
        "compared", "versus", "vs", "vs.", "relative",
        # a verb of the sentence: the predicate stood in its subject ("The evidence that X shortens colds is")
        "is", "are", "was", "were",
    }
)
_COORDINATORS = frozenset({"and", "or", "but"})
# Of those, the ones that open an adjunct even right after the predicate (unlike "increase in blood
# pressure", "helps with pain", "acts on receptors"): the predicate then has no object.
_ADJUNCT_FIRST = _OBJECT_BREAKS - _COORDINATORS - {"in", "for", "with", "on"}
# Punctuation right after a predicate: its clause ends there, with no object.
_PUNCTUATION_ENDS = frozenset({",", ";", ":", ".", "!", "?", "—", "–"})
# Modals and auxiliaries after "and": a second predicate, not an object ("not safe and should be avoided").
_MODALS = frozenset("should must can could may might will would is are was were has have".split())
# Words a number completes in a name ("type 2 diabetes", "stage 3 cancer")
_NUMBERED_KINDS = frozenset({"type", "stage", "grade", "class", "phase", "level"})
# ordinals ("a second heart attack", "the 2nd dose") are part of an object; spaCy reads them like numbers
_ORDINAL = re.compile(r"(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)$")
# Predicates that carry their own negation ("not advised", "no benefit").
_NEGATIVE_PREDICATES = frozenset({"discourage", "ineffective"})
_RISK_LEVELS = frozenset({"average", "high", "higher", "low", "lower", "increased", "elevated", "greater", "particular"})
_NULL_COMPARATORS = frozenset({"placebo", "placebos", "sham", "nothing", "control", "controls"})
_UNIVERSALS = frozenset({"every", "everyone", "everybody", "all", "always"})


@dataclass(slots=True)
class BlockUnit:
    """One block as processed: the tagged doc of its view, where the block proper begins in it."""

    kind: str
    view: TextView
    doc: Doc
    focus: int = 0  # view offset where the block's own text starts (after a list intro)
    heading: str = ""


@dataclass(slots=True)
class _Sentence:
    """A sentence with its cue, lexicon and term spans; its predicate and subject once read."""

    sent: Span
    cues: list[Span] = field(default_factory=list)
    lex: list[Span] = field(default_factory=list)
    terms: list[Span] = field(default_factory=list)
    pred: int = -1
    subject: SubjectReading | None = None  # None: not worth reading (no cue, aspect or number)
    advice: Span | None = None  # advice against, addressed to the reader ("Do not give"): its words


@dataclass(slots=True)
class _Context:
    """What earlier sentences of the document established."""

    main_subject: str = ""
    heading_subject: dict[str, str] = field(default_factory=dict)
    heading_conditions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    heading_population: dict[str, str] = field(default_factory=dict)
    previous_subject: str = ""
    previous_attribution: Attribution = NO_ATTRIBUTION
    previous_conditions: tuple[str, ...] = ()


QuantityReader = Callable[[str], list[Quantity]]

# What advice against taking may be about that is an amount, not a thing: "Do not take more than 4 g"
_AMOUNT_WORDS = frozenset(
    "more over above up less fewer extra double another any higher larger two three several a an".split()
)
# Words of advice about taking two things together ("Don't give both at the same time", "Do not take
# ibuprofen and aspirin together"): advice on the combination, not against either thing.
_TOGETHER_WORDS = frozenset({"both", "together", "simultaneously", "combined"})
_ADVICE_ENDS = frozenset({":", ";", "."})  # the end of the advice's clause


@functools.lru_cache(maxsize=8)
def _singular_heads(heads: frozenset[str]) -> frozenset[str]:
    """The singulars of a lexicon's condition heads (once per lexicon, not once per document)."""
    return frozenset(singular(w) for w in heads)


# What may stand between a negation and the bound it denies: its verb ("should not take more than", "not
# be given more than", "not be used for more than"), not a clause ("did not respond received more than").
_NEGATED_VERB = re.compile(r"\s*(?:(?:be|been|being|get)\s+)?(?:[A-Za-z]+\s+)?(?:for\s+)?", re.I)


_QUOTE_CHARS = frozenset('"“”')
_SCARE_QUOTE_WORDS = 5  # at most this many tokens between quotation marks: someone's words, not a claim


def _drop_quoted_words(row: _Sentence) -> None:
    """Predicates, aspects and cues inside a short quotation are someone's words, not the sentence's
    claim: 'used it once at too low a dose and decided it "didn't work."' (a whole quoted sentence is
    read as usual, with its attribution)."""
    sent = row.sent
    marks = [t.i for t in sent if t.text in _QUOTE_CHARS]
    inside: set[int] = set()
    for open_, close in zip(marks[::2], marks[1::2]):
        if 0 < close - open_ - 1 <= _SCARE_QUOTE_WORDS and (open_ > sent.start or close < sent.end - 2):
            inside.update(range(open_ + 1, close))
    if inside:
        row.lex = [s for s in row.lex if not (s.start in inside and s.end - 1 in inside)]
        row.cues = [c for c in row.cues if not (c.start in inside and c.end - 1 in inside)]


# Verbs of worry and expectation: what follows them in their clause is what someone fears or counts on
# ("they were worried HRT was dangerous", "don't rely on them to prevent diarrhoea"), not a claim.
_EXPECTING = frozenset(
    "worried worry worries feared fear fears afraid concerned expect expects expecting rely relying hope hoping "
    "hoped".split()
)
_EXPECTING_ENDS = frozenset({",", ";", ":", "but", "."})


def _drop_expected(row: _Sentence) -> None:
    """Predicates in the clause after a verb of worry or expectation say what someone fears or counts on."""
    sent = row.sent
    low = lowers(sent.doc)
    inside: set[int] = set()
    i = sent.start
    while i < sent.end:
        if low[i] in _EXPECTING:
            end = next((k for k in range(i + 1, sent.end) if low[k] in _EXPECTING_ENDS), sent.end)
            inside.update(range(i + 1, end))
            i = end
        i += 1
    if inside:
        row.lex = [s for s in row.lex if not (s.label_.startswith("PRED|") and s.start in inside)]


_NOT_A = frozenset({"not", "n't", "never"})
_MIRACLE = frozenset({"miracle", "magic", "wonder"})


def _denied_cure(low: Sequence[str], span: Span) -> bool:
    """Is ``span`` the noun "cure" in a denial ("not a cure", "no cure", "aren't a miracle cure")? That
    says it does not cure for good, not that it does not work: no efficacy predicate."""
    if span.label_ != "PRED|effective" or low[span.start] not in ("cure", "cures"):
        return False
    before = low[max(0, span.start - 3) : span.start]
    if before[-1:] and before[-1] in _MIRACLE:
        before = before[:-1]
    return before[-1:] == ["no"] or len(before) > 1 and before[-1] in ("a", "the", "any") and before[-2] in _NOT_A


_ANSWER_OPENERS = frozenset({"not", "yes", "no"})


def _drop_answer_fragment(row: _Sentence) -> None:
    """Cues in a short answer that opens the sentence ("Not always, but a few things lower the risk",
    under "Can ear infections be prevented?") answer the question before it: they do not qualify what
    follows. At most two words before a comma."""
    sent = row.sent
    comma = next((t.i for t in sent[1:3] if t.text == ","), None)
    if comma is None:
        return
    row.cues = [c for c in row.cues if c.start >= comma]


def _unattributed_quotation(text: str) -> bool:
    """Is the sentence one quotation and nothing else ('"Dummies cause ear infections."', a myth under a
    heading)? Someone's words with no speaker: no claim of the document's. A quotation with its speaker
    ('"It works," Dr Lee said.') is read as usual."""
    return (
        len(text) > 2
        and text[0] in _QUOTE_CHARS
        and text.rstrip(".!?*_ ")[-1:] in _QUOTE_CHARS
        and sum(ch in _QUOTE_CHARS for ch in text) == 2
    )


def _denies_bound(cue: Span, between: str) -> bool:
    """A plain negation ("not", "never", "no"; not a hedge like "unlikely") with only its verb between
    it and the quantity, so that it denies the quantity's bound itself (``denied_bound``)."""
    return cue.label_ == "NEGATION" and bool(_NEGATED_VERB.fullmatch(between))


def _outside_subject_exposure(sent: Span, cues: list[Span], lex: list[Span]) -> list[Span]:
    """``cues`` less a negation inside an exposure phrase that opens the clause: "A lack of sleep
    increases the risk" speaks of the lack of sleep (the subject, with its exposure), and denies
    nothing; "X showed a lack of efficacy" still does."""
    exposures = [s for s in lex if s.label_.startswith("SCOPE|exposure|")]
    if not exposures:
        return cues
    first = clause_start(sent)
    opening = [s for s in exposures if 0 <= s.start - first <= 1]
    return [
        cue for cue in cues
        if not (cue.label_ == "NEGATION" and any(s.start <= cue.start and cue.end <= s.end for s in opening))
    ]


def _outside_abbreviations(cues: list[Span], terms: list[Span]) -> list[Span]:
    """``cues`` less those in capitals inside a term: "NO" where the vocabulary or the document defines
    it ("nitric oxide (NO)") names the term and negates nothing. A lower-case cue inside a term stays
    ("no response", the long form of "NR", is still a negation)."""
    return [
        cue for cue in cues
        if not (cue.text.isupper() and any(t.start <= cue.start and cue.end <= t.end for t in terms))
    ]


class ClaimBuilder:
    """Reads the claims of one document from its tagged blocks."""

    def __init__(
        self, *, lexicon: Lexicon, vocabulary: Vocabulary, read_quantities: QuantityReader, line_col: Callable
    ) -> None:
        self.lexicon = lexicon
        self.vocabulary = vocabulary
        self.read_quantities = read_quantities
        self.line_col = line_col
        self._openers = frozenset(lexicon.directive_openers)
        self._belief_verbs = lexicon.belief_verbs
        self._population_words = frozenset(
            w for words in lexicon.scope.get("population", {}).values() for w in words if " " not in w
        )
        self._condition_heads = _singular_heads(lexicon.condition_heads)  # objects are singular
        self._opener_words = max((len(p.split()) for p in self._openers), default=0)
        # compared without spaces: spaCy splits "don't" into "do" + "n't"
        self._advice_openers = frozenset(p.replace(" ", "") for p in lexicon.advice_against)
        self._advice_words = max((len(p.split()) + p.count("n't") for p in lexicon.advice_against), default=0)

    # --- document level -----------------------------------------------------------------------

    def document_claims(self, source: str, text: str, units: Sequence[BlockUnit]) -> list[Claim]:
        """Every claim of one document, in text order, with stable ids."""
        tagged = [(unit, self._sentences(unit.doc, every=unit.kind == "heading")) for unit in units]
        context = _Context(main_subject=self.main_subject(tagged))
        claims: list[Claim] = []
        for unit, sentences in tagged:
            if unit.kind == "heading":
                self._read_heading(unit, sentences, context)
                continue
            context.previous_subject = ""
            context.previous_attribution = NO_ATTRIBUTION
            context.previous_conditions = ()
            for row in sentences:
                if row.subject is not None:
                    claims.extend(self.sentence_claims(source, text, unit, row, context))
        return self._with_ids(source, claims)

    def _sentences(self, doc: Doc, *, every: bool = False) -> list[_Sentence]:
        """The sentences of a doc with their spans; subjects read for those worth reading (``every``: all)."""
        rows = [_Sentence(sent) for sent in doc.sents]
        starts = [row.sent.start for row in rows]
        for key, field_name in ((CUES, "cues"), (LEXICON, "lex"), (TERMS, "terms")):
            for span in doc.spans.get(key, []):
                getattr(rows[bisect_right(starts, span.start) - 1], field_name).append(span)
        for row in rows:
            if (row.lex or row.cues) and _QUOTE_CHARS & set(span_text(row.sent)):
                _drop_quoted_words(row)
            if row.lex and row.cues:
                row.lex = [s for s in row.lex if not _denied_cure(lowers(doc), s)]
            if row.lex:
                _drop_expected(row)
            if row.cues and lowers(doc)[row.sent.start] in _ANSWER_OPENERS:
                _drop_answer_fragment(row)
            row.advice = self._advice_against(row.sent)
            if row.advice is not None:  # read as "X should not be given/taken": a predicate and its aspect
                row.lex += [row.advice, Span(doc, row.advice.start, row.advice.end, label="ASPECT|recommendation")]
            if row.terms and row.cues:
                row.cues = _outside_abbreviations(row.cues, row.terms)
            if row.cues and row.lex:
                row.cues = _outside_subject_exposure(row.sent, row.cues, row.lex)
            if every or self._worth_reading(row):
                row.pred = predicate_index(row.sent, row.lex, row.cues)
                row.subject = read_subject(
                    row.sent, row.pred, term_spans=row.terms, lexicon_spans=row.lex, cue_spans=row.cues,
                    lexicon=self.lexicon, vocabulary=self.vocabulary,
                )
        return rows

    @staticmethod
    def _worth_reading(row: _Sentence) -> bool:
        """Only sentences with an aspect, a predicate, a certainty or evidence cue or a number can be claims."""
        return (
            any(s.label_.startswith(("ASPECT|", "PRED|", "DURATION|")) for s in row.lex)
            or any(c.label_ not in ("TERMINATE", "NEGATION", "PSEUDO") for c in row.cues)
            or bool(_NUMBER_HINT.search(span_text(row.sent)))
        )

    def main_subject(self, tagged: Sequence[tuple[BlockUnit, list[_Sentence]]]) -> str:
        """The document's most frequent explicit subject, preferring vocabulary interventions."""
        counts: Counter[str] = Counter()
        first: dict[str, int] = {}
        for n, (unit, sentences) in enumerate(tagged):
            for row in sentences:
                qualifiers = {s.start for s in row.lex if s.label_.startswith("SCOPE|")}
                for span in row.terms:
                    # "IV" in "IV ketamine" is a route, not what the document is about
                    if span.start not in qualifiers and self.vocabulary.type_of(span.id_) in ("intervention", "other"):
                        name = term_name(span)  # "HPV vaccine": the vaccine, not the virus
                        counts[name] += 2
                        first.setdefault(name, n)
                subject = row.subject
                if subject is not None and subject.canonical and subject.canonical != ANAPHOR:
                    counts[subject.canonical] += 1
                    first.setdefault(subject.canonical, n)
        if not counts:
            return ""
        return max(counts, key=lambda s: (counts[s], -first[s]))

    def _read_heading(self, unit: BlockUnit, sentences: list[_Sentence], context: _Context) -> None:
        """A heading's subject and conditions become the default of the blocks under it."""
        key = unit.view.text.strip()
        names = [r.subject.canonical for r in sentences if r.subject and r.subject.canonical not in ("", ANAPHOR)]
        if key.split(" ", 1)[0].lower() in _QUESTION_WORDS:
            # "What the research says", "Why choose PRP?": only a named term is what the section is about
            names = [
                term_name(t) for r in sentences for t in r.terms if self.vocabulary.type_of(t.id_) in ("intervention", "other")
            ]
        main = context.main_subject
        if main and re.search(rf"\b{re.escape(main)}\b", key, re.I):
            names = [main]  # "New advice on acetaminophen": the document's subject, not "new advice"
        if names:
            context.heading_subject[key] = names[0]
        conditions = tuple(
            dict.fromkeys(
                c
                for row in sentences
                for c, _, _ in condition_mentions(row.sent, self.lexicon, self.vocabulary, row.terms, blocked=self._blocked(row))
            )
        )  # "Treating a urinary tract infection (UTI)": one condition
        if conditions:
            context.heading_conditions[key] = conditions
        population = read_qualifiers([s for row in sentences for s in row.lex], self.lexicon).get("population")
        if population:  # "UTIs in men", "Sun safety for children": the section speaks of them
            context.heading_population[key] = population

    def _with_ids(self, source: str, claims: list[Claim]) -> list[Claim]:
        seen: Counter[str] = Counter()
        for claim in claims:
            norm = " ".join(claim.quote.lower().split())
            base = hashlib.sha1(f"{source}\x00{claim.aspect}\x00{norm}".encode()).hexdigest()[:10]
            seen[base] += 1
            claim.id = f"C{base}" if seen[base] == 1 else f"C{base}-{seen[base]}"
        return claims

    # --- sentence level -----------------------------------------------------------------------

    def _blocked(self, row: _Sentence) -> set[int]:
        """Tokens that cannot modify a condition: aspect, predicate and cue words, non-condition terms
        ("helps" in "Ketamine Helps Pain"); qualifiers may ("postoperative pain")."""
        blocked = {i for s in row.lex if not s.label_.startswith("SCOPE|") for i in range(s.start, s.end)}
        blocked |= {i for c in row.cues for i in range(c.start, c.end)}
        blocked |= {i for t in row.terms if self.vocabulary.type_of(t.id_) != "condition" for i in range(t.start, t.end)}
        return blocked

    def _advice_against(self, sent: Span) -> Span | None:
        """The words of advice against giving or taking something that opens the clause ("Do not give",
        "You should not take", "Avoid"), as a discourage predicate; None when there is none, or when what
        follows is an amount ("Do not take more than 4 g": a dose limit, read from its quantity)."""
        low = lowers(sent.doc)
        first = clause_start(sent)
        end = None
        joined = ""
        for i in range(first, min(first + self._advice_words, sent.end)):
            joined += low[i]
            if joined in self._advice_openers:
                end = i + 1
        if end is None or end >= sent.end:
            return None
        verbs = self.lexicon.administration_verbs
        if low[end] in verbs:
            end += 1
        elif low[end - 1] != "avoid":
            return None
        if end >= sent.end or sent.doc[end].like_num or low[end] in _AMOUNT_WORDS or not low[end][:1].isalpha():
            return None
        clause_end = next((i for i in range(end, sent.end) if low[i] in _ADVICE_ENDS), sent.end)
        words = low[end:clause_end]
        if _TOGETHER_WORDS.intersection(words) or any(a == "same" and b == "time" for a, b in zip(words, words[1:])):
            return None
        return Span(sent.doc, first, end, label="PRED|discourage")

    def _is_directive(self, sent: Span) -> bool:
        """Does the sentence open with a directive opener ("talk to", "make sure", "if you")?"""
        low = lowers(sent.doc)
        first = low[sent.start : sent.start + self._opener_words]
        opener = next((n for n in range(1, len(first) + 1) if " ".join(first[:n]) in self._openers), 0)
        if not opener:
            return False
        # "You can take up to 400 mg every 4 hours": a dose, stated to the reader ("Take 400 mg ...")
        verb = sent.start + opener
        while verb < sent.end and low[verb] in ("not", "never", "n't"):
            verb += 1  # "You should not take more than 3 g a day"
        return not (
            first[0] == "you"
            and verb + 1 < sent.end
            and low[verb] in self.lexicon.administration_verbs
            and (sent.doc[verb + 1].like_num or low[verb + 1] in _AMOUNT_WORDS)
        )

    def _reports_belief(self, sent: Span, text: str) -> bool:
        """Does the sentence report a lay belief ("Some parents worry that ...") or open by denying
        what follows ("It is a myth that ...")? Then it states no claim of the document's."""
        opening = " ".join(text[:60].lower().split())
        if opening.startswith(self.lexicon.denial_openers):
            return True
        low = lowers(sent.doc)[sent.start : sent.start + 8]
        holder = False
        for k, word in enumerate(low):
            pair = " ".join(low[k : k + 2])
            three = " ".join(low[k : k + 3])
            if holder and (word in self._belief_verbs or pair in self._belief_verbs or three in self._belief_verbs):
                return True
            if word in self.lexicon.belief_holders:
                holder = True
            elif word not in STOP_WORDS and not word.endswith("ly"):
                return False
        return False

    def _remember_belief(self, row: _Sentence, context: _Context) -> None:
        """A reported belief states no claim, but the next sentence may answer it ("Supporters claim that
        X cures autoimmune disease. There is no evidence for this."): its subject and conditions."""
        subject = row.subject
        if subject is not None and subject.canonical not in ("", ANAPHOR):
            context.previous_subject = subject.canonical
        context.previous_attribution = NO_ATTRIBUTION
        context.previous_conditions = tuple(
            dict.fromkeys(
                c for c, _, _ in condition_mentions(row.sent, self.lexicon, self.vocabulary, row.terms, blocked=self._blocked(row))
            )
        )

    def sentence_claims(
        self, source: str, text: str, unit: BlockUnit, row: _Sentence, context: _Context
    ) -> list[Claim]:
        """The claims of one sentence (one per aspect), updating the document context."""
        sent = row.sent
        view = unit.view
        sent_text = span_text(sent)
        stripped = sent_text.strip()
        if sent.end_char <= unit.focus or not stripped:
            return []
        if stripped.endswith("?") or row.advice is None and self._is_directive(sent):
            return []
        if self._reports_belief(sent, stripped) or _unattributed_quotation(stripped):
            self._remember_belief(row, context)
            return []
        cues, lex, terms = row.cues, row.lex, row.terms
        scopes = negation_scopes(sent, cues)
        quantities = self._quantities(sent, view, scopes)
        subordinate = _subordinate_tokens(sent, row.pred, cues)
        main = [s for s in lex if s.start not in subordinate] if subordinate else lex  # aspects and predicates
        low = lowers(sent.doc)
        # "colds are caused by viruses": what is caused is the subject, the sentence's subject causes
        # nothing (the passive verb still ends an object: "NF-kB activation caused by IL-4")
        passive = {s.start for s in main if s.label_ == "PRED|cause" and s.end < sent.end and low[s.end] == "by"}
        if passive:
            main = [s for s in main if s.start not in passive]
        # "can give you shingles" causes it, "can give you advice" does not
        main = [s for s in main if not (s.label_ == "PRED|cause" and low[s.start] in ("give", "gives", "gave")
                                        and not set(self._object(sent, s.end).split()) & self._condition_heads)]
        # "people at average risk", "those at high risk": who is meant, not a harm
        main = [s for s in main if not (s.label_ == "ASPECT|safety" and _at_risk(low, s.start))]
        # "Activating these receptors can help reduce pain": a gerund that opens the clause is its subject
        first = clause_start(sent)
        main = [s for s in main if not (s.start == first and s.label_.startswith("PRED|") and low[s.start].endswith("ing"))]
        durations = self._durations(sent, main)
        aspects = {s.label_.split("|")[1] for s in main if s.label_.startswith("ASPECT|")}
        if durations or any(q.role.endswith("duration") for q in quantities):
            aspects.add(TIME_ROLE_ASPECT)
        if any(q.role in DOSE_ROLES for q in quantities):
            aspects.add("dosage")
        shares = any(q.role == "share" for q in quantities)
        predicates = [s for s in main if s.label_.startswith("PRED|")]
        # reducing a condition ("reduce migraine attacks", "reduce the risk of stroke") is efficacy
        decreases = [s for s in predicates if s.label_ == "PRED|decrease"]
        starts = {s.start for s in predicates} | passive
        treats = [s for s in decreases if set(self._object(sent, s.end, starts).split()) & self._condition_heads]
        # and making a condition worse ("increases bloating", not "increases the risk of X") is the opposite
        worsens = [
            s for s in predicates
            if s.label_ == "PRED|increase" and object_parts(self._object(sent, s.end, starts))[0] in self._condition_heads
        ]
        if worsens:
            aspects.add("efficacy")
        if treats:
            aspects.add("efficacy")
            risk_only = {t.lower_ for s in lex if s.label_ == "ASPECT|safety" for t in s} <= {"risk", "risks"}
            if risk_only:
                aspects.discard("safety")  # "reduces the risk of X" speaks of benefit, not harm
        if "safety" in aspects and any(_affects_risk(low, s.start) for s in main if s.label_ == "ASPECT|safety"):
            aspects.add("efficacy")  # "whether HRT affects the risk of dementia": either way, benefit included
        causes = [s for s in predicates if s.label_ == "PRED|cause"]
        named = self.vocabulary.type_of(row.subject.canonical) if row.subject and row.subject.canonical else None
        if named not in ("body", "condition", "population", "organization") and any(
            (set(self._object(sent, s.end, starts).split()) | set(low[s.end : _caused_end(low, s.end, sent.end)]))
            & self._condition_heads
            for s in causes
        ):
            aspects.add("safety")  # a treatment causing a condition ("can cause nausea") is a harm
        changes = {s.label_[5:] for s in predicates} & set(ASPECT_PREDICATES["effect"])
        if changes and not any(changes & set(ASPECT_PREDICATES.get(a, ())) for a in aspects):
            # other changes ("lowers blood pressure", "can cause headaches") are effects, also beside an
            # aspect that does not read them ("raises blood pressure and the risk of stroke": safety)
            aspects.add("effect")
        # a bare statement about the evidence or proof ("clinically proven to regrow cartilage"), or a
        # graded one beside another aspect ("there is weak evidence for X, and the guideline recommends
        # against it"), speaks of whether it works
        graded = any(c.label_.startswith("EVIDENCE_") for c in cues)
        # (of the proof cues only "proven" itself: "has been shown to interact" states a finding, not a benefit)
        unsettled_or_proven = any(c.label_ == "UNSETTLED" or c.id_ == "proven.proven" for c in cues)
        defaulted = (not aspects and (graded or unsettled_or_proven)) or (
            graded and not aspects & {"efficacy", "safety"}
        )
        if defaulted:
            aspects.add("efficacy")  # a bare statement about the evidence speaks of whether it works
        if not aspects and shares:
            aspects.add("efficacy")  # "More than 95% of patients achieve 20/20 vision": an outcome rate
        if not aspects or len(sent) < 4 and unit.focus == 0:
            return []

        pred = row.pred
        subject = row.subject or SubjectReading("", "", -1, -1)
        agent = ""
        if row.advice is not None:  # "Do not give aspirin to children": aspirin should not be given
            subject = self._thing_after(sent, row.advice, terms) or SubjectReading("", "", -1, -1)
        elif "approval" in aspects or "recommendation" in aspects:
            thing, agent = self._approved_thing(sent, subject, terms, lex) or (subject, "")
            subject = thing
        if not subject.canonical and ("dosage" in aspects or TIME_ROLE_ASPECT in aspects):
            # "Adults need 600 IU of vitamin D", "Adults need 7 to 9 hours of sleep"
            subject = measured_thing(
                sent, term_spans=terms, lexicon_spans=lex, cue_spans=cues, lexicon=self.lexicon, vocabulary=self.vocabulary
            )
            if subject.canonical:  # "7 to 9 hours of sleep": an amount of the subject, not how long something lasts
                quantities = [
                    replace(q, role="amount") if q.role == "duration" and _OF_AFTER.match(text, q.end) else q
                    for q in quantities
                ]
            if not subject.canonical:  # "People at average risk should have a colonoscopy every 10 years"
                subject = people_object(
                    sent, term_spans=terms, lexicon_spans=lex, cue_spans=cues, lexicon=self.lexicon,
                    vocabulary=self.vocabulary,
                )
        inherited = subject.canonical in ("", ANAPHOR)
        if inherited:
            name = context.previous_subject or context.heading_subject.get(unit.heading, "") or context.main_subject
            if name:
                subject = SubjectReading(name, subject.surface, subject.start, subject.end)
            elif subject.canonical == ANAPHOR:
                subject, inherited = anaphor_head(subject, sent, self.lexicon), False
            else:
                condition_tokens = {
                    i for _, lo, hi in condition_mentions(sent, self.lexicon, self.vocabulary, terms) for i in range(lo, hi)
                }
                subject = later_subject(
                    sent, pred, term_spans=terms, lexicon_spans=lex, cue_spans=cues, lexicon=self.lexicon,
                    vocabulary=self.vocabulary, skip_conditions=condition_tokens,
                )
                inherited = False
        if not subject.canonical or subject.canonical == ANAPHOR:
            return []
        inferred = ["subject"] if inherited else []
        if defaulted:
            inferred.append("aspect")
        attribution = read_attribution(sent_text)
        if agent and not attribution.source:  # "The American College of Physicians recommends X"
            attribution = Attribution(agent, True, False)
        if _BACK_REFERENCE.match(attribution.source) and context.previous_attribution.source:
            attribution = context.previous_attribution  # "The document presents ...": the source named before
            inferred.append("attribution")
        elif attribution.source:
            quantities = _outside(quantities, sent_text.lower(), attribution.source, view, sent.start_char)
        elif inherited and context.previous_attribution.source:
            attribution = context.previous_attribution
            inferred.append("attribution")
        skip = set(range(subject.start, subject.end)) if subject.start >= 0 else set()
        mentions = condition_mentions(sent, self.lexicon, self.vocabulary, terms, skip=skip, blocked=self._blocked(row))
        # what a treatment causes ("can cause nausea and swelling") is its outcome, not the condition it is for
        caused = {k for p in causes for k in range(p.end, _caused_end(low, p.end, sent.end))}
        caused |= _listed_side_effects(low, [p for p in main if p.label_ == "PRED|adverse"], sent.end)
        conditions = tuple(dict.fromkeys(c for c, lo, _ in mentions if lo not in caused))
        if not conditions:
            conditions = (context.previous_conditions if inherited else ()) or context.heading_conditions.get(
                unit.heading, ()
            )
            if conditions:
                inferred.append("condition")
        qualifiers = read_qualifiers(_compared_away(lex, low), self.lexicon, (subject.start, subject.end))
        variant = "" if inherited else subject_variant(sent, subject, blocked_tokens(lex, cues), self.lexicon)
        if variant:  # "Combined HRT increases ...; estrogen-only HRT does not": two kinds of one thing
            qualifiers["variant"] = variant
        if "population" not in qualifiers and unit.heading in context.heading_population:
            qualifiers["population"] = context.heading_population[unit.heading]
            inferred.append("population")
        context.previous_subject = subject.canonical
        context.previous_attribution = attribution
        context.previous_conditions = conditions

        start_view = max(sent.start_char, unit.focus)
        while start_view < sent.end_char and view.text[start_view].isspace():
            start_view += 1
        end_view = sent.end_char
        while end_view > start_view and view.text[end_view - 1].isspace():
            end_view -= 1
        start, end = view.to_original(start_view), view.to_original_end(end_view)
        line, column = self.line_col(start)
        end_line, end_column = self.line_col(max(start, end - 1))
        quote = " ".join(view.text[sent.start_char : sent.end_char].split())
        if unit.focus:
            quote = " ".join(view.text[: sent.end_char].split()) if sent.start_char < unit.focus else quote
        cue_records = [
            Cue(c.id_, c.label_, c.text, view.to_original(c.start_char), view.to_original_end(c.end_char))
            for c in cues
            if c.label_ != "TERMINATE"
        ]
        claims = []
        for aspect in sorted(aspects):
            certainty, grade, _ = read_certainty([c for c in cues if _cue_applies(c, aspect)], scopes)
            predicate, obj, anchor = self._predicate(sent, aspect, main, predicates, durations, subject, starts)
            if anchor is not None and row.advice is not None and anchor[0] == row.advice.start:
                # as in "X should not be given to ...": what follows the thing advised against
                obj = self._object(sent, subject.end, starts) if subject.end > anchor[0] else ""
            negator = negating_cue(anchor[0], anchor[1], scopes) if anchor else None
            if negator is not None and predicate in _NEGATIVE_PREDICATES and anchor[0] <= negator.start < anchor[1]:
                # "not advised", "should not be used": the negation is part of a predicate that means it
                # ("doesn't work" is the negation of "work")
                negator = None
            if negator is not None and not predicate and any(
                negator.end <= p.start < anchor[0] and p.label_ in _VERDICTS for p in predicates
            ):
                negator = None  # "not recommended as first-line treatment": the negation is the recommendation's
            if negator is not None and _denies_universal(sent, negator, scopes):
                # "won't work for every person", "not all patients respond": it works for some
                negator = None
                certainty = "possible" if certainty in ("probable", "proven") else certainty
            polarity = "negative" if negator is not None else "positive"
            claims.append(
                Claim(
                    id="",
                    source=source,
                    start=start,
                    end=end,
                    line=line,
                    column=column,
                    end_line=end_line,
                    end_column=end_column + 1,
                    text=text[start:end],
                    quote=quote,
                    subject=subject.canonical,
                    subject_surface=subject.surface,
                    aspect=aspect,
                    predicate=predicate,
                    object=obj,
                    scope={**qualifiers, **({"condition": "; ".join(conditions)} if conditions else {})},
                    polarity=polarity,
                    certainty=certainty,
                    evidence=grade,
                    quantities=quantities,
                    attribution=attribution.source,
                    heading=unit.heading,
                    block=unit.kind,
                    cues=cue_records,
                    terms=sorted({t.id_ for t in terms}),
                    inferred=list(inferred),
                )
            )
        return claims

    # --- parts ----------------------------------------------------------------------------------

    def _approved_thing(
        self, sent: Span, subject: SubjectReading, terms: list[Span], lex: list[Span]
    ) -> tuple[SubjectReading, str] | None:
        """In 'the agency approved X' or 'the American College of Physicians recommends (against) X', X
        is what the claim is about, not the agency: (X, the name of the body that recommends, as its source)."""
        approve = [s for s in lex if s.label_ in ("PRED|approve", "PRED|recommend", "PRED|discourage")]
        if not approve or subject.canonical in ("", ANAPHOR):
            return None
        verb = approve[0]
        before = {t.lower_ for t in sent.doc[max(sent.start, verb.start - 2) : verb.start]}
        passive = bool(before & {"been", "be", "was", "were", "is", "are", "being"})
        agent_like = (
            subject.surface.isupper()
            or self.vocabulary.type_of(subject.canonical) == "organization"
            or subject.surface.lower().rsplit(" ", 1)[-1] in _AGENCY_HEADS
        )
        if passive or not agent_like or subject.end > verb.start:
            return None
        thing = self._thing_after(sent, verb, terms)
        if thing is None:
            return None
        if verb.label_ == "PRED|approve":
            return thing, ""  # an approval is the agency's act, not a view reported
        doc, end = sent.doc, subject.end
        while end + 1 < verb.start and doc[end].lower_ in ("of", "for", "on") and doc[end + 1].text[:1].isupper():
            end += 2  # "American College" + "of Physicians"
            while end < verb.start and doc[end].text[:1].isupper():
                end += 1
        return thing, " ".join(doc[subject.start : end].text.lower().split())

    def _thing_after(self, sent: Span, verb: Span, terms: list[Span]) -> SubjectReading | None:
        """What follows an approving or recommending verb: a term, a pronoun, or a content phrase."""
        after = [t for t in terms if t.start >= verb.end and self.vocabulary.type_of(t.id_) in ("intervention", "other")]
        if after:
            return term_reading(after[0])
        nxt = sent.doc[verb.end] if verb.end < sent.end else None
        if nxt is not None and nxt.lower_ in ("it", "them", "this"):
            return SubjectReading(ANAPHOR, nxt.text, nxt.i, nxt.i + 1)
        run = content_run(list(sent.doc[verb.end : sent.end]), set(), self.lexicon)
        # "recommended against starting daily aspirin": only generic words may stand before the thing
        if run and all(t.lower_ in STOP_WORDS or t.lower_ in self.lexicon.generic_nouns for t in sent.doc[verb.end : run[0].i]):
            surface = sent.doc[run[0].i : run[-1].i + 1].text
            canonical = self.vocabulary.canonical(surface) or " ".join(singular(t.lower_) for t in run)
            return SubjectReading(canonical, surface, run[0].i, run[-1].i + 1)
        return None

    def _predicate(
        self,
        sent: Span,
        aspect: str,
        lex: list[Span],
        predicates: list[Span],
        durations: list[tuple[str, Span]],
        subject: SubjectReading,
        starts: set[int],
    ) -> tuple[str, str, tuple[int, int] | None]:
        """(predicate, object, anchor token range) for one aspect of the sentence; ``starts``: the
        tokens where a predicate starts (an object ends there)."""
        if aspect == TIME_ROLE_ASPECT and durations:
            cls, span = durations[0]
            return f"{cls}-lasting", span.text.lower(), (span.start, span.end)
        families = ASPECT_PREDICATES.get(aspect, ())
        low = lowers(sent.doc)
        # (from where the main clause starts: "If you are pregnant, do not take X" advises against X)
        conditional = next((i for i in range(clause_start(sent), sent.end) if low[i] in _CONDITIONAL), sent.end)
        # "... only if other agents are not effective": a condition, not the claim
        candidates = [span for span in predicates if span.start <= conditional and not _comparative(low, span, sent.end)]
        if aspect == "safety":  # "safe and has no side effects": the side effects are the checkable part
            candidates.sort(key=lambda span: span.label_ != "PRED|adverse")
        for span in candidates:
            family = span.label_.split("|")[1]
            # "X is approved for", "guidelines recommend X": the thing approved or recommended may follow
            after_subject = span.start >= max(subject.end, clause_start(sent)) or aspect in ("approval", "recommendation")
            after_subject = after_subject or family == "adverse"  # "Side effects of X include ..."
            if family in families and after_subject:
                obj = self._object(sent, span.end, starts)
                if family == "adverse" or family == "cause" and {"side", "adverse"} & set(obj.split()):
                    return "adverse", "", (span.start, span.end)  # "has no side effects", "can cause side effects"
                return family, obj, (span.start, span.end)
        for span in lex:
            if span.label_ == f"ASPECT|{aspect}":
                return "", "", (span.start, span.end)
        return "", "", None

    def _object(self, sent: Span, start: int, predicates: Collection[int] = ()) -> str:
        """Content words after a predicate, up to the end of its clause, the start of an adjunct or
        another predicate (token indices ``predicates``): 'blood pressure', 'risk of stroke'. A
        participle followed by an adjunct has none ("was inhibited in T cells", "are increased in
        response to"): what changed is its subject. Adverbs are not objects ("increased significantly")."""
        doc = sent.doc
        words: list[str] = []
        content = 0
        for tok in doc[start : sent.end]:
            low = tok.lower_
            if tok.i in predicates:  # "reduce or eliminate their dependency"; "activate receptors that reduce pain"
                if words:
                    break
                continue
            if low.endswith("ly") and len(low) > 5 and low not in LY_NOUNS:
                continue
            if tok.like_num and not _ORDINAL.match(low):  # "rises to 27 mg per day": a value, not a thing changed
                if words and words[-1] in _NUMBERED_KINDS:
                    words.append(low)  # "the risk of type 2 diabetes"
                    continue
                if words:
                    break
                return ""
            if tok.text in SCOPE_BREAKS or low in _OBJECT_BREAKS:
                if words:
                    break
                if tok.text in _PUNCTUATION_ENDS:
                    return ""  # "Caffeine is addictive, and withdrawal ...": the clause ends, no object
                if low in _COORDINATORS and tok.i + 1 < sent.end and doc[tok.i + 1].lower_ in _MODALS:
                    return ""  # "is not safe and should be avoided": a second predicate, no object
                if low in _ADJUNCT_FIRST or low not in _COORDINATORS and doc[start - 1].lower_.endswith("ed"):
                    return ""  # "increase significantly after the infusion", "was inhibited in T cells"
                continue  # "increase in blood pressure", "helps with pain", "reduce or eliminate"
            if not words and (low in PEOPLE or low in self._population_words):
                # "safe for most people", "not safe in pregnancy": who (a qualifier), not what
                continue
            if low in OBJECT_CONNECTORS:
                if words and words[-1] not in OBJECT_CONNECTORS:
                    words.append(low)
                continue
            if (tok.is_alpha or "-" in tok.text and any(ch.isalpha() for ch in tok.text)) and low not in STOP_WORDS:
                words.append(singular(low))
                content += 1
                if content >= 4:
                    break
        while words and words[-1] in OBJECT_CONNECTORS:
            words.pop()
        return " ".join(words)

    def _durations(self, sent: Span, lex: list[Span]) -> list[tuple[str, Span]]:
        """Qualitative effect durations ('short-term relief', 'long-lasting results')."""
        timeframe = {i for s in lex if s.label_.startswith("SCOPE|timeframe") for i in range(s.start, s.end)}
        out = []
        doc = sent.doc
        for span in lex:
            if not span.label_.startswith("DURATION|") or span.start in timeframe:
                continue
            if span.start > sent.start and doc[span.start - 1].lower_ in _COMPARATIVE:
                continue
            after = {t.lower_ for t in doc[span.end : min(span.end + 3, sent.end)]}
            before = {t.lower_ for t in doc[max(sent.start, span.start - 6) : span.start]}
            near_before = {t.lower_ for t in doc[max(sent.start, span.start - 3) : span.start]}
            predicative = bool(near_before & self.lexicon.relief_words and near_before & _COPULA)  # "effects are brief"
            if (
                after & self.lexicon.relief_words
                or predicative
                or (span.text.lower().startswith("for ") and before & self.lexicon.relief_words)
            ):
                out.append((span.label_.split("|")[1], span))
        return out

    def _quantities(self, sent: Span, view: TextView, scopes: list) -> list[Quantity]:
        """Quantities of the sentence, located in the original text, with refined roles; a quantity
        inside a negation's scope ("unlikely to last more than 48 hours") is marked negated, unless a
        plain negation right before it denies a strict bound: "should not take more than 1 mg" states
        the bound "<= 1 mg" (not (x > 1) is x <= 1)."""
        text = span_text(sent)
        if not _NUMBER_HINT.search(text):
            return []
        doc = sent.doc
        negated_chars = [
            (doc[lo].idx - sent.start_char, doc[hi - 1].idx + len(doc[hi - 1]) - sent.start_char, cue)
            for lo, hi, cue in scopes
            if hi > lo
        ]
        out = []
        found = self.read_quantities(text)
        for q in [*found, *self._every_unit(text, found)]:
            s, e = q.start, q.end
            role = q.role
            if q.dimension == "time" and role not in ("date", "age"):
                role = self._time_role(text, s, e, q)
            elif role == "age" and (m := _STARTS_AT.search(text, max(0, s - 30), s)) and not _RELATIVE_BEFORE.search(
                text, max(0, m.start() - 20), m.start()
            ):
                # "screening should begin at age 50": the age is what is claimed ("people who start at age
                # 15 need 3 doses": who is meant)
                role = "start_age"
            if _TABLE_KEY.match(text, e):
                role = "table_key"  # "2 hours: unlikely to ..." names a row of a table, asserts nothing
            start = view.to_original(sent.start_char + s)
            end = view.to_original_end(sent.start_char + e)
            q = replace(q, start=start, end=end, role=role)
            scope = next(((lo, cue) for lo, hi, cue in negated_chars if lo <= s < hi), None)
            if scope is not None:
                bound = denied_bound(q) if _denies_bound(scope[1], text[scope[0] : s]) else None
                q = bound or replace(q, negated=True)
            out.append(q)
        return out

    def _every_unit(self, text: str, found: list[Quantity]) -> list[Quantity]:
        """'every year', 'every other day': a dosing interval with no number (read as '1 year', '2 days')."""
        out: list[Quantity] = []
        if "every" not in text.lower() or not _SCHEDULE_WORDS.search(text):
            return out  # "affects 3 million people every year": how often it happens, not a schedule
        for m in _EVERY_UNIT.finditer(text):
            if any(q.start < m.end() and m.start() < q.end for q in found):
                continue
            read = self.read_quantities(f"{2 if m.group('other') else 1} {m.group('unit')}")
            if read:
                out.append(replace(read[0], start=m.start(), end=m.end(), surface=m.group(0)))
        return out

    @staticmethod
    def _time_role(text: str, s: int, e: int, q: Quantity) -> str:
        """What a time span measures, from the words around it."""
        clause_start = max(text.rfind(",", 0, s), text.rfind(";", 0, s), text.rfind(":", 0, s)) + 1
        before = text[clause_start:s]
        after = text[e : e + 40]
        if _OF_RELIEF.match(after):
            return "relief_duration"
        if _EVERY_BEFORE.search(before) or _EVERY_IN.search(q.surface) or _APART_AFTER.match(after):
            # "given every 12 weeks", "not more often than every 3 months", "given 6 to 12 months apart":
            # how often, not how long
            return "interval"
        if _IT_TAKES.search(before) and _UNTIL_AFTER.match(after):
            return "onset"  # "It can take 2 to 4 weeks for SSRIs to start working": a wait, not a course
        if _PERIOD_BEFORE.search(before):
            return "duration"  # "during the last 3 months of pregnancy": a period of time, not a course
        if _OF_STARTING.match(after):
            return "onset"  # "within 2 weeks of starting treatment": the time until something happens
        if _OF_INFUSIONS.match(after):
            return "course_duration" if q.unit in ("day", "week", "month", "year") else "infusion_duration"
        if _WEARS_OFF.search(before) and _RELIEF.search(before) and not _ADVERSE.search(before):
            return "relief_duration"  # "Any benefit usually wears off within four weeks": how long it lasts
        if _ONSET.search(before) or re.match(r"(?:within|after|in)\b", q.surface, re.I):
            return "onset"
        if _CONDITION_LAST.search(before[-40:]):
            return "condition_duration"
        # "relieved pain for 3 months" when a relief word is the nearest cue; then a course of
        # treatment ("a course of infusions over several days"); then an administration
        relief = [m.end() for m in _RELIEF.finditer(before)]
        administration = [m.end() for m in _ADMINISTRATION.finditer(before)]
        if relief and relief[-1] >= max(administration, default=-1):
            return "relief_duration"
        calendar = q.unit in ("day", "week", "month", "year")
        if calendar and (_COURSE.search(before) or administration or _TAKEN.search(before)):
            return "course_duration"  # a course of treatment: "taken over several months"
        if not administration and _LASTS.search(before):
            return "relief_duration"  # "Benefits, when they occur, usually last about 6 weeks"
        if administration or _ADMINISTRATION.search(text[:s]):
            return "infusion_duration"
        return "duration"


def _caused_end(low: list[str], start: int, end: int) -> int:
    """Where what a cause verb names ends, across "and" ("can cause some wind and bloating", up to "in")."""
    for k in range(start, min(end, start + 8)):
        if low[k] in _PUNCTUATION_ENDS or low[k] in _CAUSED_ENDS:
            return k
    return min(end, start + 8)


_CAUSED_ENDS = _OBJECT_BREAKS - _COORDINATORS
_LIST_OPENERS = frozenset({"include", "includes", "included", "including", "such", "like", ":", "are", "were"})


def _listed_side_effects(low: list[str], adverse: list[Span], end: int) -> set[int]:
    """Tokens of the side effects a sentence lists ("Side effects of X include headache, dizziness and
    nausea", "side effects such as ..."), up to the clause's end or an adjunct ("in people with asthma"):
    outcomes, not conditions."""
    out: set[int] = set()
    for span in adverse:
        opener = next((k for k in range(span.end, min(end, span.end + 6)) if low[k] in _LIST_OPENERS), None)
        if opener is None:
            continue
        first = opener + 2 if low[opener] == "such" else opener + 1  # "such as"
        stop = next((k for k in range(first, end) if low[k] in (";", ".") or low[k] in _CAUSED_ENDS), end)
        out.update(range(first, stop))
    return out


# Verbs of a change in no stated direction: "affects the risk of X" may lower it or raise it.
_NEUTRAL_CHANGE = frozenset("affect affects affected affecting influence influences influenced alter alters altered "
                            "change changes changed modify modifies modified".split())


def _affects_risk(low: list[str], start: int) -> bool:
    """Is the word at ``start`` the "risk" of "affects (the|your) risk"?"""
    if low[start] not in ("risk", "risks"):
        return False
    before = low[max(0, start - 3) : start]
    while before and before[-1] in ("the", "your", "their", "a", "its", "his", "her", "one's"):
        before.pop()
    return bool(before) and before[-1] in _NEUTRAL_CHANGE


def _at_risk(low: list[str], start: int) -> bool:
    """Is the word at ``start`` the "risk" of "at (average|high|...) risk"?"""
    if low[start] not in ("risk", "risks"):
        return False
    before = low[max(0, start - 2) : start]
    return before[-1:] == ["at"] or len(before) == 2 and before[0] == "at" and before[1] in _RISK_LEVELS


def _comparative(low: list[str], span: Span, end: int) -> bool:
    """'more effective than tablets', 'as effective as sleeping pills': a comparison with another
    treatment states no verdict of its own (against placebo or sham it does: 'no more effective than
    placebo')."""
    before = low[span.start - 1] if span.start > 0 else ""
    if before not in ("more", "less", "as", "equally"):
        return False
    tail = low[span.end : min(span.end + 6, end)]
    if before != "equally" and "than" not in tail and "as" not in tail:
        return False
    return not any(word in _NULL_COMPARATORS for word in tail)


def _compared_away(lex: list[Span], low: list[str]) -> list[Span]:
    """Lexicon spans without the qualifiers of what a claim is compared with ("more effective than
    tablets", "as effective as sleeping pills": not oral; "safe for children in the same way as adults",
    "unlike adults": not adults). "As well as children" adds a group."""
    def compared(span: Span) -> bool:
        near = low[max(0, span.start - 2) : span.start]
        if near[-2:] == ["well", "as"]:
            return False
        earlier = low[max(0, span.start - 5) : max(0, span.start - 2)]
        return "than" in near or near[-1:] in (["like"], ["unlike"]) or "as" in near and ("as" in earlier or "same" in earlier)

    return [s for s in lex if not (s.label_.startswith("SCOPE|") and compared(s))]


def _denies_universal(sent: Span, negator: Span, scopes: list[tuple[int, int, Span]]) -> bool:
    """Does the negation deny a universal ("not for everyone", "not all patients") rather than the claim?"""
    low = lowers(sent.doc)
    for start, end, cue in scopes:
        if cue is negator:
            return any(low[i] in _UNIVERSALS for i in range(start, end))
    return False


def _subordinate_tokens(sent: Span, pred: int, cues: Sequence[Span]) -> set[int]:
    """Doc indices of the subordinate clauses after the main clause's predicate (token ``pred``): from
    "if", "when", "who" ... to the next comma, semicolon, colon or "but", or the sentence's end. (One
    inside the subject, "Patients who did not respond received ...", ends where no parser-less reading
    can tell: it is left alone.) A "whether" or "if" after a cue of doubt ("it is unclear whether X
    works") is what the sentence doubts: not subordinate."""
    low = lowers(sent.doc)
    doubt = min((c.start for c in cues if c.label_ in ("UNKNOWN", "UNSETTLED")), default=sent.end)
    out: set[int] = set()
    i = max(pred, clause_start(sent) + 1)
    while i < sent.end:
        topic = low[i] == "whether" and low[i - 1] in ("on", "about", "of", "to", "for")  # "evidence on whether X"
        if low[i] in _SUBORDINATORS and not (low[i] in _CONDITIONAL and i > doubt) and not topic:
            end = next((k for k in range(i + 1, sent.end) if low[k] in _CLAUSE_ENDS), sent.end)
            out.update(range(i, end))
            i = end
        i += 1
    return out


def _outside(quantities: list[Quantity], lowered: str, source: str, view: TextView, base: int) -> list[Quantity]:
    """Quantities that are not part of an attribution ("guidelines published in 2018")."""
    at = lowered.find(source)
    if at < 0:
        return quantities
    lo, hi = view.to_original(base + at), view.to_original_end(base + at + len(source))
    return [q for q in quantities if not (lo <= q.start and q.end <= hi)]


def _cue_applies(cue: Span, aspect: str) -> bool:
    """A booster bound to one adjective ('highly effective', 'very safe') raises only that aspect."""
    if cue.id_ != "proven.highly":
        return True
    return aspect == ("safety" if cue[-1].lower_ in ("safe", "harmless") else "efficacy")
