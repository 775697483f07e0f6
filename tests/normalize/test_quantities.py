"""Tests of claimaudit.normalize.quantities: hand-checked sentences and properties."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimaudit.errors import DataFileError
from claimaudit.normalize.quantities import (
    describe_quantity,
    extract_quantities,
    intervals_compatible,
    FACTORS_FILE,
    known_factors,
    load_unit_table,
    pint_factor_rows,
    unit_table,
)
from claimaudit.records import Quantity

INF = math.inf

# (surface, low, high, unit, comparator, role)
Row = tuple[str, float, float, str, str, str]


def rows(text: str) -> list[Row]:
    return [(q.surface, q.low, q.high, q.unit, q.comparator, q.role) for q in extract_quantities(text)]


def only(text: str) -> Quantity:
    found = extract_quantities(text)
    assert len(found) == 1, found
    return found[0]


def assert_rows(actual: list[Row], expected: list[Row]) -> None:
    assert [(r[0], r[3], r[4], r[5]) for r in actual] == [(e[0], e[3], e[4], e[5]) for e in expected]
    for got, want in zip(actual, expected, strict=True):
        assert got[1] == pytest.approx(want[1]) and got[2] == pytest.approx(want[2]), (got, want)


# --- the examples of the brief and of real health articles -------------------------

SENTENCES: list[tuple[str, list[Row]]] = [
    (
        # international units compare only with international units; a restatement in parentheses takes
        # the limit before the first amount and the "a day" after the second
        "The upper limit for adults is 50 micrograms (2,000 IU) a day; most adults need 600 IU.",
        [
            ("50 micrograms", 50, 50, "mcg/day", "<=", "dose_rate"),
            ("2,000 IU", 2000, 2000, "IU/day", "<=", "dose_rate"),
            ("600 IU", 600, 600, "IU", "=", "dose"),
        ],
    ),
    (
        "Ketamine infusion dosages are usually 0.5 to 2 milligrams per kilogram of body weight "
        "over the course of 1 hour when administered for chronic pain.",
        [
            ("0.5 to 2 milligrams per kilogram of body weight", 0.5, 2, "mg/kg", "range", "dose"),
            ("1 hour", 1, 1, "hour", "=", "infusion_duration"),
        ],
    ),
    (
        "It involves slowly injecting ketamine into a vein over several hours.",
        [("several hours", 3, 7, "hour", "range", "infusion_duration")],
    ),
    (
        "Ketamine therapy involves low-dose infusions of ketamine over several hours to relieve pain.",
        [("several hours", 3, 7, "hour", "range", "infusion_duration")],
    ),
    ("The drug was infused over 2 hours.", [("2 hours", 2, 2, "hour", "=", "infusion_duration")]),
    (
        "Over 10 hours: 95% chance of 50% pain relief for more than 48 hours",
        [
            ("Over 10 hours", 10, 10, "hour", ">", "duration"),
            ("95%", 95, 95, "percent", "=", "probability"),
            ("50%", 50, 50, "percent", "=", "effect_size"),
            ("more than 48 hours", 48, 48, "hour", ">", "relief_duration"),
        ],
    ),
    (
        "The effects lasted for about 2 weeks.",
        [("about 2 weeks", 2, 2, "week", "~", "effect_duration")],
    ),
    (
        "Studies using multiple infusions of ketamine relieved pain for three months or more.",
        [("three months or more", 3, 3, "month", ">=", "relief_duration")],
    ),
    (
        "Chronic pain is pain that lasts longer than 3 months.",
        [("longer than 3 months", 3, 3, "month", ">", "effect_duration")],
    ),
    ("The pain must last for more than 12 weeks.", [("more than 12 weeks", 12, 12, "week", ">", "duration")]),
    (
        "These only provide adequate relief in 30–40% of cases.",
        [("30–40%", 30, 40, "percent", "range", "share")],
    ),
    (
        "Only 30-40% of patients demonstrate adequate-to-good pain relief.",
        [("30-40%", 30, 40, "percent", "range", "share")],
    ),
    (
        "With an overall prevalence of 50.7% in all cancer stages, 20-40% of the pain is not alleviated.",
        [
            ("50.7%", 50.7, 50.7, "percent", "=", "prevalence"),
            ("20-40%", 20, 40, "percent", "range", "proportion"),  # of the pain, not of people
        ],
    ),
    (
        "Evidence that 4–10 days of infusions could provide up to 12 weeks of pain relief.",
        [
            ("4–10 days", 4, 10, "day", "range", "infusion_duration"),
            ("up to 12 weeks", 12, 12, "week", "<=", "relief_duration"),
        ],
    ),
    (
        "Others state that as many as 100 hours may be necessary.",
        [("as many as 100 hours", 100, 100, "hour", "<=", "duration")],
    ),
    (
        "It's possible to feel an improvement within just a few hours.",
        [("within just a few hours", 2, 4, "hour", "<=", "duration")],
    ),
    ("Chronic pain affects over 3 million people every year.", [("over 3 million", 3e6, 3e6, "", ">", "count")]),
    (
        "According to guidelines published in 2018, a 2019 systematic review found it.",
        [("2018", 2018, 2018, "calendar_year", "=", "date"), ("2019", 2019, 2019, "calendar_year", "=", "date")],
    ),
    ("They were given between 2 and 4 hours apart.", [("between 2 and 4 hours", 2, 4, "hour", "range", "duration")]),
    ("Wait from 10 to 20 minutes.", [("from 10 to 20 minutes", 10, 20, "minute", "range", "duration")]),
    ("A course of 3 months to 1 year.", [("3 months to 1 year", 0.25, 1, "year", "range", "duration")]),
    (
        "They were given 45 and 50 mg ethanol.",
        [("45", 45, 45, "milligram", "=", "dose"), ("50 mg", 50, 50, "milligram", "=", "dose")],
    ),
    (
        "Visits at 3, 6 and 12 months.",
        [
            ("3", 3, 3, "month", "=", "duration"),
            ("6", 6, 6, "month", "=", "duration"),
            ("12 months", 12, 12, "month", "=", "duration"),
        ],
    ),
    (
        "They were changed from 44 ml to 50 mg.",
        [
            ("44 ml", 44, 44, "millilitre", "=", "volume"),
            ("50 mg", 50, 50, "milligram", "=", "dose"),
        ],
    ),
    (
        "An infusion of 0.5 mg/kg/h or 5 mcg/kg/min.",
        [
            ("0.5 mg/kg/h", 0.5, 0.5, "mg/kg/h", "=", "dose_rate"),
            ("5 mcg/kg/min", 5, 5, "mcg/kg/min", "=", "dose_rate"),
        ],
    ),
    ("Take 400 mg/day.", [("400 mg/day", 400, 400, "mg/day", "=", "dose_rate")]),
    ("Patients who weighed over 100 kg.", [("over 100 kg", 100, 100, "kilogram", ">", "body_weight")]),
    (
        "Add ½ tbsp of salt and 2 1/2 cups of water.",
        [
            ("½ tbsp", 0.5, 0.5, "tablespoon", "=", "volume"),
            ("2 1/2 cups", 2.5, 2.5, "cup", "=", "volume"),
        ],
    ),
    ("About 1/40 of the wavelength.", [("About 1/40", 0.025, 0.025, "fraction", "~", "proportion")]),
    (
        "Up to 30% of chronic pain patients stop; about 90% of the dose is absorbed.",
        [
            ("Up to 30%", 30, 30, "percent", "<=", "share"),
            ("about 90%", 90, 90, "percent", "~", "proportion"),
        ],
    ),
    (
        "Most people need 6 to 8 sessions over 2 to 3 weeks.",
        [("6 to 8", 6, 8, "", "range", "dose_count"), ("2 to 3 weeks", 2, 3, "week", "range", "duration")],
    ),
    (
        "Check symptoms in people 65 and older; drink 8 glasses of water a day.",
        [("65 and older", 65, 65, "year", ">=", "age"), ("8", 8, 8, "", "=", "count")],
    ),
    ("The risk drops by 40-60%.", [("40-60%", 40, 60, "percent", "range", "effect_size")]),
    (
        "Half of patients and two thirds of adults, one in five people.",
        [
            ("Half", 0.5, 0.5, "fraction", "=", "share"),
            ("two thirds", 2 / 3, 2 / 3, "fraction", "=", "share"),
            ("one in five", 0.2, 0.2, "fraction", "=", "share"),
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), SENTENCES, ids=[s[0][:40] for s in SENTENCES])
def test_sentences(text: str, expected: list[Row]) -> None:
    assert_rows(rows(text), expected)


# --- number words -------------------------------------------------------------------

WORD_NUMBERS = [
    ("one", 1), ("seven", 7), ("twelve", 12), ("nineteen", 19), ("twenty", 20), ("twenty-one", 21),
    ("forty two", 42), ("ninety", 90), ("a hundred", 100), ("one hundred and two", 102),
    ("three thousand", 3000), ("three million, two hundred & forty", 3_000_240), ("a dozen", 12),
    ("two dozen", 24), ("zero", 0), ("two and a half", 2.5), ("1,000", 1000), ("0.5", 0.5), (".5", 0.5),
    ("1,500,000", 1_500_000), ("2.5 million", 2_500_000), ("2.48×10−5", 2.48e-5), ("4e14", 4e14),
]  # fmt: skip


@pytest.mark.parametrize(("words", "value"), WORD_NUMBERS)
def test_number_words(words: str, value: float) -> None:
    q = only(f"We saw {words} patients.")
    assert (q.surface, q.low, q.high, q.dimension) == (words, pytest.approx(value), pytest.approx(value), "count")


@pytest.mark.parametrize(
    ("text", "surface", "low", "high", "unit", "approximate", "vague"),
    [
        ("It took half an hour.", "half an hour", 0.5, 0.5, "hour", False, False),
        ("It took an hour and a half.", "an hour and a half", 1.5, 1.5, "hour", False, False),
        ("It took two and a half days.", "two and a half days", 2.5, 2.5, "day", False, False),
        ("It took a few weeks.", "a few weeks", 2, 4, "week", False, True),
        ("It took several days.", "several days", 3, 7, "day", False, True),
        ("It took a couple of days.", "a couple of days", 2, 2, "day", True, False),
        ("It lasted several hundred years.", "several hundred years", 300, 700, "year", False, True),
        ("It took a week.", "a week", 1, 1, "week", False, False),
    ],
)
def test_word_quantities(
    text: str, surface: str, low: float, high: float, unit: str, approximate: bool, vague: bool
) -> None:
    q = only(text)
    assert (q.surface, q.low, q.high, q.unit, q.approximate, q.vague) == (surface, low, high, unit, approximate, vague)


@pytest.mark.parametrize(
    "text",
    [
        "Many patients and multiple studies.",
        "One of the most common methods.",
        "No one knows; that one is better.",
        "Take it once a day or twice a week.",
        "Ask for a second opinion.",
        "A few of the many, several of multiple.".replace("A few", "Few").replace("several of", "most of"),
        "COVID-19 and CRPS-1 in SCP 06F6 and MACS J1149.5+6663, the 21st century.",
        "It costs $350 or €10, a 5 cm lesion at 37 °C, 5 mmol, 5 mg/dL.",
        "At 2 pm or 10:30, a ratio of 1:1000, 24/7, the value 1/0.",
        "Version 1.2.3 was released on 2019-05-01 and 12/03/2020.",
        "The difference was significant (p<0.05, P = 0.003).",
        "Drink water twice a day.",
    ],
)
def test_not_quantities(text: str) -> None:
    assert rows(text) == []


# --- comparators --------------------------------------------------------------------

COMPARATORS = [
    ("more than", ">"), ("over", ">"), ("greater than", ">"), ("longer than", ">"), ("exceeding", ">"),
    ("above", ">"), (">", ">"), ("at least", ">="), ("no less than", ">="), ("a minimum of", ">="),
    ("≥", ">="), ("less than", "<"), ("under", "<"), ("fewer than", "<"), ("below", "<"),
    ("shorter than", "<"), ("<", "<"), ("up to", "<="), ("as many as", "<="), ("as much as", "<="),
    ("at most", "<="), ("no more than", "<="), ("a maximum of", "<="), ("within", "<="), ("≤", "<="),
    ("about", "~"), ("around", "~"), ("approximately", "~"), ("roughly", "~"), ("nearly", "~"),
    ("almost", "~"), ("~", "~"), ("some", "~"),
]  # fmt: skip


@pytest.mark.parametrize(("phrase", "comparator"), COMPARATORS)
def test_prefix_comparators(phrase: str, comparator: str) -> None:
    q = only(f"Symptoms: {phrase} 6 weeks.")
    assert q.surface == f"{phrase} 6 weeks"
    assert q.comparator == comparator
    assert (q.low, q.high) == (6, 6)
    base = 6 * 168
    expected = {
        ">": (base, INF),
        ">=": (base, INF),
        "<": (0.0, base),
        "<=": (0.0, base),
        "~": (base, base),
    }[comparator]
    assert (q.base_low, q.base_high) == pytest.approx(expected)
    assert q.approximate == (comparator == "~")


@pytest.mark.parametrize(
    ("text", "surface", "comparator"),
    [
        ("for 3 months or more", "3 months or more", ">="),
        ("for 3 months or longer", "3 months or longer", ">="),
        ("for 3 or more months", "3 or more months", ">="),
        ("in 65+ adults", "65+", ">="),
        ("in 3+ months", "3+ months", ">="),
        ("for 2 days or less", "2 days or less", "<="),
        ("5 or fewer doses", "5 or fewer", "<="),
    ],
)
def test_postfix_comparators(text: str, surface: str, comparator: str) -> None:
    q = only(text)
    assert (q.surface, q.comparator) == (surface, comparator)


@pytest.mark.parametrize(
    ("text", "surface", "comparator"),
    [
        # "over" meaning "during": after an administration word or an -ed/-ing verb, or with a vague duration.
        ("Ketamine was infused over 2 hours.", "2 hours", "="),
        ("The dose is given over 40 minutes.", "40 minutes", "="),
        ("The infusion over 4 hours was tolerated.", "4 hours", "="),
        ("Pain relief over several days was reported.", "several days", "range"),
        ("over the course of 1 hour", "1 hour", "="),
        # "over" meaning "more than".
        ("Over 10 hours: 95% chance.", "Over 10 hours", ">"),
        ("Pain that lasted over 3 months.", "over 3 months", ">"),
        ("Patients over 65 years.", "over 65 years", ">"),
        ("The cohort had over 300 patients.", "over 300", ">"),
    ],
)
def test_over_rule(text: str, surface: str, comparator: str) -> None:
    q = extract_quantities(text)[0]
    assert (q.surface, q.comparator) == (surface, comparator)


# --- years, ages, dates -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "surface", "low", "high"),
    [
        ("It was approved in 1970.", "1970", 1970, 1970),
        ("A study in 2019 found it.", "2019", 2019, 2019),
        ("It was popular in the 1960s.", "1960s", 1960, 1969),
        ("It has been used since the 1990's.", "1990's", 1990, 1999),
        ("Data from 2013-14 were used.", "2013-14", 2013, 2014),
        ("Between 2010 and 2015 it rose.", "Between 2010 and 2015", 2010, 2015),
    ],
)
def test_years(text: str, surface: str, low: float, high: float) -> None:
    q = only(text)
    assert (q.surface, q.low, q.high, q.dimension, q.unit, q.role) == (
        surface,
        low,
        high,
        "year",
        "calendar_year",
        "date",
    )


def test_year_number_before_a_noun_is_a_count() -> None:
    assert rows("We enrolled 2000 patients.") == [("2000", 2000, 2000, "", "=", "count")]


@pytest.mark.parametrize(
    ("text", "surface", "low", "high", "comparator"),
    [
        ("Adults aged 65.", "65", 65, 65, "="),
        ("Adults aged 65 and older.", "65 and older", 65, 65, ">="),
        ("A 65 year old man.", "65 year", 65, 65, "="),
        ("A 65-year-old man.", "65-year", 65, 65, "="),
        ("Patients aged over 65.", "over 65", 65, 65, ">"),
        ("Those over the age of 65.", "over the age of 65", 65, 65, ">"),
        ("Patients 18-65 years old.", "18-65 years", 18, 65, "range"),
        ("People 65 years of age and older.", "65 years of age and older", 65, 65, ">="),
        ("Not for children younger than 2 years.", "younger than 2 years", 2, 2, "<"),
        ("Most children older than 2 years.", "older than 2 years", 2, 2, ">"),
    ],
)
def test_ages(text: str, surface: str, low: float, high: float, comparator: str) -> None:
    q = only(text)
    assert (q.surface, q.low, q.high, q.unit, q.comparator, q.role) == (surface, low, high, "year", comparator, "age")


@pytest.mark.parametrize(
    ("text", "role", "comparator"),
    [
        ("It is not safe for infants under 3 months.", "age", "<"),  # a group of people, then a time bound
        ("Babies younger than 6 months should not take it.", "age", "<"),
        ("It helps patients over 2 years of treatment.", "duration", ">"),  # "of": a time, not an age
        ("Infusions under 3 hours are common.", "infusion_duration", "<"),  # no people before it
        ("For children 6 months to 12 years.", "age", "range"),  # a span of ages after people
        ("Seen in patients 6 months after treatment.", "duration", "="),  # a single time is no age
        ("It may raise the risk in people under 25.", "age", "<"),  # a bare number after people: years
    ],
)
def test_a_time_bound_after_people_is_an_age(text: str, role: str, comparator: str) -> None:
    q = only(text)
    assert (q.role, q.comparator) == (role, comparator)


@pytest.mark.parametrize(
    ("text", "comparator", "low", "high"),
    [
        ("The maximum dose of ibuprofen for adults is 3,200 mg per day.", "<=", 0.0, 3200 / 24),
        ("The minimum effective dose is 5 mg.", ">=", 5.0, INF),
        ("Doses exceed 100 mg.", ">", 100.0, INF),
        ("The maximum was reached after 2 hours.", "=", 2.0, 2.0),  # a clause break between: no limit
    ],
)
def test_a_stated_limit_is_a_bound(text: str, comparator: str, low: float, high: float) -> None:
    q = only(text)
    assert (q.comparator, q.base_low, q.base_high) == (comparator, pytest.approx(low), pytest.approx(high))


@pytest.mark.parametrize(
    ("text", "surface", "unit", "role"),
    [
        ("Adult women need 18 mg of iron per day.", "18 mg of iron per day", "mg/day", "dose_rate"),
        ("Take 400 micrograms of folic acid a day.", "400 micrograms of folic acid a day", "mcg/day", "dose_rate"),
        ("Take 2 g of vitamin C per day.", "2 g of vitamin C per day", "g/day", "dose_rate"),
        # a frequency between: the dose is per intake, not per day
        ("Take 10 mg of it twice a day.", "10 mg", "milligram", "dose"),
    ],
)
def test_an_amount_of_something_per_day_is_a_rate(text: str, surface: str, unit: str, role: str) -> None:
    q = only(text)
    assert (q.surface, q.unit, q.role) == (surface, unit, role)


# --- units and base conversion -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "unit", "base_unit", "base"),
    [
        ("30 seconds", "second", "hour", 30 / 3600),
        ("90 mins", "minute", "hour", 1.5),
        ("3 hrs", "hour", "hour", 3),
        ("2 h", "hour", "hour", 2),
        ("7 days", "day", "hour", 168),
        ("2 wk", "week", "hour", 336),
        ("6 months", "month", "hour", 4383),
        ("1 yr", "year", "hour", 8766),
        ("200 mcg", "microgram", "milligram", 0.2),
        ("200 µg", "microgram", "milligram", 0.2),
        ("1.5 g", "gram", "milligram", 1500),
        ("10kg", "kilogram", "milligram", 1e7),
        ("2 mg per kg", "mg/kg", "mg/kg", 2),
        ("500 mcg/kg", "mcg/kg", "mg/kg", 0.5),
        ("1 mg/kg per hour", "mg/kg/h", "mg/kg/h", 1),
        ("250 mL", "millilitre", "millilitre", 250),
        ("1.5 litres", "litre", "millilitre", 1500),
        ("5 percent", "percent", "fraction", 0.05),
        ("12.5 per cent", "percent", "fraction", 0.125),
    ],
)
def test_units(text: str, unit: str, base_unit: str, base: float) -> None:
    q = only(f"It was {text}.")
    assert (q.unit, q.base_unit) == (unit, base_unit)
    assert q.base_low == pytest.approx(base) and q.base_high == pytest.approx(base)


def test_offsets_point_into_the_original() -> None:
    original = "Intro. Relief lasted about 2 weeks."
    sentence_start = 7
    q = extract_quantities(original[sentence_start:], offset=sentence_start)[0]
    assert original[q.start : q.end] == q.surface == "about 2 weeks"


# --- compatibility -------------------------------------------------------------------

COMPATIBILITY = [
    ("Pain that lasts longer than 3 months.", "Pain for more than 12 weeks.", True),
    ("Relief in 30–40% of cases.", "Relief in 30-40% of cases.", True),
    ("Up to 12 weeks of relief.", "Relief for about 2 weeks.", True),
    ("Given over the course of 1 hour.", "Infused over several hours.", False),
    ("Relief for about 2 weeks.", "Relief for three months or more.", False),
    ("It lasts 3 months.", "It lasts 12 weeks.", True),
    ("It lasts 1 year.", "It lasts 12 months.", True),
    ("It lasts about 2 weeks.", "It lasts 4 weeks.", False),
    ("In 30% of cases.", "In 40% of cases.", False),
    ("In 30% of cases.", "In 32% of cases.", True),
    ("In about 70% of cases.", "In more than 95% of cases.", False),  # percentage points, not a third of 70
    ("In about 70% of cases.", "In 75% of cases.", True),
    ("In about 5% of cases.", "In 10% of cases.", False),  # small shares keep their relative widening
    ("In the 1960s.", "In 1965.", True),
    ("In 1970.", "In 1975.", False),
    ("Under 5 days.", "7 days.", False),
    ("It lasts 3 months.", "A dose of 2 mg.", True),
]


@pytest.mark.parametrize(("a", "b", "compatible"), COMPATIBILITY)
def test_intervals_compatible(a: str, b: str, compatible: bool) -> None:
    qa, qb = only(a), only(b)
    assert intervals_compatible(qa, qb)[0] is compatible
    assert intervals_compatible(qb, qa)[0] is compatible


def test_compatibility_reasons() -> None:
    one_hour = only("Given over the course of 1 hour.")
    several = only("Infused over several hours.")
    assert intervals_compatible(one_hour, several) == (False, "1 hour is outside 3–7 hours")
    assert intervals_compatible(only("3 months"), only("12 weeks")) == (True, "3 months ≈ 12 weeks")
    assert intervals_compatible(only("3 months"), only("2 mg"))[1] == "not comparable: time vs mass"
    assert describe_quantity(only("at least 3 months")) == "≥3 months"


# --- the unit table ------------------------------------------------------------------


def test_unit_table_is_cached_and_complete() -> None:
    table = unit_table()
    assert table is unit_table()
    hours = table.lookup("Hours")
    assert hours is not None and hours.name == "hour"
    assert table.lookup("H") is None  # short surfaces keep their case
    assert table.unit("month").factor == pytest.approx(730.5)


def test_shipped_factors_are_pints_for_the_packaged_table() -> None:
    """units.factors.json is a copy of Pint's answers: regenerate it (python -m
    claimaudit.normalize.quantities) whenever units.yaml changes."""
    fresh = pint_factor_rows()  # converted by Pint, not read from the file
    assert {(e, b): f for e, b, f in fresh} == known_factors(), f"{FACTORS_FILE.name} is stale"
    assert ["month", "hour", 730.5] in fresh and ["milligram", "milligram", 1.0] in fresh


def test_a_conversion_the_factor_file_lacks_is_asked_of_pint(tmp_path: Path) -> None:
    path = tmp_path / "units.yaml"
    path.write_text(
        "dimensions: {time: {base_unit: hour, pint: hour}}\n"
        "units: {fortnight: {dimension: time, pint: fortnight, surfaces: [fortnights]},"
        " percent: {dimension: time, pint: hour, surfaces: [pc]}, year: {dimension: time, pint: year, surfaces: [yr]},"
        " fraction: {dimension: time, pint: hour, surfaces: [fr]}}\n"
        "unmodeled: {}\nrole_cues: {probability: [], risk: [], prevalence: [], population: [], effect: [],"
        " infusion: [], relief: [], effect_duration: [], age_before: [], body_weight: []}\n",
        encoding="utf-8",
    )
    assert ("fortnight", "hour") not in known_factors()
    assert load_unit_table(path).unit("fortnight").factor == pytest.approx(336.0)


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("dimensions: {}\nunits: {}\nunmodeled: {}\nrole_cues: {}\nextra: 1\n", "unknown key"),
        ("dimensions: {time: {base_unit: hour, pint: hour}}\ndimensions: {}\n", "duplicate key"),
        (
            "dimensions: {time: {base_unit: hour, pint: hour}}\n"
            "units: {hour: {dimension: time, pint: hour, surfaces: [h]},"
            " hr: {dimension: time, pint: hour, surfaces: [h]}}\n"
            "unmodeled: {}\nrole_cues: {}\n",
            "given twice",
        ),
        (
            "dimensions: {time: {base_unit: hour, pint: hour}}\n"
            "units: {hour: {dimension: time, pint: gram, surfaces: [h]}}\nunmodeled: {}\nrole_cues: {}\n",
            "Pint cannot convert",
        ),
        ("units: [", "invalid YAML"),
    ],
)
def test_bad_unit_tables_are_rejected(tmp_path: Path, yaml_text: str, message: str) -> None:
    path = tmp_path / "units.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(DataFileError, match=message) as info:
        load_unit_table(path)
    assert str(path) in str(info.value)


# --- properties ----------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "about", "over", "more than", "up to", "between", "and", "to", "or", "from", "-", "–", " ", ",", ".",
        "%", "mg", "mg/kg", "hours", "h", "weeks", "months", "years old", "aged", "a", "an", "half", "few",
        "several", "one", "twenty-one", "hundred", "dozen", "in", "the", "1960s", "2019", "1/2", "½", "0.5",
        "1,000", "3", "12", "+", "or more", "infused", "chance", "of", "cases", "$", "e", "x", "10", ":",
    ]
)  # fmt: skip


def _check_invariants(text: str) -> None:
    for q in extract_quantities(text, offset=5):
        assert text[q.start - 5 : q.end - 5] == q.surface
        assert q.surface
        assert q.low <= q.high, q
        assert q.base_low <= q.base_high, q
        assert not (math.isnan(q.base_low) or math.isnan(q.base_high))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_arbitrary_text_never_raises(text: str) -> None:
    _check_invariants(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=14).map(" ".join))
def test_quantity_like_text_keeps_invariants(text: str) -> None:
    _check_invariants(text)



@pytest.mark.parametrize(
    "text",
    ["Statins may increase the risk of type 2 diabetes.", "Stage 3 cancer is harder to treat.",
     "In a phase-3 trial, patients improved.", "The results are shown in table 2."],
)
def test_a_number_that_names_a_kind_is_no_quantity(text):
    assert extract_quantities(text) == []


def test_a_label_word_does_not_hide_a_quantity_after_it():
    assert [q.surface for q in extract_quantities("In stage 3 cancer, 40% of patients received 2 mg.")] == ["40%", "2 mg"]
