"""Conflicts between claims: polarity, antonym, certainty, evidence, numeric, terminology."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import product
from typing import Protocol

from claimaudit.claimset import ClaimRef, claim_of
from claimaudit.compare.pairing import block, cross_pairs, ordered
from claimaudit.compare.rules import RULES, Rule
from claimaudit.normalize.certainty import GRADE_RANK, RANK
from claimaudit.nlp.lexicon import default_lexicon, stop_words
from claimaudit.normalize.quantities import describe_quantity
from claimaudit.normalize.scope import PEOPLE, conditions_overlap, object_parts, singular
from claimaudit.normalize.terms import Variant, Vocabulary, head_word
from claimaudit.records import Claim, Conflict, NonConflict, Quantity


HIGH = {"proven"}
CERTAINTY_ASPECTS = ("efficacy", "safety")
LOW = {"mixed", "unknown"}
WEAK_GRADES = {"weak", "insufficient"}  # a claim with such stated evidence is unsettled, whatever its wording
COMPARED_ROLES = {
    "infusion_duration", "relief_duration", "course_duration", "condition_duration", "dose", "dose_rate",
    "share", "proportion", "probability", "date", "interval", "dose_count", "start_age", "amount", "efficacy_rate",
}
PREDICATE_RULES = frozenset({"CA201", "CA202", "CA203", "CA204"})
ROLE_NAMES = {
    "infusion_duration": "infusion length",
    "relief_duration": "duration of relief",
    "course_duration": "length of a course",
    "condition_duration": "duration of the condition",
    "dose": "dose",
    "dose_rate": "dose rate",
    "share": "share",
    "probability": "probability",
    "date": "date",
    "interval": "dosing interval",
    "dose_count": "number of doses",
    "start_age": "starting age",
    "amount": "amount",
    "efficacy_rate": "efficacy",
}

CONDITION_WORDS = default_lexicon().condition_heads
PAST = {"approve": "approved", "recommend": "recommended", "discourage": "discouraged"}
CHANGE_VERBS = {
    "increase": ("increases", "does not increase"),
    "decrease": ("reduces", "does not reduce"),
    "cause": ("causes", "does not cause"),
    "improve": ("improves", "does not improve"),
    "adverse": ("has side effects", "has no side effects"),
}
IntervalCheck = Callable[[Quantity, Quantity], tuple[bool, str]]


@dataclass(slots=True)
class Findings:
    conflicts: list[Conflict] = field(default_factory=list)
    not_flagged: list[NonConflict] = field(default_factory=list)
    compared_groups: int = 0
    agreeing_groups: int = 0
    candidate_pairs: int = 0  # claim pairs examined after blocking (the cost of comparison)


@dataclass(slots=True)
class _Candidate:
    rule: Rule
    a: Claim
    b: Claim
    topic: str
    explanation: str
    values: tuple[str, str]
    score: tuple
    severity: str = ""


@dataclass(slots=True)
class GroupResult:
    """What comparing one blocking group gives: the comparable candidates in order, the first close
    call per (topic, rule, documents), and the counts. It depends on the group's claims alone (and
    the engine), so a ``GroupMemo`` can keep it for a group whose claims did not change."""

    candidates: list[_Candidate] = field(default_factory=list)
    close_calls: dict[tuple, NonConflict] = field(default_factory=dict)
    examined: int = 0
    compared: int = 0  # numeric groups: roles compared, and roles whose values all agreed
    agreeing: int = 0

    def to_json(self) -> list:
        return [
            [[c.rule.code, c.a.id, c.b.id, c.topic, c.explanation, list(c.values), list(c.score), c.severity]
             for c in self.candidates],
            [[list(key), list(n.claim_ids), n.topic, n.reason] for key, n in self.close_calls.items()],
            self.examined, self.compared, self.agreeing,
        ]

    @classmethod
    def from_json(cls, data: list, group: Sequence[Claim | ClaimRef]) -> GroupResult:
        """The result stored by ``to_json`` for ``group`` (whose claims it names by id; only those of
        its candidates are decoded)."""
        candidates, close_calls, examined, compared, agreeing = data
        by_id = {c.id: c for c in group} if candidates else {}
        return cls(
            [_Candidate(RULES[r], claim_of(by_id[a]), claim_of(by_id[b]), str(t), str(e), (str(v[0]), str(v[1])), tuple(sc), str(sev))
             for r, a, b, t, e, v, sc, sev in candidates],
            {tuple(key): NonConflict((str(ids[0]), str(ids[1])), str(t), str(why)) for key, ids, t, why in close_calls},
            int(examined), int(compared), int(agreeing),
        )


class GroupMemo(Protocol):
    """Results of groups already compared (``claimaudit.cache.ComparisonCache``)."""

    def get(self, kind: str, key: Hashable, group: Sequence[Claim | ClaimRef]) -> GroupResult | None: ...

    def put(self, kind: str, key: Hashable, group: Sequence[Claim | ClaimRef], result: GroupResult) -> None: ...


def fingerprint(rule: str, a: Claim, b: Claim) -> str:
    """Stable id from the rule, both claims' normalized text and paths; never from line numbers."""
    parts = sorted(f"{c.source}\x00{c.aspect}\x00{' '.join(c.quote.lower().split())}" for c in (a, b))
    return "F" + hashlib.sha1("\x01".join([rule, *parts]).encode()).hexdigest()[:12]


def _q(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return f"'{text}'" if len(text) <= limit else f"'{text[: limit - 1]}…'"


class ConflictFinder:
    """Compares claims that share a subject and aspect, within compatible scope."""

    def __init__(
        self, *, vocabulary: Vocabulary, intervals_compatible: IntervalCheck, memo: GroupMemo | None = None
    ) -> None:
        self.vocabulary = vocabulary
        self.intervals_compatible = intervals_compatible
        self.memo = memo
        self._examined = 0
        markers = sorted(default_lexicon().contrast_markers, key=len, reverse=True)
        alternatives = "|".join(r"\s+".join(map(re.escape, m.split())) for m in markers)
        self._contrast = re.compile(rf"\b(?:{alternatives})\b", re.I)

    # --- scope ------------------------------------------------------------------------------------

    def incompatibility(self, a: Claim, b: Claim, rule: Rule | None = None) -> str:
        """Why two claims cannot be compared ("" when they can). Certainty and evidence rules read an
        unstated qualifier as its default (lexicon ``scope_default``): a population on one side only is
        then a difference of scope."""
        lexicon = default_lexicon()
        for key, unstated in sorted(lexicon.subject_scope.items()):  # "vitamin D deficiency" vs "vitamin D"
            x, y = a.scope.get(key, unstated), b.scope.get(key, unstated)
            if x != y:
                return f"different {key}: {x} vs {y}"
        scope_a, scope_b = a.scope, b.scope
        if rule is not None and rule.code in ("CA301", "CA302"):
            scope_a, scope_b = lexicon.scope_default | scope_a, lexicon.scope_default | scope_b
        for key in sorted(set(scope_a) & set(scope_b) - {"condition"}):
            x, y = scope_a[key], scope_b[key]
            if x == y:
                continue
            # figures for a group and for a group inside it differ on purpose ("women need 18 mg a day";
            # "during pregnancy, 27 mg"), and so does advice ("well tolerated by healthy adults"; "not
            # recommended during pregnancy"): they meet only where one side states no group
            stated = rule is not None and rule.code in ("CA401", "CA204") and key in a.scope and key in b.scope
            if stated or not (lexicon.within(key, x, y) or lexicon.within(key, y, x)):
                return f"different {key}: {x} vs {y}"
        if rule is not None and rule.code in ("CA301", "CA302"):
            group = _weaker_only_for(a, b, rule.code)
            if group:
                # "Statins are highly effective" against "for people over 75, the evidence is limited": a
                # group's evidence is often thinner than the whole; the general claim does not deny it
                return f"the weaker evidence is only for {group}"
        ok, why = conditions_overlap(_treated(a), _treated(b), self.vocabulary)
        if not ok:
            return why
        for general, limited in ((a, b), (b, a)):
            extra = _limits(limited, general)
            if extra and _MOST_PEOPLE.search(general.quote):
                # "safe for most people when taken as directed" against "not safe for children under 6
                # months": the first says there are exceptions, the second names one
                return f"'{_MOST_PEOPLE.search(general.quote).group(0).lower()}' allows exceptions ({extra})"
        for none, some in ((a, b), (b, a)):
            most = _MOST_PEOPLE.search(none.quote) if none.predicate == "adverse" and none.polarity == "negative" else None
            if most and some.polarity == "positive":
                # "Most people have no side effects" against "X can cause side effects": some people do
                return f"'{most.group(0).lower()}' have none: others may"
        ages_a, ages_b = _ages(a), _ages(b)
        if ages_a and ages_b and not any(self._ages_meet(x, y) for x in ages_a for y in ages_b):
            return f"different ages: {_age_text(ages_a)} vs {_age_text(ages_b)}"
        if a.source == b.source and bool(ages_a) != bool(ages_b):  # "safe for children; not under 2 years"
            return f"the document makes an exception for age {_age_text(ages_a or ages_b)}"
        if a.source == b.source:
            if a.attribution and b.attribution and a.attribution != b.attribution:
                return f"the document reports a disagreement between sources ({a.attribution}; {b.attribution})"
        elif _specific(a.attribution) and _specific(b.attribution) and a.attribution != b.attribution:
            return f"attributed to different sources ({a.attribution}; {b.attribution})"
        return ""

    def _ages_meet(self, x: Quantity, y: Quantity) -> bool:
        """Whether two ages can hold of one person: as quantities, and not two sides of one boundary
        ("under 15" and "15 or older" meet nowhere, though rounding would let them touch)."""
        if not self.intervals_compatible(x, y)[0]:
            return False
        for lower, upper in ((x, y), (y, x)):
            if lower.base_high == upper.base_low and (lower.comparator == "<" or upper.comparator == ">"):
                return False
        return True

    def deliberate_contrast(self, rule: Rule, a: Claim, b: Claim) -> str:
        """Opposite statements of one document, one of them marked as a contrast ("In contrast, ...
        did not"): the author sets two situations against each other ("" when not so)."""
        if rule.code not in PREDICATE_RULES or a.source != b.source:
            return ""
        for claim in (b, a):
            m = self._contrast.search(claim.quote)
            if m:
                return f"the document sets them against each other ('{' '.join(m.group(0).lower().split())}')"
        return ""

    # --- finding ----------------------------------------------------------------------------------

    def find(self, claims: Sequence[Claim | ClaimRef], variants: Iterable[tuple[Variant, list[Claim]]] = ()) -> Findings:
        """The conflicts among ``claims`` (or references to them: a group is decoded only when it is
        compared, and a group the memo knows only for its candidates' claims) and the misspellings."""
        findings = Findings()
        candidates: list[_Candidate] = []
        skipped: dict[tuple, NonConflict] = {}
        results = [
            self._group("topic", key, group, self._compare_topic)
            for key, group in block(claims, lambda c: (c.subject, c.aspect)).items()
        ]
        numeric_groups = block(
            (c for c in claims if c.polarity == "positive" and c.certainty not in LOW),
            lambda c: c.subject,
        )
        results += [self._group("numeric", subject, group, self._compare_numeric) for subject, group in numeric_groups.items()]
        advised = {c.subject for c in claims if c.aspect == "recommendation"}
        advice_groups = block(
            claims, lambda c: c.subject if c.aspect in ("safety", "recommendation") and c.subject in advised else None
        )
        results += [self._group("advice", subject, group, self._compare_advice) for subject, group in advice_groups.items()]
        for result in results:
            candidates += result.candidates
            for key, close_call in result.close_calls.items():
                skipped.setdefault(key, close_call)
            findings.candidate_pairs += result.examined
            findings.compared_groups += result.compared
            findings.agreeing_groups += result.agreeing
        findings.conflicts = self._fold(candidates)
        findings.conflicts += self._terminology(variants)
        findings.conflicts.sort(key=lambda c: (c.topic, c.kind, c.claim_ids, c.id))
        findings.not_flagged = sorted(skipped.values(), key=lambda n: (n.topic, n.claim_ids))
        return findings

    def _group(
        self, kind: str, key: Hashable, group: list[Claim | ClaimRef], compare: Callable[[Hashable, list[Claim]], GroupResult]
    ) -> GroupResult:
        """``compare(key, group)``, or the memo's result for the same group."""
        found = self.memo.get(kind, key, group) if self.memo else None
        if found is None:
            found = compare(key, [claim_of(c) for c in group])
            if self.memo:
                self.memo.put(kind, key, group, found)
        return found

    def _compare_topic(self, key: Hashable, group: list[Claim]) -> GroupResult:
        """Predicate, certainty and evidence pairs among claims of one subject and aspect."""
        subject, aspect = key  # type: ignore[misc]
        topic = f"{subject} / {aspect}"
        if self._is_condition(subject) and aspect not in ("mechanism", "effect"):
            group = []  # every claim of the group has this subject
        self._examined = 0
        found = self._predicates(group, topic)
        if aspect in CERTAINTY_ASPECTS:
            found = self._certainty(group, topic) + self._evidence(group, topic) + found
        result = GroupResult(examined=self._examined)
        for cand in found:
            self._admit(cand, result)
        return result

    def _compare_numeric(self, subject: Hashable, group: list[Claim]) -> GroupResult:
        self._examined = 0
        counts = Findings()
        found = self._numeric(group, str(subject), counts)
        result = GroupResult(examined=self._examined, compared=counts.compared_groups, agreeing=counts.agreeing_groups)
        for cand in found:
            self._admit(cand, result)
        return result

    def _compare_advice(self, subject: Hashable, group: list[Claim]) -> GroupResult:
        """A verdict on safety against advice for the same group of people ("safe during pregnancy";
        "not recommended during pregnancy"): CA204. Only pairs that name the same population, ages that
        meet or a shared condition: a bare "not recommended" may be about whether it works."""
        self._examined = 0
        safety = [c for c in group if c.aspect == "safety" and _stance(c)]
        advice = [c for c in group if c.aspect == "recommendation" and _stance(c)]
        result = GroupResult()
        for x, y in cross_pairs(safety, advice):
            self._examined += 1
            if _stance(x) == _stance(y):
                continue
            anchor = self._anchor(x, y)
            if anchor is None:
                continue
            a, b = ordered(x, y)
            both = f"; both for {anchor}" if anchor else ""
            expl = f"{_pred_text(a)} ({a.aspect}) vs {_pred_text(b)} ({b.aspect}){both}{self._relation_note(a, b)}"
            values = (f"{a.aspect}: {a.polarity} {a.predicate}", f"{b.aspect}: {b.polarity} {b.predicate}")
            score = (bool(a.attribution or b.attribution), _vagueness(a, b))
            self._admit(_Candidate(RULES["CA204"], a, b, f"{subject} / safety", expl, values, score), result)
        result.examined = self._examined
        return result

    def _anchor(self, x: Claim, y: Claim) -> str | None:
        """What two claims are both about: a population ("pregnant"), ages that meet, or "" for a
        shared condition (the relation note names it); None when nothing ties them together."""
        px, py = x.scope.get("population", ""), y.scope.get("population", "")
        lexicon = default_lexicon()
        if px and py and (lexicon.within("population", px, py) or lexicon.within("population", py, px)):
            return px if lexicon.within("population", px, py) else py
        ages_x, ages_y = _ages(x), _ages(y)
        if ages_x and ages_y and any(self._ages_meet(p, q) for p in ages_x for q in ages_y):
            return f"age {_age_text(ages_x)}"
        cx, cy = _conditions(x), _conditions(y)
        if cx and cy and conditions_overlap(cx, cy, self.vocabulary)[0]:
            return ""
        return None

    def _relation_note(self, a: Claim, b: Claim) -> str:
        """Why the two claims were compared: '; both about X', '; depression is narrower than psychiatric
        disorder', '; only b.md limits it to X', and whom each cites, if anyone."""
        notes = []
        ca, cb = _treated(a), _treated(b)
        if ca and cb:
            _, why = conditions_overlap(ca, cb, self.vocabulary)
            shared = [x for x in ca if x in cb]
            notes.append(why or (f"both about {shared[0]}" if shared else ""))
        elif ca or cb:  # the other claim is unqualified: the reviewer decides whether it was meant broadly
            notes.append(_only(a, ", ".join(ca)) if ca else _only(b, ", ".join(cb)))
        for key in sorted((set(a.scope) ^ set(b.scope)) - {"condition"}):  # "long-term use increases ..."
            one = a if key in a.scope else b
            notes.append(_only(one, f"{one.scope[key]} ({key})"))
        ages_a, ages_b = _ages(a), _ages(b)
        if bool(ages_a) != bool(ages_b):  # "safe for infants" against "not safe for infants under 3 months"
            notes.append(_only(a, f"age {_age_text(ages_a)}") if ages_a else _only(b, f"age {_age_text(ages_b)}"))
        cited = [f"{c.source.rsplit('/', 1)[-1]} cites {c.attribution}" for c in (a, b) if c.attribution]
        notes += cited
        return "".join(f"; {n}" for n in notes if n)

    def _is_condition(self, subject: str) -> bool:
        """A claim whose subject is a condition ("chronic pain is ...") says nothing of a treatment."""
        if self.vocabulary.type_of(subject) in ("condition", "population"):
            return True
        return head_word(subject) in CONDITION_WORDS

    def _admit(self, cand: _Candidate, result: GroupResult) -> None:
        """Keep a candidate whose claims are comparable; remember the first close call per documents."""
        why = self.incompatibility(cand.a, cand.b, cand.rule) or self.deliberate_contrast(cand.rule, cand.a, cand.b)
        if not why:
            result.candidates.append(cand)
            return
        key = (cand.topic, cand.rule.code, cand.a.source, cand.b.source)
        if key not in result.close_calls:
            result.close_calls[key] = NonConflict((cand.a.id, cand.b.id), cand.topic, f"{cand.rule.kind}: {why}")

    def _certainty(self, group: list[Claim], topic: str) -> list[_Candidate]:
        """Established against unsettled: "proven" against "mixed", "unknown" or stated weak evidence
        (a pair with two stated grades is the evidence rule's)."""
        high = [c for c in group if c.certainty in HIGH and c.polarity == "positive"]
        low = [c for c in group if (c.certainty in LOW or c.evidence in WEAK_GRADES) and c.polarity == "positive"]
        out = []
        for x, y in cross_pairs(high, low):
            self._examined += 1
            if x.evidence and y.evidence:
                continue
            a, b = ordered(x, y)
            sa, sb = _standing(a), _standing(b)
            out.append(
                _Candidate(
                    RULES["CA301"], a, b, topic,
                    f"{_cue_text(a)} ({': '.join(sa)}) vs {_cue_text(b)} ({': '.join(sb)}){self._relation_note(a, b)}",
                    (sa[1], sb[1]),
                    (bool(a.attribution or b.attribution), _vagueness(a, b), -(RANK[x.certainty] - RANK[y.certainty])),
                )
            )
        return out

    def _evidence(self, group: list[Claim], topic: str) -> list[_Candidate]:
        """Pairs across different stated grades only."""
        by_grade = block((c for c in group if c.evidence and c.polarity == "positive"), lambda c: c.evidence)
        grades = sorted(by_grade, key=lambda g: GRADE_RANK[g])
        out = []
        for i, low in enumerate(grades):
            for high in grades[i + 1 :]:
                gap = GRADE_RANK[high] - GRADE_RANK[low]
                for x, y in cross_pairs(by_grade[low], by_grade[high]):
                    self._examined += 1
                    a, b = ordered(x, y)
                    out.append(
                        _Candidate(
                            RULES["CA302"], a, b, topic,
                            f"{_cue_text(a, evidence=True)} (evidence: {a.evidence}) vs "
                            f"{_cue_text(b, evidence=True)} (evidence: {b.evidence}){self._relation_note(a, b)}",
                            (a.evidence, b.evidence),
                            (bool(a.attribution and b.attribution), _vagueness(a, b), -gap),
                            "error" if gap >= 2 else "warning",
                        )
                    )
        return out

    def _predicates(self, group: list[Claim], topic: str) -> list[_Candidate]:
        """Affirmed against denied for one predicate; a predicate against its opposite, both affirmed."""
        by_pred = block((c for c in group if c.predicate and c.certainty not in LOW), lambda c: (c.predicate, c.polarity))
        sides: list[tuple[list[Claim], list[Claim], Rule]] = []
        for pred, polarity in by_pred:
            if polarity == "positive":
                sides.append((by_pred[(pred, polarity)], by_pred.get((pred, "negative"), []), RULES["CA201"]))
                if pred == "cause":  # "can cause pain and swelling" against "has no side effects"
                    sides.append((by_pred[(pred, polarity)], by_pred.get(("adverse", "negative"), []), RULES["CA201"]))
                for other in sorted({q for q, pol in by_pred if pol == "positive" and q > pred and _opposite(pred, q)}):
                    rule = RULES["CA203"] if pred.endswith("-lasting") else RULES["CA202"]
                    sides.append((by_pred[(pred, polarity)], by_pred[(other, "positive")], rule))
        found: list[tuple[tuple[int, int, int], _Candidate]] = []
        for order, (left, right, rule) in enumerate(sides):
            for (i, j), a, b in self._same_object_pairs(left, right):
                found.append(((order, i, j), self._predicate_candidate(a, b, rule, topic)))
        return [cand for _, cand in sorted(found, key=lambda f: f[0])]

    def _same_object_pairs(self, left: list[Claim], right: list[Claim]) -> Iterator[tuple[tuple[int, int], Claim, Claim]]:
        """The pairs of ``cross_pairs(left, right)`` about the same object, in document order, with
        their positions in ``left`` and ``right``. ``_same_object`` reads only ``_object_key``, and
        repeated sentences make many claims share one: it is asked once per pair of keys, and a pair of
        keys that can never match is counted as examined without visiting its claims."""
        if not left or not right:
            return
        by_left: dict[tuple, list[tuple[int, Claim]]] = {}
        by_right: dict[tuple, list[tuple[int, Claim]]] = {}
        for side, claims in ((by_left, left), (by_right, right)):
            for i, claim in enumerate(claims):
                side.setdefault(_object_key(claim), []).append((i, claim))
        # a sentence on both sides is never paired with itself (``cross_pairs``): count such blocks pair by pair
        shared = {(c.source, c.start) for c in left} & {(c.source, c.start) for c in right}
        same: dict[tuple[tuple, tuple], bool] = {}
        for kx, xs in by_left.items():
            for ky, ys in by_right.items():
                for ka, kb, a, b in ((kx, ky, xs[0][1], ys[0][1]), (ky, kx, ys[0][1], xs[0][1])):
                    if (ka, kb) not in same:
                        same[(ka, kb)] = _same_object(a, b, self.vocabulary)
                if not (same[(kx, ky)] or same[(ky, kx)] or shared):
                    self._examined += len(xs) * len(ys)
                    continue
                for (i, x), (j, y) in product(xs, ys):
                    if (x.source, x.start) == (y.source, y.start):
                        continue
                    self._examined += 1
                    a, b = ordered(x, y)
                    if same[(kx, ky) if a is x else (ky, kx)]:
                        yield (i, j), a, b

    def _predicate_candidate(self, a: Claim, b: Claim, rule: Rule, topic: str) -> _Candidate:
        if rule.code == "CA201":
            expl = f"{_pred_text(a)} vs {_pred_text(b)}{self._relation_note(a, b)}"
            values = (f"{a.polarity} {a.predicate}", f"{b.polarity} {b.predicate}")
        else:
            expl = f"{_pred_text(a)} ({a.predicate}) vs {_pred_text(b)} ({b.predicate}){self._relation_note(a, b)}"
            values = (a.predicate, b.predicate)
        return _Candidate(rule, a, b, topic, expl, values, (bool(a.attribution or b.attribution), _vagueness(a, b)))

    def _numeric(self, group: list[Claim], subject: str, findings: Findings) -> list[_Candidate]:
        """Per quantity role, distinct values are compared once; only disagreeing values pair claims."""
        by_role: dict[str, dict[tuple, list[tuple[Claim, Quantity]]]] = {}
        seen: set[tuple[str, str, int]] = set()
        for claim in group:
            stepped = _stepped_roles(claim)
            for q in claim.quantities:
                # a sentence yields one claim per aspect: each quantity is taken once
                if q.role in stepped:
                    continue
                if q.role in COMPARED_ROLES and not q.negated and not _excess(q) and (q.role, claim.source, q.start) not in seen:
                    seen.add((q.role, claim.source, q.start))
                    role = q.role
                    if role == "proportion":  # only proportions of one thing compare: "90% of the dose"
                        what = _of_what(claim, q)
                        if not what:
                            continue
                        role = f"proportion of {what}"
                    elif role == "efficacy_rate":  # "two doses are 88% effective": an efficacy per number of doses
                        counts = sorted(f"{c.low:g}" for c in claim.quantities if c.role in ("count", "dose_count"))
                        role = f"efficacy after {'/'.join(counts)} doses" if counts else role
                    by_role.setdefault(role, {}).setdefault(_value_key(q), []).append((claim, q))
        out = []
        for role in sorted(by_role):
            values = by_role[role]
            if sum(len(v) for v in values.values()) < 2:
                continue
            findings.compared_groups += 1
            any_conflict = False
            keys = sorted(values)
            for i, ka in enumerate(keys):
                for kb in keys[i + 1 :]:
                    self._examined += 1
                    qa0, qb0 = values[ka][0][1], values[kb][0][1]
                    if qa0.dimension != qb0.dimension:
                        continue
                    ok, reason = self.intervals_compatible(qa0, qb0) if role != "start_age" else _same_start(qa0, qb0)
                    if ok and role in ("dose", "dose_rate", "course_duration"):
                        ok, reason = _same_maximum(qa0, qb0, ok, reason)
                    if ok:
                        continue
                    for (x, qx), (y, qy) in product(values[ka], values[kb]):
                        if not self._numeric_comparable(role, x, y):
                            continue
                        if role == "share" and not _share_outcome(x, qx) & _share_outcome(y, qy):
                            continue  # "8 in 10 are undiagnosed", "1 in 10 stop using it": shares of two things
                        (a, qa), (b, qb) = ((x, qx), (y, qy)) if ordered(x, y)[0] is x else ((y, qy), (x, qx))
                        out.append(
                            _Candidate(
                                RULES["CA401"], a, b, f"{subject} / {ROLE_NAMES.get(role, role)}",
                                f"{_q(qa.surface)} vs {_q(qb.surface)}: {reason}{self._relation_note(a, b)}",
                                (describe_quantity(qa), describe_quantity(qb)),
                                (bool(a.attribution or b.attribution), _vagueness(a, b), qa.vague or qb.vague),
                            )
                        )
                        any_conflict = True
            if not any_conflict:
                findings.agreeing_groups += 1
        return out

    def _numeric_comparable(self, role: str, x: Claim, y: Claim) -> bool:
        if (x.source, x.start) == (y.source, y.start) or x.quote == y.quote:
            return False  # one sentence (or its copy in another page) listing several values: "at 1, 2 and 4 h"
        if role == "date" and not (x.aspect == y.aspect == "approval" and _same_object(x, y, self.vocabulary)):
            return False  # two dates compare only as dates of the same approval
        # inside one document, attributed figures and rows of a list report sources, not the document's own word
        return not (x.source == y.source and (x.attribution or y.attribution or "item" in (x.block, y.block)))

    def _fold(self, candidates: list[_Candidate]) -> list[Conflict]:
        """One conflict per rule, topic and pair of documents: the clearest pair, the rest counted."""
        groups: dict[tuple, list[_Candidate]] = {}
        for cand in candidates:
            key = (cand.rule.code, cand.topic, cand.a.source, cand.b.source)
            groups.setdefault(key, []).append(cand)
        conflicts = []
        for key in sorted(groups):
            group = sorted(
                groups[key],
                key=lambda c: (c.score, len(c.a.quote) + len(c.b.quote), c.a.start, c.b.start, c.a.id, c.b.id),
            )
            best = group[0]
            conflicts.append(
                Conflict(
                    id=fingerprint(best.rule.name, best.a, best.b),
                    kind=best.rule.kind,
                    rule=best.rule.code,
                    severity=best.severity or best.rule.severity,
                    claim_ids=(best.a.id, best.b.id),
                    topic=best.topic,
                    explanation=best.explanation,
                    values=best.values,
                    related=len({(c.a.id, c.b.id) for c in group}) - 1,
                )
            )
        return conflicts

    def _terminology(self, variants: Iterable[tuple[Variant, list[Claim]]]) -> list[Conflict]:
        out = []
        rule = RULES["CA101"]
        for variant, (a, b) in variants:
            a, b = ordered(a, b)
            out.append(
                Conflict(
                    id=fingerprint(f"{rule.name}:{variant.surface}", a, b),
                    kind=rule.kind,
                    rule=rule.code,
                    severity=rule.severity,
                    claim_ids=(a.id, b.id),
                    topic=f"{variant.entity} / spelling",
                    explanation=f"'{variant.surface}' looks like a misspelling of '{variant.canonical}' ({variant.entity})",
                    values=(variant.surface, variant.canonical),
                )
            )
        return out


def _vagueness(a: Claim, b: Claim) -> int:
    """How much of a pair's reading was inferred from context; the clearest pair represents a group."""
    return len(a.inferred) + len(b.inferred)


_THEN = re.compile(r"\bthen\b", re.I)


def _stepped_roles(claim: Claim) -> frozenset[str]:
    """Roles with several values in steps ("21 mg for 6 weeks, then 14 mg for 2 weeks, then 7 mg"): a
    tapering schedule has no one dose or duration to compare."""
    if len(claim.quantities) < 2 or not _THEN.search(claim.text):
        return frozenset()
    values: dict[str, set[tuple]] = {}
    for q in claim.quantities:
        values.setdefault(q.role, set()).add(_value_key(q))
    return frozenset(role for role, keys in values.items() if len(keys) > 1)


def _value_key(q: Quantity) -> tuple:
    """Quantities with equal keys read the same: compare them once."""
    return (q.dimension, q.unit, q.comparator, q.vague, q.approximate, q.low, q.high, q.base_low, q.base_high)


# A quantifier that admits exceptions: "safe for most people", "most patients tolerate it"
_MOST_PEOPLE = re.compile(
    r"\b(?:most|many)\s+(?:people|patients|adults|users|individuals|persons|women|men|children)\b", re.I
)
_RANKING = re.compile(r"\b(?:first|second|third)[- ]line\b|\binitial\s+treatment\b|\bfirst\s+choice\b", re.I)


def _weaker_only_for(a: Claim, b: Claim, code: str) -> str:
    """The group of people (a population inside the other's, or ages) that only the claim with the
    weaker evidence or certainty is limited to ("" when none)."""
    if code == "CA302":
        weak, strong = sorted((a, b), key=lambda c: GRADE_RANK[c.evidence])
    else:
        weak, strong = (a, b) if a.certainty in LOW or a.evidence in WEAK_GRADES else (b, a)
    lexicon = default_lexicon()
    mine = weak.scope.get("population", "")
    theirs = strong.scope.get("population", lexicon.scope_default.get("population", ""))
    if mine and mine != theirs and lexicon.within("population", mine, theirs):
        return mine
    if _ages(weak) and not _ages(strong):
        return f"age {_age_text(_ages(weak))}"
    return ""


def _limits(limited: Claim, general: Claim) -> str:
    """The population, ages or conditions ``limited`` states and ``general`` does not ("" when none)."""
    out = []
    population = limited.scope.get("population", "")
    if population and "population" not in general.scope and "adults" not in population.split(" + "):
        out.append(population)  # a group, not everyone ("adults + children")
    if _ages(limited) and not _ages(general):
        out.append(f"age {_age_text(_ages(limited))}")
    if _conditions(limited) and not _conditions(general):
        out.append(", ".join(_conditions(limited)))
    return "; ".join(out)


def _stance(claim: Claim) -> str:
    """'for' or 'against' the subject's use, for a settled verdict on safety or a recommendation."""
    if claim.certainty in LOW:
        return ""
    positive = claim.polarity == "positive"
    if claim.aspect == "safety":
        if claim.predicate == "safe":
            return "for" if positive else "against"
        return "against" if claim.predicate == "harmful" and positive else ""
    if claim.aspect == "recommendation":
        if _RANKING.search(claim.quote):
            return ""  # "not recommended as first-line treatment" ranks the options, it says nothing of harm
        if claim.predicate == "recommend":
            return "for" if positive else "against"
        return "against" if claim.predicate == "discourage" and positive else ""
    return ""


def _conditions(claim: Claim) -> list[str]:
    value = claim.scope.get("condition", "")
    return [c for c in value.split("; ") if c]


def _same_maximum(a: Quantity, b: Quantity, ok: bool, reason: str) -> tuple[bool, str]:
    """Two stated maximum doses ("up to 4,000 mg a day", "no more than 3,000 mg a day") or course
    lengths ("for no longer than four weeks", "for up to three months") overlap as intervals but disagree
    as limits; limits within rounding agree. ``ok, reason``: the interval check."""
    upper = ("<", "<=")
    if a.comparator not in upper or b.comparator not in upper:
        return ok, reason
    lo, hi = sorted((a.base_high, b.base_high))
    if hi <= lo * 1.1:
        return ok, reason
    what = "lengths" if a.dimension == "time" else "doses"
    return False, f"{describe_quantity(a)} and {describe_quantity(b)} are different maximum {what}"


def _treated(claim: Claim) -> list[str]:
    """The conditions a claim is about; for a harm it causes ("can cause nausea"), not the harm itself."""
    conditions = _conditions(claim)
    if claim.predicate == "cause" and claim.aspect == "safety":
        harm = set(claim.object.split())
        conditions = [c for c in conditions if not set(c.split()) <= harm]
    return conditions


def _only(claim: Claim, limit: str) -> str:
    return f"only {claim.source.rsplit('/', 1)[-1]} limits it to {limit}"


def _ages(claim: Claim) -> list[Quantity]:
    """The ages a claim is limited to ("infants under 3 months")."""
    return [q for q in claim.quantities if q.role == "age"]  # a negation denies the claim, not the age


def _same_start(a: Quantity, b: Quantity) -> tuple[bool, str]:
    """Ages a schedule starts at are policy numbers: 45 and 50 differ, with no rounding margin."""
    if a.base_high < b.base_low or b.base_high < a.base_low:
        return False, f"{describe_quantity(a)} and {describe_quantity(b)} are different starting ages"
    return True, ""


def _excess(q: Quantity) -> bool:
    """A dose above a threshold ("Doses above 325 mg per day offer no extra benefit", "more than 50 mg
    can cause ...") is the condition of what the sentence says about too much, not a dose it states."""
    return q.role in ("dose", "dose_rate") and q.comparator == ">"


def _age_text(ages: list[Quantity]) -> str:
    return ", ".join(dict.fromkeys(describe_quantity(q) for q in ages))


def _specific(attribution: str) -> bool:
    return any(ch.isdigit() for ch in attribution) or any(
        w in attribution for w in ("guideline", "meta-analys", "systematic review")
    )


_OF_WHAT = re.compile(r"\s+of\s+(?:(?:the|a|an|all|their|its|each|this|that)\s+)?([\w-]+(?:\s+[\w-]+){0,3})")


def _of_what(claim: Claim, q: Quantity) -> str:
    """What a proportion is of, by the head of the words after "of": '90% of the dose is excreted' ->
    'dose'; '' when nothing is named (such a proportion is not compared)."""
    m = _OF_WHAT.match(claim.text, q.end - claim.start) if claim.start <= q.end <= claim.end else None
    if not m:
        return ""
    words = []
    for word in m.group(1).lower().split():
        if word in stop_words():
            break
        words.append(word)
    return singular(words[-1]) if words else ""


# where the clause of a share ends: "1 in 10 stop using it, and most go on to use it nightly"
_CLAUSE_END = re.compile(
    r"[.;:!?]|,\s+(?:and|but|while|whereas|although|though|which|who|because|either|since|so|as|if|when|unless)\b", re.I
)
_WORD = re.compile(r"[a-z][a-z-]*")


def _share_outcome(claim: Claim, q: Quantity) -> frozenset[str]:
    """The content words of the clause a share stands in, less the subject's and words for people:
    what the share is a share of ("stop using CPAP within the first year", "are undiagnosed")."""
    text = claim.text.lower()
    at, end = q.start - claim.start, q.end - claim.start
    if not 0 <= at <= end <= len(text):
        return frozenset()
    begin = max((m.end() for m in _CLAUSE_END.finditer(text, 0, at)), default=0)
    stop = _CLAUSE_END.search(text, end)
    clause = text[begin:at] + " " + text[end : stop.start() if stop else len(text)]
    subject = set(claim.subject.split())
    return frozenset(
        singular(w) for w in _WORD.findall(clause)
        if w not in stop_words() and w not in PEOPLE and w not in subject and len(w) > 2
    ) - {"percent", "fraction"}


def _opposite(p: str, q: str) -> bool:
    pairs = {
        ("increase", "decrease"), ("recommend", "discourage"), ("safe", "harmful"),
        ("effective", "ineffective"), ("short-lasting", "long-lasting"),
    }
    return (p, q) in pairs or (q, p) in pairs


def _object_key(claim: Claim) -> tuple:
    """Everything ``_same_object`` reads of a claim (the aspect is the group's)."""
    return (
        claim.predicate.endswith("-lasting"), claim.predicate == "adverse", claim.aspect, claim.scope.get("condition", ""),
        claim.scope.get("use", ""), claim.object,
    )


def _same_object(a: Claim, b: Claim, vocabulary: Vocabulary) -> bool:
    """Whether two predicate claims speak of the same thing: conditions for approval and efficacy,
    the object words for effects."""
    if a.predicate.endswith("-lasting") or b.predicate.endswith("-lasting"):
        return True
    if "adverse" in (a.predicate, b.predicate):  # side effects of the same subject, within compatible conditions
        return a.aspect == "safety" and conditions_overlap(_treated(a), _treated(b), vocabulary)[0]
    if a.aspect in ("approval", "recommendation", "efficacy", "safety"):
        ca, cb = _conditions(a), _conditions(b)
        use_a, use_b = a.scope.get("use", ""), b.scope.get("use", "")
        if ca and cb:
            return conditions_overlap(ca, cb, vocabulary)[0]
        if use_a and use_b:
            return use_a == use_b
        return a.aspect in ("safety", "efficacy") and not (ca or cb or use_a or use_b) and a.object == b.object
    # one object's words within the other's, with the same head: "blood pressure" and "systolic blood
    # pressure" are one thing, "heart rate" and "heart rate variability" two
    (ha, wa), (hb, wb) = object_parts(a.object), object_parts(b.object)
    return bool(wa) and bool(wb) and ha == hb and (wa <= wb or wb <= wa)


def _standing(claim: Claim) -> tuple[str, str]:
    """('certainty', 'proven'), or ('evidence', 'weak') for a claim unsettled only by its stated grade."""
    if claim.certainty in HIGH | LOW or claim.evidence not in WEAK_GRADES:
        return "certainty", claim.certainty
    return "evidence", claim.evidence


_NEGATION_GAP = 25  # characters between a negation and the cue it is shown with (a few words)


def _cue_text(claim: Claim, *, evidence: bool = False) -> str:
    """The words that decided a claim's certainty or evidence grade."""
    wanted = {"EVIDENCE_STRONG", "EVIDENCE_MODERATE", "EVIDENCE_WEAK", "EVIDENCE_INSUFFICIENT"}
    if not evidence:
        wanted |= {"PROVEN", "UNSETTLED", "UNKNOWN"}
    negations = [c for c in claim.cues if c.category == "NEGATION"]
    texts = []
    for cue in (c for c in claim.cues if c.category in wanted):
        # "no" + "good evidence"; "not" + "call it" + "proven": the negation that decided the reading
        before = next((n for n in negations if 0 <= cue.start - n.end <= _NEGATION_GAP), None)
        kept = (
            claim.certainty == "proven" if cue.category == "PROVEN"
            else cue.category.startswith("EVIDENCE_") and claim.evidence == cue.category.removeprefix("EVIDENCE_").lower()
        )
        if before is None or kept:  # "without heart disease, it is proven": the negation left it standing
            texts.append(cue.literal)
        else:
            texts.append(f"{before.literal} {cue.literal}" if cue.start - before.end <= 1 else f"{before.literal} … {cue.literal}")
    return _q(" … ".join(dict.fromkeys(texts))) if texts else _q(claim.quote)


def _pred_text(claim: Claim) -> str:
    """'not approved for psychiatric disorder', 'short-term', 'increase blood pressure'."""
    if claim.predicate.endswith("-lasting"):
        return _q(claim.object)
    if claim.predicate in CHANGE_VERBS:
        verb = CHANGE_VERBS[claim.predicate][claim.polarity == "negative"]
        return _q(f"{verb} {claim.object}".strip())
    neg = [c.literal for c in claim.cues if c.category == "NEGATION"] if claim.polarity == "negative" else []
    verb = PAST.get(claim.predicate, claim.predicate)
    words = " ".join(dict.fromkeys([*neg, verb]))
    if claim.aspect in ("approval", "recommendation", "efficacy", "safety"):
        targets = _conditions(claim) or [claim.scope.get("use", "")]
        target = ", ".join(t for t in targets if t)
        return _q(f"{words} for {target}" if target else words)
    return _q(f"{words} {claim.object}".strip())
