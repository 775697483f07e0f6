"""Quantities in a sentence: numbers, ranges, comparators and units, normalized.

``extract_quantities`` reads one sentence (already normalized for matching) and
returns :class:`~claimaudit.records.Quantity` records: the stated value or
interval, its canonical unit, the interval converted to the dimension's base unit,
the comparator ("more than", "up to", "about", ...) and a general role (duration,
dose, share, probability, date, ...).  ``intervals_compatible`` says whether two
quantities can both be true.

Everything is regex based: one compiled pattern finds the numbers, and small
anchored patterns read what surrounds each one.  The unit table is data
(``claimaudit/data/units.yaml``); Pint computes each unit's factor to its base
unit once per process and values are then converted arithmetically.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any


from claimaudit.datafiles import parse_yaml, read_text
from claimaudit.errors import DataFileError
from claimaudit.records import Quantity
from claimaudit.wordregex import alternation, initials, prefix_tree

if TYPE_CHECKING:
    import pint

__all__ = [
    "COUNT",
    "DATE",
    "DATE_UNIT",
    "FRACTION_UNIT",
    "UNITS_FILE",
    "QuantityExtractor",
    "Unit",
    "UnitTable",
    "default_extractor",
    "describe_quantity",
    "extract_quantities",
    "intervals_compatible",
    "load_unit_table",
    "pint_registry",
    "unit_table",
]

UNITS_FILE = Path(__file__).resolve().parents[1] / "data" / "units.yaml"
# Pint's conversion factors for the packaged table, computed once by `python -m
# claimaudit.normalize.quantities` (a test checks them against Pint): building a Pint registry
# takes half a second per process, more than reading a small corpus. Pairs not listed are converted
# by Pint as before.
FACTORS_FILE = UNITS_FILE.with_name("units.factors.json")

INF = math.inf

# Dimensions that are not in the unit table.
COUNT = "count"
_DOSE_WORDS = frozenset({"dose", "doses", "dosage", "dosing", "take", "taking", "takes", "inject", "injected"})
_MAX_DOSE_COUNT = 100  # more is a tally of doses given, not a schedule
_DOSE_COUNT_ADJECTIVES = frozenset({"booster", "separate", "more", "further", "additional", "extra"})
DATE = "year"
FRACTION_DIMENSION = "fraction"
DATE_UNIT = "calendar_year"
FRACTION_UNIT = "fraction"

_OR_UNIT_RE = re.compile(r"\s+or\s+([A-Za-z]+)\b")

# Relative widening used by ``intervals_compatible``: "about 2 weeks" is read as
# 2 weeks ± 35 %.  Writers round "about" values to one significant figure, so the
# true value can be off by a third either way; 35 % keeps "about 2 weeks" apart
# from "4 weeks" but not from "3 weeks".
APPROXIMATE_WIDENING = 0.35
# "around 1970" admits 1968-1972; plain years are exact.
APPROXIMATE_YEARS = 2.0
# Fractions widen as other values, but by at most 2.5 percentage points for rounding, three times that
# when approximate ("about 70%": 62.5-77.5 %, not 38-102 %), five times when vague.
FRACTION_POINTS = 0.025


# ---------------------------------------------------------------------------
# The unit table
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Unit:
    """A canonical unit and its conversion to the base unit of its dimension."""

    name: str
    dimension: str
    base_unit: str
    factor: float  # value in this unit * factor = value in base_unit
    imprecision: float = 0.0  # inherent relative vagueness (a month is 4.0-4.4 weeks)


@dataclass(frozen=True)
class UnitTable:
    """The units of ``units.yaml`` with their Pint-computed factors and surfaces."""

    path: str
    units: Mapping[str, Unit]
    exact_surfaces: Mapping[str, str]  # surface as written -> unit name
    folded_surfaces: Mapping[str, str]  # casefolded surface (3+ characters) -> unit name
    unmodeled: frozenset[str]  # surfaces of units that are recognised but not normalized
    role_cues: Mapping[str, frozenset[str]]

    def unit(self, name: str) -> Unit:
        return self.units[name]

    def lookup(self, surface: str) -> Unit | None:
        """The unit written as ``surface`` (whitespace runs count as one space)."""
        key = " ".join(surface.split())
        name = self.exact_surfaces.get(key) or self.folded_surfaces.get(key.casefold())
        return self.units[name] if name else None

    def surfaces(self) -> list[str]:
        return list(self.exact_surfaces)


_TOP_KEYS = frozenset({"dimensions", "units", "unmodeled", "role_cues"})
_OPTIONAL_ROLE_CUES = frozenset({"age_people", "dose_count"})  # added after the first release: older tables lack them
_DIMENSION_KEYS = frozenset({"base_unit", "pint"})
_UNIT_KEYS = frozenset({"dimension", "pint", "surfaces", "imprecision"})
_ROLE_CUE_KEYS = frozenset(
    {
        "probability",
        "risk",
        "prevalence",
        "population",
        "effect",
        "infusion",
        "relief",
        "effect_duration",
        "age_before",
        "age_people",
        "dose_count",
        "body_weight",
    }
)


@cache
def pint_registry() -> pint.UnitRegistry[Any]:
    """The process-wide Pint registry, created on first use (it takes ~0.3 s)."""
    import pint

    return pint.UnitRegistry()


@cache
def unit_table() -> UnitTable:
    """The packaged unit table, loaded and validated once per process."""
    return load_unit_table(UNITS_FILE)


@cache
def unit_imprecision() -> dict[str, float]:
    """Each packaged unit's inherent imprecision, read without Pint: comparing claims (which may all
    come from the cache) needs only this, and building the full table costs half a second."""
    raw = parse_yaml(read_text(UNITS_FILE), str(UNITS_FILE))
    return {str(name): float(spec.get("imprecision", 0.0)) for name, spec in raw["units"].items()}


def load_unit_table(path: Path) -> UnitTable:
    """Read and validate a unit table; raise DataFileError naming the file on any fault."""
    name = str(path)
    return _build_table(parse_yaml(read_text(path), name), name)


def _fail(path: str, message: str) -> DataFileError:
    return DataFileError(message, path=path)


def _check_keys(
    path: str, where: str, value: object, allowed: frozenset[str], required: frozenset[str]
) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(path, f"{where}: expected a mapping")
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise _fail(path, f"{where}: unknown key(s) {', '.join(map(str, unknown))}")
    missing = sorted(required - set(value))
    if missing:
        raise _fail(path, f"{where}: missing key(s) {', '.join(missing)}")
    return value


def _string_list(path: str, where: str, value: object) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(s, str) and s.strip() for s in value):
        raise _fail(path, f"{where}: expected a list of non-empty strings")
    return [" ".join(s.split()) for s in value]


@cache
def known_factors() -> dict[tuple[str, str], float]:
    """(Pint expression, base expression) -> factor, from ``FACTORS_FILE``; empty if it is unreadable."""
    try:
        rows = json.loads(FACTORS_FILE.read_text(encoding="utf-8"))["factors"]
        return {(str(expr), str(base)): float(factor) for expr, base, factor in rows}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def pint_factor_rows(path: Path = UNITS_FILE) -> list[list[Any]]:
    """[expression, base expression, factor] for every conversion the table at ``path`` needs,
    converted by Pint (what ``FACTORS_FILE`` holds)."""
    top = _check_keys(str(path), "top level", parse_yaml(read_text(path), str(path)), _TOP_KEYS, _TOP_KEYS)
    bases = {str(dim): str(spec["pint"]) for dim, spec in top["dimensions"].items()}
    pairs = sorted({(b, b) for b in bases.values()} | {(str(u["pint"]), bases[u["dimension"]]) for u in top["units"].values()})
    return [[expr, base, _pint_factor(str(path), expr, expr, base, known={})] for expr, base in pairs]


def _pint_factor(
    path: str, where: str, expr: object, base_expr: str, known: Mapping[tuple[str, str], float] | None = None
) -> float:
    if not isinstance(expr, str) or not expr.strip():
        raise _fail(path, f"{where}: 'pint' must be a non-empty string")
    factor = (known_factors() if known is None else known).get((expr, base_expr))
    if factor is not None:
        return factor
    ureg = pint_registry()
    try:
        factor = float(ureg.parse_expression(expr).to(base_expr).magnitude)
    except Exception as exc:  # Pint raises many types (undefined unit, dimensionality, parse errors)
        raise _fail(path, f"{where}: Pint cannot convert {expr!r} to {base_expr!r}: {exc}") from None
    if not math.isfinite(factor) or factor <= 0:
        raise _fail(path, f"{where}: conversion factor {factor} is not a positive number")
    return factor


def _surface_key(surface: str) -> tuple[bool, str]:
    """(exact?, key): short surfaces ("h", "mg", "L") keep their case, longer ones are folded."""
    return (True, surface) if len(surface) <= 2 else (False, surface.casefold())


def _build_table(raw: object, path: str) -> UnitTable:
    top = _check_keys(path, "top level", raw, _TOP_KEYS, _TOP_KEYS)
    builder = _TableBuilder(path, _read_dimensions(path, top["dimensions"]))
    builder.add_units(top["units"])
    builder.add_unmodeled(top["unmodeled"])
    cues = _check_keys(path, "role_cues", top["role_cues"], _ROLE_CUE_KEYS, _ROLE_CUE_KEYS - _OPTIONAL_ROLE_CUES)
    role_cues = {k: frozenset(w.casefold() for w in _string_list(path, f"role_cues {k}", v)) for k, v in cues.items()}
    role_cues = dict.fromkeys(_OPTIONAL_ROLE_CUES, frozenset()) | role_cues
    return UnitTable(path, builder.units, builder.exact, builder.folded, frozenset(builder.unmodeled), role_cues)


def _read_dimensions(path: str, dimensions: object) -> dict[str, tuple[str, str]]:
    """dimension -> (base unit name, Pint expression of the base unit)."""
    if not isinstance(dimensions, dict) or not dimensions:
        raise _fail(path, "dimensions: expected a non-empty mapping")
    bases: dict[str, tuple[str, str]] = {}
    for dim, spec in dimensions.items():
        spec = _check_keys(path, f"dimension {dim}", spec, _DIMENSION_KEYS, _DIMENSION_KEYS)
        _pint_factor(path, f"dimension {dim}", spec["pint"], str(spec["pint"]))
        bases[str(dim)] = (str(spec["base_unit"]), str(spec["pint"]))
    return bases


class _TableBuilder:
    """Collects units and surfaces while checking that no surface is given twice."""

    def __init__(self, path: str, bases: dict[str, tuple[str, str]]) -> None:
        self.path = path
        self.bases = bases
        self.units: dict[str, Unit] = {}
        self.exact: dict[str, str] = {}
        self.folded: dict[str, str] = {}
        self.unmodeled: set[str] = set()
        self._owner: dict[tuple[bool, str], str] = {}

    def add_units(self, raw_units: object) -> None:
        if not isinstance(raw_units, dict) or not raw_units:
            raise _fail(self.path, "units: expected a non-empty mapping")
        for name, spec in raw_units.items():
            self._add_unit(str(name), spec)
        for required in (FRACTION_UNIT, "percent", "year"):
            if required not in self.units:
                raise _fail(self.path, f"units: {required!r} is required")

    def add_unmodeled(self, groups: object) -> None:
        if not isinstance(groups, dict):
            raise _fail(self.path, "unmodeled: expected a mapping of group -> surfaces")
        for group, surfaces in groups.items():
            for surface in _string_list(self.path, f"unmodeled {group}", surfaces):
                self._claim(surface, f"unmodeled {group}")
                self.unmodeled.add(surface)

    def _add_unit(self, name: str, spec: object) -> None:
        where = f"unit {name}"
        spec = _check_keys(self.path, where, spec, _UNIT_KEYS, frozenset({"dimension", "pint", "surfaces"}))
        dim = spec["dimension"]
        if dim not in self.bases:
            raise _fail(self.path, f"{where}: unknown dimension {dim!r}")
        imprecision = spec.get("imprecision", 0.0)
        if not isinstance(imprecision, (int, float)) or not 0 <= imprecision < 1:
            raise _fail(self.path, f"{where}: imprecision must be a number in [0, 1)")
        base_unit, base_expr = self.bases[dim]
        factor = _pint_factor(self.path, where, spec["pint"], base_expr)
        for surface in _string_list(self.path, f"{where} surfaces", spec["surfaces"] or []):
            self._claim(surface, name)
            self.exact[surface] = name
            is_exact, key = _surface_key(surface)
            if not is_exact:
                self.folded[key] = name
        self.units[name] = Unit(name, str(dim), base_unit, factor, float(imprecision))

    def _claim(self, surface: str, owner: str) -> None:
        # Spellings that only differ in case folding ("µg/kg", "μg/kg") may share a unit.
        key = _surface_key(surface)
        if surface in self.exact or surface in self.unmodeled or self._owner.get(key, owner) != owner:
            raise _fail(self.path, f"surface {surface!r} is given twice ({self._owner[key]} and {owner})")
        self._owner[key] = owner


# ---------------------------------------------------------------------------
# Number words and fixed patterns
# ---------------------------------------------------------------------------

_ONES = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_DOZEN = 12
# "second" is left out: "one second" is a time, "a second opinion" an ordinal.
_DENOMINATORS = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4,
    "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "seventh": 7, "sevenths": 7,
    "eighth": 8, "eighths": 8, "ninth": 9, "ninths": 9, "tenth": 10, "tenths": 10,
}  # fmt: skip
_UNICODE_FRACTIONS = {
    "½": 0.5, "⅓": 1 / 3, "⅔": 2 / 3, "¼": 0.25, "¾": 0.75, "⅕": 0.2, "⅖": 0.4, "⅗": 0.6,
    "⅘": 0.8, "⅙": 1 / 6, "⅚": 5 / 6, "⅛": 0.125, "⅜": 0.375, "⅝": 0.625, "⅞": 0.875,
}  # fmt: skip
# Conventional bounds of vague quantifiers; "a couple (of)" is 2, approximately.
_VAGUE = {"a few": (2.0, 4.0), "several": (3.0, 7.0)}
_COUPLE = 2.0


_NUMBER_WORDS = (*_ONES, *_TENS, *_SCALES, "dozen")
_NUMBER_WORD = alternation(_NUMBER_WORDS)
_DENOM_WORD = alternation(_DENOMINATORS)
_UFRAC = "[" + "".join(_UNICODE_FRACTIONS) + "]"

# A digit may not continue a word, a decimal, a list without spaces, a ratio,
# a power or an amount of money ("SCP 06F6", "J1149.5+6663", "$350", "OAO-1").
_DIGIT_START = r"(?<![\w.,:/^+−$£€¥#\\])(?<![A-Za-z]-)(?<![$£€¥]-)"
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+(?!\d)(?!,\d)|\d+)(?:\.\d+)?|\.\d+"
_DIGIT_ATOMS = (
    _DIGIT_START
    + r"(?:"
    + r"(?P<decade>(?:1[5-9]|20)\d0(?:'|’)?s)(?!\w)"
    + r"|(?P<sci>\d+(?:\.\d+)?(?:\s?[×x]\s?10(?:\^[-−]?|[-−])\d+|[eE][-+−]?\d+))(?![\w.])"
    + r"|(?P<mixed>\d{1,2}(?:\s+\d{1,2}/\d{1,3}|\s?"
    + _UFRAC
    + r"))(?![/\d])"
    + r"|(?P<frac>\d{1,3}/\d{1,4})(?![/\d])"
    + r"|(?P<ufrac>"
    + _UFRAC
    + r")"
    + r"|(?P<num>"
    + _DIGITS
    + r")"
    + r")"
)
_WORD_ATOMS = (
    r"(?P<vague>\b(?:a\s+few|several|a\s+couple(?:\s+of)?)\b(?:\s+(?P<vmult>hundred|thousand|million|dozen)\b)?)"
    + r"|(?P<halfof>\bhalf(?=\s+of\b)|(?<=\bby\s)half\b)"  # "half of them", "cut by half"
    + r"|(?P<words>(?:\ban?\s+(?=(?:hundred|thousand|million|billion|dozen)\b))?\b(?:"
    + _NUMBER_WORD
    + r")(?:(?:\s*,\s*|\s+(?:and|&)\s+|\s*&\s*|\s+|-)(?:"
    + _NUMBER_WORD
    + r"))*\b(?:(?:\s+|-)(?P<denom>"
    + _DENOM_WORD
    + r")\b)?)"
    + r"|(?P<aden>\ban?\s+(?:half|third|quarter|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\b)"
)

_WORD_TOKEN_RE = re.compile(r"[a-z]+|&|,", re.IGNORECASE)
_WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?", re.IGNORECASE)
_SCALE_AFTER_RE = re.compile(r"\s+(?P<scale>hundred|thousand|million|billion)\b", re.IGNORECASE)
_AND_HALF_RE = re.compile(r"\s+and\s+a\s+half\b", re.IGNORECASE)
_CHAIN_RE = re.compile(r"\d+(?:(?P<sep>[-/])\d+)(?:(?P=sep)\d+)+|\d+\.\d+\.\d+")
_CLOCK_RE = re.compile(r"\s?(?:[ap]\.m\.|[ap]m\b)|:\d", re.IGNORECASE)
_SLASH_COMPOUND_RE = re.compile(r"\s{0,2}[^\W\d_]+/[^\W\d_]")
_CONNECTOR_RE = re.compile(r"\s?(?P<dash>[-–])\s?(?:to\s+)?|\s+(?P<word>to|through|or|and)\s+", re.IGNORECASE)
_POSTFIX_RE = re.compile(
    r"\s+(?:(?P<ge>or\s+(?:more|longer|greater|above|over|older|higher|later)|and\s+(?:over|above|older|up))"
    r"|(?P<le>or\s+(?:less|fewer|shorter|under|below|younger|lower|earlier)|and\s+(?:under|below|younger))"
    r"|(?P<approx>or\s+so))\b",
    re.IGNORECASE,
)
# "18 mg of iron per day": a unit, what it measures (one to three words), then the period of a rate unit.
_OF_WHAT_PER_RE = re.compile(
    r"\s+of\s+(?:(?!(?:once|twice|thrice|times|per|each|every|a|an|in|for|to|and|or)\b)[^\W\d_][\w\-']*\s+){1,3}"
    r"(?P<per>(?:per|a|each)\s+(?:day|week|hour|month))\b",
    re.IGNORECASE,
)
_OF_AFTER_RE = re.compile(r"\s+of\b", re.IGNORECASE)
_DAILY_AFTER_RE = re.compile(r"\s+daily\b", re.IGNORECASE)
_OPEN_PAREN_RE = re.compile(r"\s*\(\s*")
_CLOSE_PAREN_DAILY_RE = re.compile(
    r"\s*\)(?:\s+of\s+(?:(?!(?:a|an|per|each|daily)\b)[^\W\d_][\w\-']*\s+){1,3}?(?=a\s|per\s|each\s|daily\b))?"
    r"(?P<daily>\s*(?:a|per|each)\s+day\b|\s*daily\b)?",
    re.IGNORECASE,
)  # "(2,000 IU) a day", "(1,500 IU) of vitamin E a day"
_OF_WHAT_DAILY_RE = re.compile(
    r"\s+of\s+(?:(?!(?:once|twice|times|per|each|every|a|an|in|for|to|and|or)\b)[^\W\d_][\w\-']*\s+){1,3}daily\b",
    re.IGNORECASE,
)  # "500 mg of metformin daily"
# "The maximum daily dose of metformin is 2,000 mg", "a daily intake of 18 mg": an amount per day
_DAILY_BEFORE_RE = re.compile(
    r"(?<!\w)daily\s+(?:dose|doses|dosage|intake|limit|allowance|maximum|amount|requirement)\b[^.;:,()]{0,60}?"
    r"(?:\b(?:is|are|was|were|of)|:)\s+(?:[<>≤≥~]=?\s*|(?:up\s+to|about|around|at\s+most|at\s+least)\s+)?$",
    re.IGNORECASE,
)
# "The maximum dose of ibuprofen for adults is 3,200 mg": a stated limit, not a plain value.
_LIMIT_BEFORE_RE = re.compile(
    r"(?<!\w)(?:(?P<max>maximum|max\.?|upper\s+limit)|(?P<min>minimum|min\.?|lower\s+limit))\b[^.;:,()]{0,60}?"
    r"(?:\b(?:is|are|was|were|of)|:)\s+$",  # "the maximum dose is", "Maximum dose: 2,550 mg per day"
    re.IGNORECASE,
)
_P_VALUE_RE = re.compile(r"(?<!\w)p\s*(?:[<>=≤≥]=?)\s*$", re.IGNORECASE)
# A number that names a kind, not an amount: "type 2 diabetes", "stage 3 cancer", "a phase 3 trial".
_LABEL_RE = re.compile(
    r"(?<!\w)(?:type|stage|grade|phase|class|step|schedule|tier|category|version|figure|fig\.|table|chapter|section)"
    r"\s*-?\s*$",
    re.IGNORECASE,
)
_ONE_IN_RE = re.compile(r"\s+in\s+", re.IGNORECASE)
_AGE_AFTER_RE = re.compile(r"(?:\s+|-)(?:old|of\s+age)\b", re.IGNORECASE)
_BETWEEN_RE = re.compile(r"(?<!\w)(?P<w>between|from)\s+$", re.IGNORECASE)
_COORD_RE = re.compile(r"\s*,?\s*(?:and|or)\s+|\s*,\s*", re.IGNORECASE)
_AND_OR_RE = re.compile(r"\b(?:and|or)\b", re.IGNORECASE)
_NEXT_WORD_RE = re.compile(r"\s*('s|[a-z]+)", re.IGNORECASE)
_NEXT_LETTERS_RE = re.compile(r"\s*([A-Za-z]+)")

# Comparators written before a number.  Longest phrases win ("no more than"
# before "more than").  An optional hedge ("just", "well") may precede and
# "just"/"only" may follow.
_PREFIX_COMPARATORS: dict[str, str] = {
    **dict.fromkeys(
        ["more than", "greater than", "longer than", "higher than", "larger than", "over", "exceeding",
         "in excess of", "above", "over the age of", "older than", "exceed", "exceeds", ">",
         "less often than every", "less frequently than every"],
        ">",
    ),
    **dict.fromkeys(
        ["at least", "no less than", "not less than", "no fewer than", "not fewer than", "a minimum of",
         "minimum of", "no shorter than", "≥", ">=", "no more often than every", "not more often than every",
         "no more frequently than every", "not more frequently than every"],
        ">=",
    ),
    **dict.fromkeys(
        ["less than", "under", "fewer than", "below", "shorter than", "lower than", "smaller than",
         "under the age of", "younger than", "<", "more often than every", "more frequently than every"],
        "<",
    ),
    **dict.fromkeys(
        ["up to", "as many as", "as much as", "as long as", "at most", "no more than", "not more than",
         "a maximum of", "maximum of", "within", "no longer than", "not exceeding", "≤", "<=", "at least every"],
        "<=",
    ),
    **dict.fromkeys(
        ["about", "around", "approximately", "approx.", "roughly", "nearly", "almost", "some", "circa",
         "ca.", "an estimated", "estimated", "close to", "on the order of", "~", "≈"],
        "~",
    ),
}  # fmt: skip
_SYMBOLS = frozenset({">", ">=", "≥", "<", "<=", "≤", "~", "≈"})
_PREFIX_RE = re.compile(
    r"(?:(?<!\w)(?:just|well|slightly|much|far|somewhat)\s+)?"
    r"(?P<phrase>(?<!\w)(?:" + alternation(p for p in _PREFIX_COMPARATORS if p not in _SYMBOLS) + r")"
    r"|" + alternation(_SYMBOLS) + r")"
    r"(?:\s+(?:just|only))?\s*$",
    re.IGNORECASE,
)

# "over" is a comparator ("over 10 hours: 95% chance") or means "during" ("infused
# over 2 hours").  Rule, for time quantities only:
#   * "over the course of N" is not a comparator at all (no phrase matches);
#   * "over" + a vague duration or a range ("over several hours", "over 2 to 3
#     weeks") means during;
#   * "over" means during when, within the five words before it in the same
#     clause, there is an administration noun (infusion, injection, dose), an
#     irregular participle (given, taken) or a verb-like word ending in -ed/-ing
#     -- except verbs of lasting ("lasted over 3 months" is "more than");
#   * otherwise "over" means "more than" (">").
_OVER_ADMINISTRATION = frozenset(
    {"infusion", "infusions", "injection", "injections", "drip", "drips", "dose", "doses", "bolus",
     "given", "taken", "run", "split", "spread", "drawn"}
)  # fmt: skip
_OVER_THRESHOLD_VERBS = frozenset(
    {"lasted", "lasting", "persisted", "persisting", "continued", "continuing", "remained", "remaining",
     "aged", "lived", "living", "exceeded", "exceeding", "ranged", "ranging", "weighing", "weighed"}
)  # fmt: skip
_CLAUSE_BREAK_RE = re.compile(r"[,;:()\[\]•]")

# Words that introduce a year ("in 2019", "a 2019 review") and words that may follow one.
_DATE_BEFORE = frozenset(
    """in since by from until till through during after before circa c ca of year years early mid late
    spring summer autumn fall winter january february march april may june july august september october
    november december jan feb mar apr jun jul aug sep sept oct nov dec a an the this that its their between
    and to""".split()
)
_DATE_AFTER = frozenset(
    """and or to through when while the a an as in on at by for of with was were is are it that which there
    they we he she i you study studies review reviews survey report guideline guidelines paper trial
    trials analysis meta""".split()
)
_ONE_PRONOUN_BEFORE = frozenset("the that this any each every no which such another someone anyone everyone".split())
_ONE_PRONOUN_AFTER = frozenset("of another who that which than".split())
_ARTICLE_BLOCK_RE = re.compile(
    r"(?<!\w)(?:once|twice|thrice|times|per|every|each|\d[\d.,]*|%|"
    + alternation([*_ONES, *_TENS])
    + r")\W+(?:\w+\W+){0,3}$",
    re.IGNORECASE,
)


# ---------------------------------------------------------------------------
# Extraction
# ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Atom:
    """A bare number as written: a digit string, number words or a vague quantifier."""

    start: int
    end: int
    low: float
    high: float
    kind: str  # num | words | decade | vague | article | half
    fraction: bool = False  # "1/40", "two thirds": a ratio when it carries no unit
    year_like: bool = False
    needs_unit: bool = False  # "a"/"an"/"half an" are numbers only before a unit


@dataclass(slots=True)
class _Found:
    """A quantity being assembled."""

    start: int  # surface span, including comparator words
    end: int
    low: float
    high: float
    unit: Unit | None
    kind: str
    comparator: str = "="
    approximate: bool = False
    vague: bool = False
    is_range: bool = False
    fraction: bool = False
    date: bool = False
    age: bool = False
    during: bool = False  # "over" read as "during"
    unit_inherited: bool = False
    range_word: str = ""  # the connector of a range: "-", "to", "through", "or", "and"


class QuantityExtractor:
    """Finds quantities in sentences; build once (``default_extractor()``) and reuse."""

    def __init__(self, table: UnitTable) -> None:
        self.table = table
        unit_alt = _surface_alternation(table.surfaces())
        word_units = [
            s
            for s in table.surfaces()
            if len(s) >= 3 and s.replace(" ", "").isalpha() and table.lookup(s) and not s.startswith("sec")
        ]
        word_unit_alt = _surface_alternation(word_units)
        atoms = (
            _DIGIT_ATOMS
            + "|"
            + _WORD_ATOMS
            + r"|(?P<half>\b(?:a\s+)?half(?:\s+an?\s+|\s*-\s*|\s+)(?=(?:"
            + word_unit_alt
            + r")\b))"
            + r"|(?P<article>\ban?(?=\s+(?:"
            + word_unit_alt
            + r")(?![\w/])))"
        )
        self._atom_re = re.compile(atoms, re.IGNORECASE)
        # every position where an atom can begin (a superset): trying the big pattern only there is
        # several times faster than searching with it
        # (the letters class and the prefix tree make the test at each word cheap: it runs at every word)
        words = [*_NUMBER_WORDS, "a", "several", "half"]
        self._atom_start_re = re.compile(
            r"[\d." + _UFRAC[1:-1] + r"]|\b(?=" + initials(words) + r")(?=an?\b|several\b|half\b|" + prefix_tree(_NUMBER_WORDS) + ")",
            re.IGNORECASE,
        )
        self._unit_re = re.compile(r"(?:\s{0,2}|\s?-\s?)(?P<unit>" + unit_alt + r")(?![\w/])")
        self._unmodeled_re = re.compile(
            r"(?:\s{0,2}|\s?-\s?)(?:" + _surface_alternation(sorted(table.unmodeled)) + r")(?!\w)"
        )
        self._age_before_re = re.compile(
            r"(?<!\w)(?:" + alternation(table.role_cues["age_before"]) + r")\s+(?:[<>≤≥]=?\s*)?$", re.IGNORECASE
        )
        people = table.role_cues["age_people"]
        self._age_people_re = re.compile(
            (r"(?<!\w)(?:" + alternation(people) + r")\s+(?:(?:who\s+are|aged)\s+)?$") if people else r"(?!)", re.IGNORECASE
        )
        self._fraction = table.unit(FRACTION_UNIT)
        self._year = table.unit("year")

    # -- public -------------------------------------------------------------

    def extract(self, text: str, offset: int = 0) -> list[Quantity]:
        found: list[_Found] = []
        pos = 0
        while pos < len(text):
            m = self._next_atom(text, pos)
            if m is None:
                break
            item, resume = self._read(text, m)
            if item is not None:
                found.append(item)
            pos = max(resume, m.start() + 1)
        self._share_units(text, found)
        self._restatements(text, found)
        return [self._alternative_unit(text, self._finish(text, f, offset), offset) for f in found]

    def _next_atom(self, text: str, pos: int) -> re.Match[str] | None:
        """The leftmost atom at or after ``pos`` (what ``_atom_re.search`` finds, faster)."""
        for start in self._atom_start_re.finditer(text, pos):
            m = self._atom_re.match(text, start.start())
            if m is not None:
                return m
        return None

    def _alternative_unit(self, text: str, q: Quantity, offset: int) -> Quantity:
        """'several days or weeks': the upper bound is read in the larger unit."""
        if not (q.vague or q.comparator == "range") or not q.unit:
            return q
        m = _OR_UNIT_RE.match(text, q.end - offset)
        unit = self.table.lookup(m.group(1)) if m else None
        first = self.table.units.get(q.unit)
        if unit is None or first is None or unit.dimension != first.dimension or unit.factor <= first.factor:
            return q
        end = m.end() + offset
        return replace(
            q,
            surface=text[q.start - offset : m.end()],
            end=end,
            base_high=q.high * unit.factor,
        )

    # -- reading one quantity -----------------------------------------------

    def _read(self, text: str, m: re.Match[str]) -> tuple[_Found | None, int]:
        """The quantity starting at atom ``m`` and where to resume scanning."""
        if m.group("num") and (chain := _CHAIN_RE.match(text, m.start())):
            return None, chain.end()  # a date, version or phone number: 2019-05-01, 1.2.3
        atom = _parse_atom(m)
        if atom is None or _P_VALUE_RE.search(text, max(0, m.start() - 6), m.start()):
            return None, m.end()  # not a number, or a p-value
        if atom.kind == "num" and _LABEL_RE.search(text, max(0, m.start() - 10), m.start()):
            return None, m.end()  # a label: "type 2", "stage 3"
        end = self._complete_number(text, atom)
        if atom.kind in ("num", "words") and not self._clean_right_edge(text, end):
            return None, end
        item = _Found(atom.start, end, atom.low, atom.high, None, atom.kind, fraction=atom.fraction)
        if atom.kind == "decade":
            item.date = item.is_range = True
        elif not self._read_unit(text, item, atom) or not self._read_after_unit(text, item, atom):
            return None, item.end
        return self._with_prefix(text, item, atom), item.end

    def _read_unit(self, text: str, item: _Found, atom: _Atom) -> bool:
        """The unit after the number (and a postfix comparator before it); False: not a quantity we report."""
        if atom.kind == "vague":
            item.vague = True
            item.approximate = atom.low == atom.high  # "a couple of": 2, loosely
        end = self._read_postfix(text, item, item.end)
        unit = self._unit_at(text, end)
        if unit is None and self._unmodeled_at(text, end):
            item.end = end
            return False
        if unit is not None:
            item.unit, end = unit[0], unit[2]
            if (per := _OF_WHAT_PER_RE.match(text, end)) and (
                rate := self.table.lookup(f"{text[unit[1] : unit[2]]} {per.group('per')}")
            ):
                item.unit, end = rate, per.end()  # "18 mg of iron per day" is 18 mg/day
            elif item.unit.dimension in ("mass", "activity"):
                daily = _DAILY_AFTER_RE.match(text, end) or _OF_WHAT_DAILY_RE.match(text, end)
                if daily or _DAILY_BEFORE_RE.search(text, max(0, item.start - 100), item.start):
                    # "2,000 mg daily", "the maximum daily dose is 2,000 mg": 2,000 mg/day
                    if rate := self.table.lookup(f"{text[unit[1] : unit[2]]} per day"):
                        item.unit, end = rate, daily.end() if daily else end
        elif atom.needs_unit or (atom.kind == "num" and _glued_letter(text, end)):
            item.end = end
            return False
        item.end = end
        return True

    def _read_after_unit(self, text: str, item: _Found, atom: _Atom) -> bool:
        """Ranges, 'one in five', postfix comparators, 'and a half'; False: not a quantity we report."""
        plain = item.comparator == "=" and atom.kind in ("num", "words")
        if plain and item.unit is None:
            self._read_one_in(text, item, atom)
        if plain and not item.fraction and not self._read_range(text, item, atom):
            return False
        if item.comparator == "=":
            item.end = self._read_postfix(text, item, item.end)
        if item.unit is not None and not item.is_range and (half := _AND_HALF_RE.match(text, item.end)):
            item.low += 0.5
            item.high += 0.5
            item.end = half.end()
        if atom.kind == "words" and not item.unit and not item.is_range and _is_pronoun_one(text, atom):
            return False
        # "once a day", "2 cups a day": "a day" is a frequency there, not one day.
        return not (atom.kind == "article" and _ARTICLE_BLOCK_RE.search(text, max(0, atom.start - 40), atom.start))

    def _complete_number(self, text: str, atom: _Atom) -> int:
        """'2.5 million', 'two and a half': what completes a number."""
        if atom.kind == "num" and not atom.fraction and (m := _SCALE_AFTER_RE.match(text, atom.end)):
            scale = _SCALES[m.group("scale").lower()]
            atom.low *= scale
            atom.high *= scale
            atom.end = m.end()
            atom.year_like = False
        if atom.kind in ("num", "words") and not atom.fraction and (m := _AND_HALF_RE.match(text, atom.end)):
            atom.low += 0.5
            atom.high += 0.5
            atom.end = m.end()
        return atom.end

    def _clean_right_edge(self, text: str, end: int) -> bool:
        """False when the number runs on into a clock time, ratio, slash form or unknown compound."""
        nxt = text[end : end + 1]
        if nxt == "/" or (nxt == "," and text[end + 1 : end + 2].isdigit()):
            return False
        if _CLOCK_RE.match(text, end):
            return False
        return not (_SLASH_COMPOUND_RE.match(text, end) and not self._unit_at(text, end))

    def _unit_at(self, text: str, pos: int) -> tuple[Unit, int, int] | None:
        m = self._unit_re.match(text, pos)
        if m is None:
            return None
        unit = self.table.lookup(m.group("unit"))
        return (unit, m.start("unit"), m.end()) if unit else None

    def _unmodeled_at(self, text: str, pos: int) -> bool:
        return self._unmodeled_re.match(text, pos) is not None

    def _read_postfix(self, text: str, item: _Found, pos: int) -> int:
        """'+', 'or more', 'or less', 'or so' after the number or the unit."""
        if item.comparator != "=":
            return pos
        if text[pos : pos + 1] == "+" and not text[pos + 1 : pos + 2].isdigit():
            item.comparator = ">="
            return pos + 1
        m = _POSTFIX_RE.match(text, pos)
        if m is None:
            return pos
        if m.group("approx"):
            item.approximate = True
        else:
            item.comparator = ">=" if m.group("ge") else "<="
        item.age = item.age or m.group(0).lower().endswith(("older", "younger"))
        return m.end()

    def _read_one_in(self, text: str, item: _Found, atom: _Atom) -> None:
        """'one in five people', '1 in 4 adults': a fraction."""
        conn = _ONE_IN_RE.match(text, item.end)
        m2 = self._atom_re.match(text, conn.end()) if conn else None
        second = _parse_atom(m2) if m2 else None
        if second is None or second.kind != atom.kind or second.year_like or second.fraction:
            return
        if not 0 < item.low < second.low or atom.fraction:
            return
        end2 = self._complete_number(text, second)
        if self._unit_at(text, end2) or self._unmodeled_at(text, end2) or not self._clean_right_edge(text, end2):
            return
        if second.kind == "num" and _glued_letter(text, end2):
            return
        item.low = item.high = item.low / second.low
        item.fraction = True
        item.end = end2

    def _read_range(self, text: str, item: _Found, atom: _Atom) -> bool:
        """Extend ``item`` over "N-M unit", "N to M", "N or M"; False when the range is in an unmodeled unit."""
        conn = _CONNECTOR_RE.match(text, item.end)
        if conn is None:
            return True
        word = (conn.group("word") or "").lower()
        if word == "and" and not _BETWEEN_RE.search(text, max(0, atom.start - 12), atom.start):
            return True
        if word == "or" and item.unit is not None:
            return True  # "0.5 mg/kg/h or 5 mcg/kg/min": alternatives, not a range
        m2 = self._atom_re.match(text, conn.end())
        second = _parse_atom(m2) if m2 and not m2.group("decade") else None
        if second is None or second.kind != atom.kind:
            return True
        end2 = self._complete_number(text, second)
        if not self._clean_right_edge(text, end2):
            return True
        unit2 = self._unit_at(text, end2)
        if unit2 is None and self._unmodeled_at(text, end2):
            return item.unit is not None  # "8- to 16-meter": the first number is in metres too
        if unit2 is None and second.kind == "num" and _glued_letter(text, end2):
            return True
        low, high = item.low, second.high
        unit = item.unit
        if unit2 is not None:
            if unit is not None and unit.dimension != unit2[0].dimension:
                return True  # "from 44 ml to 50 mg": two quantities
            if unit is not None:
                low = low * unit.factor / unit2[0].factor
            unit = unit2[0]
        if conn.group("dash") and atom.year_like and len(text[second.start : second.end]) == 2:
            high = atom.low - atom.low % 100 + second.low  # 2013-14
        if low > high:
            if conn.group("dash"):
                return True  # a score or a difference, not a range
            low, high = high, low
        item.low, item.high, item.unit = low, high, unit
        item.end = unit2[2] if unit2 else end2
        item.is_range = True
        item.range_word = word or "-"
        item.fraction = item.fraction and second.fraction
        atom.year_like = atom.year_like and (second.year_like or len(text[second.start : second.end]) == 2)
        return True

    def _with_prefix(self, text: str, item: _Found, atom: _Atom) -> _Found:
        """Apply what is written before the number: between/from, a comparator, 'aged'."""
        window = max(0, item.start - 48)
        if item.is_range and (m := _BETWEEN_RE.search(text, window, item.start)) and _opens_range(m, item):
            item.start = m.start("w")
        elif item.comparator == "=" and (m := _PREFIX_RE.search(text, window, item.start)):
            self._apply_comparator(text, item, m)
        if (
            item.is_range
            and item.unit is not None
            and item.unit.dimension == "time"
            and self._age_people_re.search(text, max(0, item.start - 40), item.start)
        ):
            item.age = True  # "Children 6 months to 12 years"
        if item.comparator == "=" and not item.is_range and (m := _LIMIT_BEFORE_RE.search(text, max(0, item.start - 80), item.start)):
            item.comparator = "<=" if m.group("max") else ">="
        if self._age_before_re.search(text, window, atom.start) or self._age_before_re.search(text, window, item.start):
            item.age = True
        if item.unit is not None and item.unit.name == "year" and (old := _AGE_AFTER_RE.match(text, item.end)):
            item.age = True
            if item.comparator == "=" and (post := _POSTFIX_RE.match(text, old.end())):
                self._read_postfix(text, item, old.end())
                item.end = post.end()
        if item.unit is None and not item.fraction:
            item.date = item.date or (atom.year_like and not item.age and _reads_as_date(text, atom.start, item.end))
        return item

    def _over_sessions(self, text: str, item: _Found, m: re.Match[str]) -> bool:
        """Does "over" before a count of sessions or doses mean "across" ("delivered over 6 to 8
        sessions", "given over 3 doses"), by the rule for time quantities?"""
        following = [w.lower() for w in _WORD_RE.findall(text[item.end : item.end + 30])]
        return _names_doses(following[:2], self.table.role_cues["dose_count"]) and (
            item.is_range or _over_means_during(text, m.start("phrase"))
        )

    def _apply_comparator(self, text: str, item: _Found, m: re.Match[str]) -> None:
        phrase = " ".join(m.group("phrase").lower().split())
        comparator = _PREFIX_COMPARATORS[phrase]
        timed = item.unit is not None and item.unit.dimension == "time"
        bare_years = item.unit is None and not item.fraction and 1 <= item.low == item.high <= 120
        if (
            (timed or bare_years)
            and self._age_people_re.search(text, max(0, m.start() - 40), m.start())
            and not _OF_AFTER_RE.match(text, item.end)  # "patients over 2 years of treatment"
        ):
            item.age = True  # "infants under 3 months", "children older than 2 years", "people under 25"
        elif (
            phrase == "over"
            and item.unit is not None
            and item.unit.dimension == "time"
            and (item.vague or item.is_range or _over_means_during(text, m.start("phrase")))
        ):
            item.during = True
            return
        if phrase == "over" and item.unit is None and self._over_sessions(text, item, m):
            return  # "delivered over six to eight sessions": across them, not more than
        if phrase in ("over the age of", "under the age of", "older than", "younger than"):
            item.age = True
        item.start = m.start()
        if comparator == "~":
            item.approximate = True
            if not item.is_range and not item.vague:
                item.comparator = "~"
        elif not item.vague or comparator in (">", ">=", "<", "<="):
            item.comparator = comparator

    # -- sentence-level passes ------------------------------------------------

    def _share_units(self, text: str, found: list[_Found]) -> None:
        """'45 and 50 mg', '3, 6 and 12 months': a bare number takes the unit of the next one."""
        for i in range(len(found) - 2, -1, -1):
            a, b = found[i], found[i + 1]
            if a.unit is not None or b.unit is None or a.date or a.fraction or a.kind not in ("num", "words"):
                continue
            gap = text[a.end : b.start]
            if not _COORD_RE.fullmatch(gap):
                continue
            if "," in gap and not _AND_OR_RE.search(gap) and not b.unit_inherited:
                continue
            a.unit = b.unit
            a.unit_inherited = True

    def _restatements(self, text: str, found: list[_Found]) -> None:
        """'50 micrograms (2,000 IU) a day': the amount in parentheses restates the one before it in
        another unit; both take the comparator said before the first and the "a day" said after the
        second."""
        said: list[tuple[int, int]] = []  # the "a day" phrases read as part of the rates
        for a, b in zip(found, found[1:]):
            if a.unit is None or b.unit is None or not _OPEN_PAREN_RE.fullmatch(text[a.end : b.start]):
                continue
            close = _CLOSE_PAREN_DAILY_RE.match(text, b.end)
            if close is None:
                continue
            if b.comparator == "=" and a.comparator != "=":
                b.comparator = a.comparator
            if close.group("daily"):
                rates = [self._per_day(a.unit), self._per_day(b.unit)]
                if None not in rates:
                    a.unit, b.unit = rates
                    said.append(close.span("daily"))
        if said:
            found[:] = [f for f in found if not any(lo <= f.start and f.end <= hi for lo, hi in said)]

    def _per_day(self, unit: Unit) -> Unit | None:
        """The daily rate of a mass or activity unit ("microgram" -> mcg/day), if the table has one."""
        if unit.dimension not in ("mass", "activity"):
            return None
        for surface in (unit.name, f"{unit.name}s"):
            rate = self.table.lookup(f"{surface} per day")
            if rate is not None:
                return rate
        return None

    def _finish(self, text: str, item: _Found, offset: int) -> Quantity:
        unit, dimension, base_unit, factor = self._resolve_unit(item)
        low, high = item.low, item.high
        comparator = item.comparator
        if comparator == "=" and (item.is_range or low < high):
            comparator = "range"
        elif comparator == "=" and item.approximate:
            comparator = "~"  # "a couple of days", "3 days or so"
        base_low, base_high = _scaled(low, factor), _scaled(high, factor)
        if comparator in (">", ">="):
            base_high = INF
        elif comparator in ("<", "<="):
            base_low = 0.0
        return Quantity(
            surface=text[item.start : item.end],
            start=item.start + offset,
            end=item.end + offset,
            low=low,
            high=high,
            unit=unit,
            dimension=dimension,
            base_unit=base_unit,
            base_low=base_low,
            base_high=base_high,
            comparator=comparator,
            approximate=item.approximate,
            vague=item.vague and low < high,
            role=self._role(text, item, dimension),
        )

    def _resolve_unit(self, item: _Found) -> tuple[str, str, str, float]:
        if item.date:
            return DATE_UNIT, DATE, DATE_UNIT, 1.0
        unit = item.unit
        if unit is None and item.age:
            unit = self._year
        if unit is None and item.fraction:
            unit = self._fraction
        if unit is None:
            return "", COUNT, "", 1.0
        return unit.name, unit.dimension, unit.base_unit, unit.factor

    def _role(self, text: str, item: _Found, dimension: str) -> str:
        wide = [w.lower() for w in _WORD_RE.findall(text[max(0, item.start - 80) : item.start])]
        before = wide[-6:]
        following = [w.lower() for w in _WORD_RE.findall(text[item.end : item.end + 60])]
        after = following[:3]
        cues = self.table.role_cues
        if item.date:
            return "date"
        if item.age:
            return "age"
        if dimension == "time":
            return _time_role(before, after, item.during, cues)
        if dimension == "mass" and set(before) & cues["body_weight"] and not set(wide) & _DOSE_WORDS:
            # "lose 5 kg", "weighs 70 kg" (not "the maximum dose for weight loss is 1 mg")
            return "body_weight"
        if dimension == "mass" and _CONTAINERS.intersection(after[:2]):
            return "size"  # "our 1,000 mg bottle": what a product holds, not a dose
        if dimension == "mass" and _names_form(text[item.end : item.end + 60]):
            # "Each 200 mg tablet provides 35 mg of iron", "one 200 mg tablet a day": the strength of one
            # tablet, not the dose (which "200 mg of sumatriptan tablets" is)
            return "size"
        if dimension in ("mass", "dose_per_weight", "activity"):
            return "dose"
        if dimension in ("dose_rate", "mass_rate", "activity_rate"):
            return "dose_rate"
        if dimension == "volume":
            return "volume"
        if dimension == "fraction":
            return _fraction_role(before, following[:5], cues)
        if (
            _names_doses(after, cues["dose_count"])
            and item.high <= _MAX_DOSE_COUNT
            and (wide or _SCHEDULE_NEED.intersection(following[:8]))
        ):
            # "need 2 doses", "6 to 8 sessions" (not "135 million doses have been given"); a count that opens
            # the sentence is a schedule only when said to be needed ("Three doses are needed"), else it is
            # what the sentence speaks of: "Two doses are 88% effective", "| One dose | about 93% |"
            return "count" if _per_period(following) else "dose_count"  # "one session a week": how often
        return "count"


_SCHEDULE_NEED = frozenset(
    "needed required enough recommended necessary sufficient advised given needs need require requires".split()
)
# what a product comes in: a mass before one of these is its size, not a dose
_CONTAINERS = frozenset(
    "bottle bottles jar jars tube tubes pack packs box boxes container containers tub tubs package packages tin tins".split()
)


_PER_WORDS = frozenset({"a", "an", "per", "each", "every"})
# (not a year: "1 dose each year" is the course of a season, set against "2 doses the first time")
_PERIODS = frozenset("day days night nights week weeks fortnight month months".split())


def _per_period(following: list[str]) -> bool:
    """Does a period follow the dose noun ("one session a week", "2 doses per day")? Then the count is a
    frequency, not the number of doses in a course."""
    k = 2 if len(following) > 1 and following[1] not in _PER_WORDS else 1  # "two weekly sessions" has none
    return (
        len(following) > k + 1
        and following[k] in _PER_WORDS
        and following[k + 1] in _PERIODS
        and following[k + 2 : k + 3] != ["apart"]  # "2 doses a month apart": an interval
    )


# a mass between "each" and one of these is the strength of one unit of the product ("each 200 mg tablet")
_DOSE_FORMS = frozenset(
    "tablet tablets capsule capsules pill pills caplet caplets softgel softgels lozenge lozenges sachet sachets "
    "patch patches gummy gummies".split()
)
_FORM_AFTER_RE = re.compile(
    r"[ \t-]+(?:[^\W\d_][\w'-]*[ \t]+){0,2}?(?:" + "|".join(sorted(_DOSE_FORMS, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
_NOT_IN_A_FORM_NAME = frozenset("of a an the per in every each daily day once twice times".split())


def _names_form(following: str) -> bool:
    """Do the words right after a mass name a dose form ("tablet", "ferrous sulfate tablet") before any
    word, number or sign that leaves the mass standing alone ("200 mg of sumatriptan tablets", "10 mg
    (about 2 tablets)")?"""
    m = _FORM_AFTER_RE.match(following)
    return m is not None and not _NOT_IN_A_FORM_NAME.intersection(m.group(0).lower().split())


def _names_doses(after: list[str], nouns: frozenset[str]) -> bool:
    """Do the words after a count name doses ("2 doses", "6 to 8 weekly sessions", "3 booster shots")?"""
    if after[:1] and after[0] in nouns:
        return True
    return len(after) > 1 and after[1] in nouns and (after[0].endswith("ly") or after[0] in _DOSE_COUNT_ADJECTIVES)


def _scaled(value: float, factor: float) -> float:
    """value * factor without binary noise (95 % is 0.95, not 0.9500000000000001)."""
    product = value * factor
    return float(f"{product:.12g}") if math.isfinite(product) else product


def _surface_alternation(surfaces: list[str]) -> str:
    parts = []
    for surface in sorted(set(surfaces), key=len, reverse=True):
        body = re.escape(surface).replace(r"\ ", r"\s+")
        parts.append(body if len(surface) <= 2 else f"(?i:{body})")
    return "|".join(parts) if parts else r"(?!x)x"


def _opens_range(m: re.Match[str], item: _Found) -> bool:
    """'between 2 and 4', 'between 2-4', 'from 10 to 20'; not 'from 2013-14'."""
    if m.group("w").lower() == "between":
        return item.range_word in ("and", "to", "-")
    return item.range_word in ("to", "through")


def _glued_letter(text: str, pos: int) -> bool:
    """A letter right after the digits ("21st", "06F6", "10M") that is not a known unit."""
    return pos < len(text) and text[pos].isalpha()


def _is_pronoun_one(text: str, atom: _Atom) -> bool:
    if text[atom.start : atom.end].lower() != "one":
        return False
    before = _WORD_RE.findall(text[max(0, atom.start - 20) : atom.start])
    after = _NEXT_WORD_RE.match(text[atom.end : atom.end + 20])
    return bool(before and before[-1].lower() in _ONE_PRONOUN_BEFORE) or bool(
        after and after.group(1).lower() in (_ONE_PRONOUN_AFTER | {"'s"})
    )


def _reads_as_date(text: str, start: int, end: int) -> bool:
    """A bare 4-digit year: 'in 2019', 'a 2019 review', '2019.' but not '2000 patients'."""
    before = _WORD_RE.findall(text[max(0, start - 20) : start])
    if before and before[-1].lower() in _DATE_BEFORE:
        return True
    nxt = _NEXT_LETTERS_RE.match(text[end : end + 30])
    if nxt is None or not nxt.group(1)[0].islower():
        return True
    return nxt.group(1) in _DATE_AFTER


def _over_means_during(text: str, over_start: int) -> bool:
    """See the rule above ``_OVER_ADMINISTRATION``."""
    window = text[max(0, over_start - 60) : over_start]
    clause = _CLAUSE_BREAK_RE.split(window)[-1]
    words = [w.lower() for w in _WORD_RE.findall(clause)][-5:]
    for word in words:
        if word in _OVER_ADMINISTRATION:
            return True
        if word.endswith(("ed", "ing")) and len(word) > 4 and word not in _OVER_THRESHOLD_VERBS:
            return True
    return False


def _time_role(before: list[str], after: list[str], during: bool, cues: Mapping[str, frozenset[str]]) -> str:
    """The nearest cue wins; what follows the duration ("10 hours of infusions",
    "12 weeks of pain relief") outweighs what precedes it."""
    kinds = (
        ("infusion_duration", cues["infusion"]),
        ("relief_duration", cues["relief"]),
        ("effect_duration", cues["effect_duration"]),
    )
    course = before[-4:] == ["over", "the", "course", "of"]
    if (during or course) and (set(before) | set(after)) & cues["infusion"]:
        return "infusion_duration"
    if set(after[:2]) & cues["infusion"]:
        return "infusion_duration"
    if set(after) & cues["relief"]:
        return "relief_duration"
    for word in reversed(before):
        for role, words in kinds:
            if word in words:
                return role
    if course:
        return "infusion_duration"
    if set(after) & cues["effect_duration"]:
        return "effect_duration"
    return "duration"


def _fraction_role(before: list[str], after: list[str], cues: Mapping[str, frozenset[str]]) -> str:
    """``after``: up to five words (a share's population may follow "of" after three qualifiers)."""
    soon = set(after[:2])
    if soon & cues["probability"]:
        return "probability"
    if soon & cues["risk"]:
        return "risk"
    if set(before[-4:]) & cues["prevalence"]:
        return "prevalence"
    if soon & _EFFICACY_AFTER or set(before[-3:]) & _PREVENTS and after[:1] == ["of"]:
        return "efficacy_rate"  # "90% effective at preventing shingles", "prevents about half of cases"
    population = cues["population"]
    # "30% of (chronic pain) patients": a share of people, comparable across documents; "90% of the
    # enzyme" or "30% of the dose" is a proportion of something else, not compared
    if (after[:1] == ["of"] and set(after[1:5]) & population) or set(after[:1]) & population:
        return "share"
    if set(before[-3:]) & cues["effect"] or soon & cues["effect"] or _after_by(before):
        return "effect_size"
    return "proportion"


_EFFICACY_AFTER = frozenset({"effective", "efficacious", "protective", "effectiveness", "efficacy"})
_PREVENTS = frozenset({"prevent", "prevents", "prevented", "preventing"})
# Words between "by" and the amount of a change ("cut by an average of just 8 percent")
_BY_FILLERS = frozenset("an a average mean median of just only some nearly almost roughly about around "
                        "approximately up to as much".split())


def _after_by(before: list[str]) -> bool:
    """Does the amount follow "by" ("reduced by 20%", "shortened by an average of just 8%")?"""
    for word in reversed(before[-6:]):
        if word == "by":
            return True
        if word not in _BY_FILLERS:
            return False
    return False


# ---------------------------------------------------------------------------
# Atoms
# ---------------------------------------------------------------------------


def _parse_atom(m: re.Match[str]) -> _Atom | None:
    kind = m.lastgroup
    text = m.group(0)
    start, end = m.start(), m.end()
    if m.group("decade"):
        year = float(text[:4])
        return _Atom(start, end, year, year + 9, "decade")
    if m.group("sci"):
        return _scientific(text, start, end)
    if m.group("mixed"):
        return _mixed(text, start, end)
    if m.group("frac"):
        num, den = (int(p) for p in text.split("/"))
        if den == 0 or num >= den:
            return None  # "24/7", "1/0": not a fraction
        return _Atom(start, end, num / den, num / den, "num", fraction=True)
    if m.group("ufrac"):
        v = _UNICODE_FRACTIONS[text]
        return _Atom(start, end, v, v, "num", fraction=True)
    if m.group("num"):
        v = float(text.replace(",", ""))
        year_like = len(text) == 4 and text.isdigit() and 1800 <= v <= 2099
        return _Atom(start, end, v, v, "num", year_like=year_like)
    if m.group("vague"):
        return _vague(m)
    if m.group("halfof"):
        return _Atom(start, end, 0.5, 0.5, "num", fraction=True)
    if m.group("aden"):
        v = 1 / _DENOMINATORS[text.split()[-1].lower()]
        return _Atom(start, end, v, v, "num", fraction=True)
    if m.group("words"):
        return _words(m)
    if m.group("half"):
        return _Atom(start, end, 0.5, 0.5, "half", needs_unit=True)
    if m.group("article"):
        return _Atom(start, end, 1.0, 1.0, "article", needs_unit=True)
    raise AssertionError(f"unhandled atom group {kind}")  # pragma: no cover


def _scientific(text: str, start: int, end: int) -> _Atom:
    compact = text.replace(" ", "").replace("−", "-")
    if "10" in compact and re.search(r"[×x]", compact):
        mantissa, exponent = re.split(r"[×x]10\^?", compact)
        compact = f"{mantissa}e{exponent}"
    v = float(compact)
    return _Atom(start, end, v, v, "num")


def _mixed(text: str, start: int, end: int) -> _Atom:
    parts = text.split()
    if len(parts) == 2 and "/" in parts[1]:
        num, den = (int(p) for p in parts[1].split("/"))
        if den == 0 or num >= den:  # "2 3/2" is not a mixed number: keep the whole part
            v = float(parts[0])
            return _Atom(start, start + len(parts[0]), v, v, "num")
        v = int(parts[0]) + num / den
    else:
        whole = text.rstrip("".join(_UNICODE_FRACTIONS)).strip()
        v = int(whole) + _UNICODE_FRACTIONS[text[-1]]
    return _Atom(start, end, v, v, "num")


def _vague(m: re.Match[str]) -> _Atom:
    head = " ".join(m.group("vague").lower().split()[:2])
    mult_word = (m.group("vmult") or "").lower()
    mult = _DOZEN if mult_word == "dozen" else _SCALES.get(mult_word, 1)
    if head.startswith("a couple"):
        return _Atom(m.start(), m.end(), _COUPLE * mult, _COUPLE * mult, "vague")
    low, high = _VAGUE["a few" if head == "a few" else "several"]
    return _Atom(m.start(), m.end(), low * mult, high * mult, "vague")


def _words(m: re.Match[str]) -> _Atom | None:
    """The first well-formed number in a run of number words ("a hundred and two")."""
    base = m.start()
    tokens = [(t.group(0).lower(), base + t.start(), base + t.end()) for t in _WORD_TOKEN_RE.finditer(m.group(0))]
    parsed = _parse_number_words(tokens)
    if parsed is None:
        return None
    value, end_index = parsed
    end = tokens[end_index][2]
    denom = m.group("denom")
    fraction = False
    if denom and end_index + 1 < len(tokens) and tokens[end_index + 1][1] == m.start("denom"):
        value /= _DENOMINATORS[denom.lower()]
        end = m.end("denom")
        fraction = True
    return _Atom(tokens[0][1], end, value, value, "words", fraction=fraction)


def _parse_number_words(tokens: list[tuple[str, int, int]]) -> tuple[float, int] | None:
    """(value, index of the last token used) of the first number in ``tokens``."""
    total = 0.0
    current = 0.0
    last = ""  # kind of the last token used: article|one|teen|tens|hundred|scale|dozen|and
    last_scale = math.inf
    end_index = -1
    for i, (tok, _, _) in enumerate(tokens):
        if tok in ("a", "an"):
            if i:
                break
            last, current = "article", 1.0
            continue
        if tok in ("and", "&", ","):
            if last not in ("hundred", "scale") or (tok == "," and last != "scale"):
                break
            last = "and" if tok != "," else "scale"
            continue
        if tok in _ONES:
            v = _ONES[tok]
            if v >= 10 and last not in ("", "hundred", "scale", "and"):
                break
            if v < 10 and last not in ("", "tens", "hundred", "scale", "and"):
                break
            if v == 0 and last:
                break
            current += v
            last = "teen" if v >= 10 else "one"
        elif tok in _TENS:
            if last not in ("", "hundred", "scale", "and"):
                break
            current += _TENS[tok]
            last = "tens"
        elif tok == "hundred":
            if last not in ("one", "teen", "tens", "article") or current >= 100:
                break
            current *= 100
            last = "hundred"
        elif tok in _SCALES:
            scale = _SCALES[tok]
            if last not in ("one", "teen", "tens", "hundred", "article") or scale >= last_scale:
                break
            total += current * scale
            current, last, last_scale = 0.0, "scale", scale
        elif tok == "dozen":
            if last not in ("one", "teen", "tens", "article"):
                break
            current *= _DOZEN
            end_index = i
            break
        else:
            break
        end_index = i
    if end_index < 0 or tokens[end_index][0] in ("a", "an"):
        return None
    return total + current, end_index


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


@cache
def default_extractor() -> QuantityExtractor:
    """The extractor for the packaged unit table, built once per process."""
    return QuantityExtractor(unit_table())


def denied_bound(q: Quantity) -> Quantity | None:
    """The bound a negation of the strict bound ``q`` states: "(not) more than 1 mg" is "<= 1 mg", "(not)
    less than 2 hours" is ">= 2 hours"; None when ``q`` is no strict bound (not (x = 3) states no value)."""
    if q.comparator == ">":
        return replace(q, comparator="<=", base_low=0.0, base_high=q.base_low)
    if q.comparator == "<":
        return replace(q, comparator=">=", base_low=q.base_high, base_high=INF)
    return None


def extract_quantities(text: str, *, offset: int = 0) -> list[Quantity]:
    """Quantities in one sentence; spans are ``offset`` + index into ``text``."""
    return default_extractor().extract(text, offset)


def intervals_compatible(a: Quantity, b: Quantity, *, tolerance: float = 0.1) -> tuple[bool, str]:
    """Whether ``a`` and ``b`` can both be true, and a short reason.

    Both intervals (in base units) are widened before they are compared:
    by ``tolerance`` (relative) for rounding; by a further 35 % when a value is
    approximate ("about 2 weeks"); by the unit's inherent imprecision (months and
    years, 10 %).  Vague quantities ("several hours") carry their conventional
    bounds, widened by a further 50 %.  Calendar years are widened absolutely (2 years when
    approximate); fractions by at most a few percentage points (``FRACTION_POINTS``).  Only quantities of the same dimension can be incompatible:
    incompatible means the widened intervals are disjoint.
    """
    if a.dimension != b.dimension:
        return True, f"not comparable: {a.dimension} vs {b.dimension}"
    lo_a, hi_a = _widened(a, tolerance)
    lo_b, hi_b = _widened(b, tolerance)
    if hi_a < lo_b or hi_b < lo_a:
        inner, outer = (a, b) if _span(a) <= _span(b) else (b, a)
        return False, f"{describe_quantity(inner)} is outside {describe_quantity(outer)}"
    if _same_reading(a, b, tolerance):
        return True, f"{describe_quantity(a)} ≈ {describe_quantity(b)}"
    if a.base_low <= b.base_low and b.base_high <= a.base_high:
        return True, f"{describe_quantity(b)} is within {describe_quantity(a)}"
    if b.base_low <= a.base_low and a.base_high <= b.base_high:
        return True, f"{describe_quantity(a)} is within {describe_quantity(b)}"
    return True, f"{describe_quantity(a)} overlaps {describe_quantity(b)}"


# "several hours" is 3-7 by convention, but writers stretch it: 10 hours is still "several",
# 1 hour is not. Vague bounds widen by a further 50 % before comparison.
VAGUE_WIDENING = 0.5


def _widening(q: Quantity, tolerance: float) -> float:
    """Relative widening of ``q``'s interval (see ``intervals_compatible``)."""
    widening = tolerance + unit_imprecision().get(q.unit, 0.0)
    if q.approximate and not q.vague:
        widening += APPROXIMATE_WIDENING
    if q.vague:
        widening += VAGUE_WIDENING
    return widening


def _pad(q: Quantity, low: float, high: float, tolerance: float) -> tuple[float, float]:
    """[low, high] (base units of ``q``) widened as ``q`` allows."""
    if q.dimension == DATE:
        pad = APPROXIMATE_YEARS if q.approximate else 0.0
        return low - pad, high + pad
    w = _widening(q, tolerance)
    if q.dimension == FRACTION_DIMENSION:
        # at most so many percentage points: "about 70%" is 62.5-77.5 %, not 38-102 %; "about 5%" stays 2.75-7.25 %
        points = FRACTION_POINTS * (5 if q.vague else 3 if q.approximate else 1)
        return low - min(low * w, points), high + min(high * w, points)
    return low * (1 - w), high * (1 + w)


def _widened(q: Quantity, tolerance: float) -> tuple[float, float]:
    return _pad(q, q.base_low, q.base_high, tolerance)


def _span(q: Quantity) -> float:
    return q.base_high - q.base_low


def _anchors(q: Quantity) -> tuple[float, ...]:
    """The stated bounds: the threshold of '>3 months', both ends of a range."""
    if q.comparator in (">", ">="):
        return (q.base_low,)
    if q.comparator in ("<", "<="):
        return (q.base_high,)
    return (q.base_low, q.base_high)


def _same_reading(a: Quantity, b: Quantity, tolerance: float) -> bool:
    """Same kind of statement whose bounds agree within their widening: '>3 months', '>12 weeks'."""
    kind = {">": "gt", ">=": "gt", "<": "lt", "<=": "lt"}
    if kind.get(a.comparator, "eq") != kind.get(b.comparator, "eq"):
        return False
    for x, y in zip(_anchors(a), _anchors(b), strict=True):
        lo_x, hi_x = _pad(a, x, x, tolerance)
        lo_y, hi_y = _pad(b, y, y, tolerance)
        if hi_x < lo_y or hi_y < lo_x:
            return False
    return True


def describe_quantity(q: Quantity) -> str:
    """A short normalized rendering: '1 hour', '3–7 hours', '≥3 months', 'about 2 weeks'; a fraction in
    words as a percentage ("about half": 'about 50%')."""
    low, high, unit = q.low, q.high, q.unit
    if unit == FRACTION_UNIT:
        low, high, unit = low * 100, high * 100, "percent"
    if low != high:
        value = f"{_fmt(low)}–{_fmt(high)}"
        plural = True
    else:
        value = _fmt(low)
        plural = low != 1
    text = _with_unit(value, unit, plural)
    symbol = {">": ">", ">=": "≥", "<": "<", "<=": "≤"}.get(q.comparator, "")
    if symbol:
        return symbol + text
    return f"about {text}" if q.approximate else text


def _fmt(v: float) -> str:
    if math.isinf(v):
        return "∞"
    if float(v).is_integer() and abs(v) < 1e15:
        return str(int(v))
    return f"{v:.4g}"


def _with_unit(value: str, unit: str, plural: bool) -> str:
    if unit in ("", DATE_UNIT, FRACTION_UNIT):
        return value
    if unit == "percent":
        return f"{value}%"
    if unit.replace(" ", "").isalpha():  # a word ("hour"), not a symbol ("mg/kg")
        return f"{value} {unit}{'s' if plural else ''}"
    return f"{value} {unit}"


if __name__ == "__main__":  # regenerate FACTORS_FILE after editing units.yaml
    rows = ",\n".join(f"  {json.dumps(row)}" for row in pint_factor_rows())
    FACTORS_FILE.write_text(f'{{"factors": [\n{rows}\n]}}\n', encoding="utf-8")
    print(f"wrote {FACTORS_FILE}")
