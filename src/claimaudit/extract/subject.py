"""What a sentence is about: its grammatical subject, approximated without a parser."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Span

from claimaudit.nlp.lexicon import Lexicon
from claimaudit.nlp.tokens import has_pos, lowers, span_text
from claimaudit.normalize.quantities import unit_table
from claimaudit.normalize.scope import PEOPLE, singular
from claimaudit.normalize.terms import Vocabulary

# Words that end a subject noun phrase: auxiliaries and common main verbs of claim sentences.
BOUNDARY_WORDS = frozenset(
    """is are was were be been being has have had can could may might should will would does do did must
    remains remain appears appear seems seem involves involve includes include acts act works work provides
    provide produces produce causes cause helps help offers offer shows show showed shown found finds leads
    led plays play affects affect exhibits exhibit interacts interact operate operates occupies occupy
    binds bind keeps keep lasts last lasted tends tend requires require becomes become makes make gives
    give uses used allows allow means mean refers refer presents present states stated concluded
    suggests suggest suggested indicate indicates notice notices experience experiences feel feels
    report reports see sees get gets takes took need needs needed achieve achieves achieved costs""".split()
)
INTERVENTION_TYPES = ("intervention", "other")
# Words before a term that leave it out of the subject: "CD40, but not LPS, leads to ...", "unlike X".
_SET_ASIDE = frozenset({"not", "except", "unlike", "than", "without", "excluding"})
_PRONOUNS = frozenset({"it", "they", "this", "these"})
_PER_WORDS = frozenset({"a", "an", "per", "each", "every"})  # "4 grams a day": the day is part of the rate
RELATIVE_WORDS = frozenset({"which", "who", "whose", "that", "where"})
# Endings of adjectives that describe people ("healthy", "diabetic", "obese", "sedentary", "vulnerable").
_ADJECTIVE_ENDINGS = ("y", "ic", "al", "ous", "ful", "ive", "ese", "less", "ant", "ent", "ble")
# Dosage forms, which the lexicon reads as routes ("tablets": oral).
_FORM_NOUNS = frozenset(
    "pill pills tablet tablets capsule capsules lozenge lozenges drops spray sprays cream creams gel gels patch "
    "patches".split()
)
# Generic treatment words, which name the thing only after a describing word ("physical therapy").
_TREATMENT_NOUNS = frozenset(
    "therapy therapies treatment treatments supplement supplements medicine medicines medication medications".split()
)
# Words before a subject that name a kind of it (besides hyphenated compounds, "estrogen-only").
_VARIANT_WORDS = frozenset({"combined", "combination", "generic", "compounded", "bioidentical", "synthetic", "racemic"})
_NOT_VARIANTS = ("so-", "well-", "non-", "self-")  # "so-called", "well-known": no kind
# Other names of a vaccine, after what it protects against (a shot or jab only after a condition word:
# "flu shot"; "B12 shots" are injections).
_VACCINE_WORDS = frozenset({"vaccination", "immunization", "immunisation"})
_SHOT_WORDS = frozenset({"shot", "jab"})
_VACCINE_NOUNS = frozenset({"vaccine", "vaccines", "vaccination", "vaccinations", "shot", "shots", "jab", "jabs"})
# Verbs whose object is what people are told to have ("should have a colonoscopy", "start mammograms").
_TAKING_VERBS = frozenset("have get need start begin undergo receive take".split())
_OBJECT_OPENERS = frozenset("a an the their your one regular yearly annual".split())
# Words after the verb of "people who <verb>" that show it has no object naming a thing.
_OBJECT_ENDS = frozenset("at in on for before after during from with by to until since about".split())
# Auxiliaries, negations and adverbs before the verb of a relative clause ("who do not take", "who are
# already taking").
_RELATIVE_AUX = frozenset(
    "is are was were be been have has had do does did not n't never also still already currently regularly "
    "often usually".split()
)
_ALPHA = re.compile(r"[A-Za-z][A-Za-z0-9\-']*$")
ANAPHOR = "<anaphor>"


@dataclass(frozen=True, slots=True)
class SubjectReading:
    canonical: str  # "" when none; ANAPHOR when the sentence refers back
    surface: str
    start: int  # token index of the subject phrase (doc-relative); -1 when none
    end: int


NO_SUBJECT = SubjectReading("", "", -1, -1)


INTRO_WORDS = frozenset(
    "by after before while when through in at for since although though despite unlike like "
    "with without if once because as during following based regardless according given among compared "
    "apart besides beyond within across".split()
)


# Sentence adverbs that open a sentence before a comma ("However, ..."); words in -ly are taken too.
DISCOURSE_WORDS = frozenset(
    "however moreover furthermore therefore thus hence still yet also additionally overall notably "
    "importantly interestingly similarly likewise conversely meanwhile instead nevertheless nonetheless "
    "consequently indeed again currently today now ultimately finally first second third lastly".split()
)


REPORTING_VERBS = frozenset(
    "found finds concluded concludes showed shows show suggested suggests suggest stated states state "
    "reported reports demonstrated demonstrates indicated indicates indicate noted notes revealed reveals "
    "confirmed confirms presents presented believe believes argue argues claimed claims say says said "
    "warn warns warned advise advises advised agree agrees agreed "
    # verbs of supposing and noticing: "We hypothesized that inhibition of X would ...": the clause is
    # about inhibition of X, not about the authors
    "hypothesized hypothesised hypothesize hypothesise hypothesizes hypothesises proposed proposes propose "
    "speculated speculate speculates postulated postulate postulates predicted predict predicts "
    "assumed assume assumes observed observe observes discovered discover determined established "
    "think thinks thought".split()
)


_CLEFT_DETERMINERS = frozenset({"the", "this", "these", "those"})
_RANKING_WORDS = frozenset({"only", "best", "most", "first", "main", "same", "right", "ideal", "one", "kind", "type"})


def clause_start(sent: Span) -> int:
    """Doc index where the main clause starts: after an introductory phrase ending in a comma
    ("By blocking this receptor, ketamine ..."), or after "that" following a reporting verb
    ("A 2019 review concluded that ketamine ..."); else the sentence start."""
    start = sent.start
    low = lowers(sent.doc)
    while start < sent.end - 1 and low[start].isspace():
        start += 1  # a sentence may begin with the space after the previous one (no-break spaces)
    for _ in range(3):  # "Unfortunately, regardless of which treatment is chosen, only 30% ..."
        if start + 2 < sent.end and low[start + 1] == "," and (low[start] in DISCOURSE_WORDS or low[start].endswith("ly")):
            start += 2
        elif start < sent.end and low[start] in INTRO_WORDS:
            comma = next((i for i in range(start + 1, min(start + 14, sent.end)) if low[i] in (",", ":")), None)
            if comma is None:
                break
            start = _past_apposition(low, comma + 1, sent.end)
        else:
            break
    start = _past_lead_in(low, start, sent.end)
    for i in range(start, min(start + 16, sent.end - 2)):
        if low[i] in REPORTING_VERBS and low[i + 1] == ":":  # 'Dr Qureshi said: "Modern Z-drugs ..."'
            return i + 3 if low[i + 2] in ('"', "“") else i + 2
        if (low[i] in REPORTING_VERBS or low[i] in _STANDING_WORDS and _it_is_before(low, i, start)) and low[i + 1] == "that":
            return i + 2  # "A 2019 review concluded that X ...", "It is proven that X ..."
        if low[i] in _STANDING_WORDS and low[i + 1] in ("whether", "if") and _it_is_before(low, i, start):
            return i + 2  # "It is not yet clear whether X affects ...": about X
        if low[i] in REPORTING_VERBS and low[i + 1] in _PRONOUNS:
            return i + 1  # "Small studies suggest they may reduce pain": the clause is about "they"
    return start


# Words of "it is <word> that X": the clause is about X ("it is proven that statins prevent ...").
_STANDING_WORDS = frozenset(
    "proven proved shown known clear established certain evident accepted likely unlikely possible true "
    "thought believed recognised recognized unclear uncertain unknown".split()
)


def _it_is_before(low: Sequence[str], i: int, start: int) -> bool:
    """Does "it is" (or "it has been", "it's", "it is now well") stand before token ``i``?"""
    words = low[max(start, i - 4) : i]
    return "it" in words and any(w in ("is", "'s", "was", "been") for w in words[words.index("it") + 1 :])


# Last words of a lead-in that announces what follows ("A few other practical points: X is ...", "The
# bottom line: ...", "Note: ..."): the claim starts after its colon.
_LEAD_IN_WORDS = frozenset(
    "point points fact facts tip tips thing things note notes reminder reminders takeaway takeaways summary "
    "line verdict answer important remember warning caution update advice".split()
)


def _past_lead_in(low: Sequence[str], start: int, end: int) -> int:
    """Past a lead-in ending in a colon, with no verb of its own, before a clause that has one."""
    colon = next((i for i in range(start + 1, min(start + 8, end)) if low[i] == ":"), None)
    if colon is None or low[colon - 1] not in _LEAD_IN_WORDS or any(low[i] in BOUNDARY_WORDS for i in range(start, colon)):
        return start
    if not any(low[i] in BOUNDARY_WORDS for i in range(colon + 1, end)):
        return start  # "Key facts: nausea, vomiting and headache"
    return colon + 1


def _past_apposition(low: Sequence[str], start: int, end: int) -> int:
    """Where the main clause starts after an introductory phrase that ends at ``start``: past an
    apposition that describes the phrase's noun ("Unlike THC, the compound that causes a high, CBD is
    ..."), a phrase with a relative clause between two commas; else ``start``."""
    if start >= end or low[start] not in ("the", "a", "an"):
        return start
    comma = next((i for i in range(start + 1, min(start + 14, end)) if low[i] == ","), None)
    if comma is None or comma + 2 >= end or not any(low[i] in RELATIVE_WORDS for i in range(start + 2, comma)):
        return start
    return comma + 1


def cleft_focus(sent: Span, first: int, blocked: set[int]) -> int | None:
    """Where the focus of a cleft starts: "It is the tar in cigarette smoke that causes cancer" is about
    the tar, not about "it". Only a definite phrase with no aspect, predicate or cue word in it: "It is a
    safe drug that works" and "It is the safest option that ..." describe "it"."""
    low = lowers(sent.doc)
    if not (first + 3 < sent.end and low[first] == "it" and low[first + 1] in ("is", "was", "'s")):
        return None
    if low[first + 2] not in _CLEFT_DETERMINERS or low[first + 3] in _RANKING_WORDS or low[first + 3].endswith("est"):
        return None  # "It is the safest drug that ...", "It is the only treatment that ...": about "it"
    that = next((i for i in range(first + 3, sent.end) if low[i] in ("that", "who")), None)
    if that is None or any(i in blocked for i in range(first + 2, that)):
        return None
    return first + 2


def predicate_index(sent: Span, lexicon_spans: Sequence[Span], cue_spans: Sequence[Span]) -> int:
    """Doc token index where the predicate starts (the end of the subject phrase)."""
    first = clause_start(sent)
    first = cleft_focus(sent, first, blocked_tokens(lexicon_spans, cue_spans)) or first
    # "side effects" names what the predicate is about, it does not end the subject ("Common side effects of X")
    starts = [s.start for s in lexicon_spans if s.label_.startswith("PRED|") and s.label_ != "PRED|adverse" and s.start > first]
    doc = sent.doc
    low = lowers(doc)
    starts += [
        c.start
        for c in cue_spans
        if c.label_ in ("NEGATION", "PROVEN", "POSSIBLE", "PROBABLE") and c.start > first
        and not (c.label_ == "NEGATION" and low[c.start - 1] in ("but", ","))  # "X, but not Y, leads to"
    ]
    tagged = has_pos(doc)
    for i in range(first + 1, sent.end):
        if low[i] in BOUNDARY_WORDS or tagged and doc[i].pos_ in ("AUX", "VERB"):
            starts.append(i)
            break
    return min(starts) if starts else sent.end


def _anaphor_at(tokens: list, lexicon: Lexicon) -> bool:
    if not tokens:
        return False
    words = tuple(t.lower_ for t in tokens[:2])
    phrases = _anaphor_phrases(lexicon.anaphors)
    return words[:1] in phrases or words in phrases


@cache
def _anaphor_phrases(anaphors: tuple[str, ...]) -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(phrase.split()) for phrase in anaphors)


def read_subject(
    sent: Span,
    pred: int,
    *,
    term_spans: Sequence[Span],
    lexicon_spans: Sequence[Span],
    cue_spans: Sequence[Span],
    lexicon: Lexicon,
    vocabulary: Vocabulary,
) -> SubjectReading:
    """The subject of ``sent``: a vocabulary term, a referring pronoun, or the first content phrase."""
    first = clause_start(sent)
    first = cleft_focus(sent, first, blocked_tokens(lexicon_spans, cue_spans)) or first
    qualifier = {i for s in lexicon_spans if s.label_.startswith("SCOPE|") for i in range(s.start, s.end)}
    low = lowers(sent.doc)
    in_span = [
        t for t in term_spans
        if t.start >= first and t.end <= pred and t.start not in qualifier
        and not (t.start > 0 and low[t.start - 1] in _SET_ASIDE)
    ]
    preferred = [t for t in in_span if vocabulary.type_of(t.id_) in INTERVENTION_TYPES]
    preferred.sort(key=lambda t: (t.id_ not in vocabulary.entities, t.start))
    if preferred:
        return term_reading(preferred[0])
    if in_span:  # only conditions named: a content phrase before them is the subject ("probiotics for IBS")
        term_tokens = {i for t in in_span for i in range(t.start, t.end)}
        before = [t for t in sent.doc[first : in_span[0].start] if t.i not in term_tokens]
        run = content_run(before, blocked_tokens(lexicon_spans, cue_spans), lexicon)
        if run:
            return _reading(sent, run, vocabulary, lexicon)
        return term_reading(in_span[0])
    tokens = list(sent.doc[first:pred])
    commas = [k for k, t in enumerate(tokens) if t.text == ","]
    if pred < sent.end and commas and commas[-1] == len(tokens) - 1 and commas[0] > 0:
        clause = tokens[: commas[0]]  # "CD40, but not LPS, leads to ...": what stands before the aside
    elif pred < sent.end:
        clause = tokens[commas[-1] + 1 :] if commas else tokens  # "By blocking this receptor, ketamine ..."
    else:  # no predicate found: what follows a comma is not the subject ("3 injections, spaced 1 week apart")
        clause = tokens[: commas[0]] if commas else tokens
    if _anaphor_at(clause, lexicon):
        return SubjectReading(ANAPHOR, clause[0].text, clause[0].i, clause[0].i + 1)
    blocked = blocked_tokens(lexicon_spans, cue_spans)
    run = content_run(clause, blocked, lexicon)
    if not run and commas and clause and clause[0].lower_ in RELATIVE_WORDS:
        # "IV lidocaine, which can ..., has shown": the subject stands before the relative clause
        run = content_run(tokens[: commas[0]], blocked, lexicon)
    if not run:
        return NO_SUBJECT
    return _reading(sent, run, vocabulary, lexicon)


def subject_variant(sent: Span, subject: SubjectReading, blocked: set[int], lexicon: Lexicon) -> str:
    """The kind of the subject named right before it: "Estrogen-only HRT", "Combined HRT",
    "extended-release methylphenidate" ("" when none). Qualifiers, aspects and cues are read elsewhere."""
    i = subject.start - 1
    if subject.start < 0 or i < sent.start or i in blocked:
        return ""
    low = sent.doc[i].lower_
    if low in _VARIANT_WORDS:
        return low
    parts = low.split("-")
    if (
        len(parts) > 1
        and all(p.isalpha() for p in parts)
        and not low.startswith(_NOT_VARIANTS)
        and low not in lexicon.generic_nouns  # "evidence-based"
    ):
        return low
    return ""


def term_name(span: Span) -> str:
    """A vocabulary term's name as a subject; a vaccine against it is a thing of its own ("the HPV
    vaccine": human papillomavirus vaccine, not the virus)."""
    doc = span.doc
    if span.end < len(doc) and lowers(doc)[span.end] in _VACCINE_NOUNS:
        return f"{span.id_} vaccine"
    return span.id_


def term_reading(span: Span) -> SubjectReading:
    """The subject reading of a vocabulary term (see ``term_name``)."""
    name = term_name(span)
    end = span.end + 1 if name != span.id_ else span.end
    return SubjectReading(name, span.doc[span.start : end].text, span.start, end)


def blocked_tokens(lexicon_spans: Sequence[Span], cue_spans: Sequence[Span]) -> set[int]:
    """Tokens that belong to a cue, an aspect, a predicate or a qualifier: never part of a subject."""
    blocked: set[int] = set()
    for span in lexicon_spans:
        if span.label_.startswith(("SCOPE|", "ASPECT|", "PRED|", "DURATION|")):
            blocked.update(range(span.start, span.end))
    for cue in cue_spans:
        blocked.update(range(cue.start, cue.end))
    return blocked


def content_run(tokens: Sequence, blocked: set[int], lexicon: Lexicon) -> list:
    """The first run of content words: no stop word, generic noun, cue, verb after 'to', or unit after a
    number ("Doses of 0.5-5 mg are common" names no subject). Without a
    tagger, an adverb in -ly does not start a run and ends one before a word in -s or -ed, or before the
    predicate ("Hemoglobin usually rises"), and the word after a group of people is their verb
    ("Most adults need 600 IU", "Children typically take 1 mg"): no run then; after "who" or "that"
    it is skipped ("People who take statins": statins)."""
    run: list = []
    previous = ""
    # a unit after a number (or "/") measures it: "5 mg", "10 hours", "10 micrograms/mL", "4 grams a day"
    previous_number = False
    after_people = relative = object_slot = False
    for k, tok in enumerate(tokens):
        low = tok.lower_
        unit = previous_number and unit_table().lookup(tok.text) is not None
        content = (
            _ALPHA.match(tok.text)
            and low not in STOP_WORDS
            and low not in _RUN_BREAKS
            and low not in lexicon.generic_nouns
            and tok.i not in blocked
            and previous != "to"
            and not unit
            and tok.pos_ not in ("VERB", "AUX", "ADV", "ADP")
        )
        previous = low
        previous_number = tok.like_num or low == "/" or (previous_number and (unit or low in _PER_WORDS or low == ")"))
        if content and low.endswith("ly") and len(low) > 5 and not tok.pos_:
            if not run:
                continue  # "usually", "typically"
            if low not in LY_NOUNS:
                break  # "Hemoglobin usually rises", "Side effects of X usually wear off": the adverb stands before the verb
        if relative and not tok.pos_:  # "People who take statins have ...": what they take is the subject
            if low in _RELATIVE_AUX:
                continue
            relative, after_people, object_slot = False, False, True
            if k + 1 < len(tokens) and tokens[k + 1].lower_.endswith("ed"):
                return []  # "Patients who did not respond received ...": no object, the main verb follows
            continue
        if object_slot and not run and low in _OBJECT_ENDS:
            # "Children who start the series before ...", "People who start at age 15": the verb has no
            # object that names a thing, and what follows is no subject
            return []
        if content and not run and after_people and not tok.pos_:
            return []
        if run and low in PEOPLE and not tok.pos_ and all(t.lower_.endswith(_ADJECTIVE_ENDINGS) for t in run):
            # "Healthy adults", "Diabetic patients": the words before describe the people ("cannabis users": not)
            run, after_people = [], True
            continue
        relative = after_people and not run and low in ("who", "that")
        after_people = after_people or low in PEOPLE
        if content:
            run.append(tok)
        elif run and low in lexicon.relief_words and k + 1 < len(tokens) and tokens[k + 1].lower_ in ("from", "of"):
            run = []  # "the pain relief from acupuncture": what gives it is the subject
        elif run:
            break
    return run


# Words in -ly that are no adverbs
LY_NOUNS = frozenset(
    {"supply", "family", "assembly", "anomaly", "monopoly", "butterfly", "elderly", "likely", "weekly", "monthly",
     "yearly", "friendly", "jelly", "belly", "italy"}
)
# Prepositions spaCy does not count as stop words: "probiotics alongside antibiotics" is about probiotics
_RUN_BREAKS = frozenset({"alongside", "plus", "versus", "vs", "vs.", "compared"})


def _reading(sent: Span, run: list, vocabulary: Vocabulary, lexicon: Lexicon) -> SubjectReading:
    after = run[-1].i + 1
    if after < sent.end and all(t.lower_.endswith(("ing", *_ADJECTIVE_ENDINGS)) for t in run):
        # "Sleeping pills", "Physical therapy", "Herbal supplements": the noun names the thing, the words
        # before only describe it (unlike "zinc lozenges", "ketamine therapy")
        noun = sent.doc[after].lower_
        if noun in _FORM_NOUNS or noun in _TREATMENT_NOUNS:
            run, after = [*run, sent.doc[after]], after + 1
    if after + 2 < sent.end and sent.doc[after].lower_ == "such" and sent.doc[after + 1].lower_ == "as":
        # "Sleeping pills such as zopiclone can cause dependence": what is said of the class is said of
        # the member it names, and the member is what other pages name
        example = content_run(list(sent.doc[after + 2 : min(after + 6, sent.end)]), set(), lexicon)
        if example and example[0].i == after + 2:
            run = example
    surface = sent.doc[run[0].i : run[-1].i + 1].text
    words = [singular(t.lower_) for t in run]
    shot = len(run) > 1 and words[-1] in _SHOT_WORDS and run[-2].lower_ in lexicon.condition_heads
    if len(words) > 1 and (words[-1] in _VACCINE_WORDS or shot):
        words[-1] = "vaccine"  # "flu vaccination", "the flu shot": the flu vaccine ("B12 shots": injections)
    canonical = vocabulary.canonical(surface) or " ".join(words)
    return SubjectReading(canonical, surface, run[0].i, run[-1].i + 1)


def later_subject(
    sent: Span,
    pred: int,
    *,
    term_spans: Sequence[Span],
    lexicon_spans: Sequence[Span],
    cue_spans: Sequence[Span],
    lexicon: Lexicon,
    vocabulary: Vocabulary,
    skip_conditions: set[int],
) -> SubjectReading:
    """When the subject position names nothing ("More research is needed on X"): the first
    vocabulary term after the predicate, else its first content phrase that is not a condition."""
    after = [t for t in term_spans if t.start >= pred and vocabulary.type_of(t.id_) in INTERVENTION_TYPES]
    if after:
        return term_reading(after[0])
    blocked = blocked_tokens(lexicon_spans, cue_spans) | skip_conditions
    run = content_run(list(sent.doc[pred + 1 : sent.end]), blocked, lexicon)
    return _reading(sent, run, vocabulary, lexicon) if run else NO_SUBJECT


def measured_thing(
    sent: Span, *, term_spans: Sequence[Span], lexicon_spans: Sequence[Span], cue_spans: Sequence[Span],
    lexicon: Lexicon, vocabulary: Vocabulary,
) -> SubjectReading:
    """What an amount measures, when the subject position names people ("Pregnant women need 30 mg of
    iron per day"): the words after "<number> <unit> of"."""
    doc = sent.doc
    low = lowers(doc)
    for i in range(sent.start, sent.end - 3):
        if not doc[i].like_num:
            continue
        # the unit may be two words ("400 international units of vitamin D")
        of = next((i + k + 1 for k in (1, 2) if i + k + 1 < sent.end and low[i + k + 1] == "of"), None)
        if of is None or not unit_table().lookup(doc[i + 1 : of].text):
            continue
        term = next((t for t in term_spans if t.start == of + 1), None)
        if term is not None:
            return term_reading(term)
        run = content_run(list(doc[of + 1 : min(of + 5, sent.end)]), blocked_tokens(lexicon_spans, cue_spans), lexicon)
        # the thing measured follows "of" ("10 hours of infusions could provide ...": no thing named)
        return _reading(sent, run, vocabulary, lexicon) if run and run[0].i == of + 1 else NO_SUBJECT
    return NO_SUBJECT


def people_object(
    sent: Span, *, term_spans: Sequence[Span], lexicon_spans: Sequence[Span], cue_spans: Sequence[Span],
    lexicon: Lexicon, vocabulary: Vocabulary,
) -> SubjectReading:
    """What people are told to have or start, when the subject position names people or the reader
    ("People at average risk should have a colonoscopy every 10 years", "Women should start mammograms
    at 40", "you will usually take progestogen every day")."""
    low = lowers(sent.doc)
    first = clause_start(sent)  # "If your periods have stopped, you will usually take progestogen every day"
    people = next((i for i in range(first, min(first + 4, sent.end)) if low[i] in PEOPLE or low[i] == "you"), None)
    if people is None:
        return NO_SUBJECT
    verb = next((i for i in range(people + 1, min(people + 10, sent.end - 1)) if low[i] in _TAKING_VERBS), None)
    if verb is None:
        return NO_SUBJECT
    if verb + 2 < sent.end and low[verb + 1] == "to" and low[verb + 2] in _TAKING_VERBS:
        verb += 2  # "you will need to take HRT"
    term = next((t for t in term_spans if verb < t.start <= verb + 3), None)
    if term is not None:
        return term_reading(term)
    run = content_run(list(sent.doc[verb + 1 : min(verb + 6, sent.end)]), blocked_tokens(lexicon_spans, cue_spans), lexicon)
    if not run or any(low[i] not in _OBJECT_OPENERS for i in range(verb + 1, run[0].i)):
        return NO_SUBJECT  # "People who start at age 15": no object
    return _reading(sent, run, vocabulary, lexicon)


def anaphor_head(reading: SubjectReading, sent: Span, lexicon: Lexicon) -> SubjectReading:
    """'The drug' with nothing to refer back to: the noun itself is the subject."""
    doc = sent.doc
    tokens = [t for t in doc[reading.start : min(reading.start + 2, sent.end)] if t.lower_ not in STOP_WORDS]
    if tokens and _ALPHA.match(tokens[0].text):
        return SubjectReading(singular(tokens[0].lower_), tokens[0].text, tokens[0].i, tokens[0].i + 1)
    return NO_SUBJECT


def mentioned(sent: Span, name: str, term_spans: Sequence[Span]) -> bool:
    """Whether ``name`` (canonical) is mentioned in ``sent``."""
    if any(t.id_ == name for t in term_spans if sent.start <= t.start < sent.end):
        return True
    return f" {name} " in f" {span_text(sent).lower()} "
