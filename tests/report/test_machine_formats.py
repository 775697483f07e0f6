"""Machine-readable report formats: SARIF, GitHub workflow commands, GitLab Code Quality, line, CSV.

The report is built by hand (no NLP), so these tests are fast. One quote carries markup, a workflow
command, line breaks, percent signs, a SARIF embedded-link and a placeholder: document text must come
out as data in every format.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import os
import re
from urllib.parse import unquote

import pytest

from claimaudit.compare.rules import RULES
from claimaudit.records import Claim, Conflict
from claimaudit.report import csv_report, github, gitlab, line, sarif
from claimaudit.report.model import Finding, Report

VERSION = "9.9.9-test"
EVIL = (
    'Aspirin is "<script>alert(1)</script>" safe,\n'
    "::warning file=x.md,line=1::pwned 100% %0A %25 [here](1) {0}\r\n"
    "lone\rreturn \x1b[31mred\x1b[0m \u202eevil"
)


def claim(cid: str, source: str, line_no: int, column: int, end_line: int, end_column: int, quote: str) -> Claim:
    return Claim(
        id=cid, source=source, start=0, end=len(quote), line=line_no, column=column, end_line=end_line,
        end_column=end_column, text=quote, quote=quote, subject="aspirin", subject_surface="Aspirin",
        aspect="safety",
    )


A = claim("C1", "docs/a.md", 3, 1, 3, 40, "Aspirin is safe for children.")
B = claim("C2", "docs/my notes, v2:draft.md", 7, 5, 7, 31, "Aspirin is unsafe for children.")
E = claim("C3", "docs/evil.html", 10, 4, 12, 9, EVIL)

NEW = Conflict(
    id="F000000000001", kind="polarity", rule="CA201", severity="error", claim_ids=("C1", "C2"),
    topic="aspirin / safety", explanation=f"'{A.quote}' vs '{B.quote}'", values=("safe", "unsafe"), related=2,
)
DISMISSED = Conflict(
    id="F000000000002", kind="numeric", rule="CA401", severity="warning", claim_ids=("C1", "C3"),
    topic="aspirin / safety", explanation="dose 5 mg vs 5 g", values=("5 mg", "5 g"),
    status="false_positive", reason="different products, 100% sure",
)
CONFIRMED = Conflict(
    id="F000000000003", kind="terminology", rule="CA101", severity="info", claim_ids=("C3", "C2"),
    topic="aspirin / spelling", explanation=f"quoted as {EVIL}", values=("aspirin", "asprin"),
    status="confirmed", reason="fix in next edition",
)
FINDINGS = [Finding(NEW, A, B), Finding(DISMISSED, A, E), Finding(CONFIRMED, E, B)]
OPEN = [f for f in FINDINGS if f.conflict.status not in {"false_positive", "accepted"}]


def make_report(findings: list[Finding] = FINDINGS) -> Report:
    return Report(sources=[], claims=[A, B, E], findings=list(findings), not_flagged=[], version=VERSION)


def forward(path: str) -> str:
    return path.replace("\\", "/")


@pytest.fixture
def report() -> Report:
    return make_report()


MODULES = [sarif, github, gitlab, line, csv_report]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_deterministic(module, report):
    first = module.render(report)
    assert module.render(report) == first
    assert module.render(copy.deepcopy(report)) == first
    assert first.endswith("\n")


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_empty_report(module):
    out = module.render(make_report([]))
    if module is sarif:
        assert json.loads(out)["runs"][0]["results"] == []
    elif module is gitlab:
        assert json.loads(out) == []
    elif module is csv_report:
        assert list(csv.reader(io.StringIO(out, newline=""))) == [csv_report.COLUMNS]
    else:
        assert out == ""


# --- SARIF ----------------------------------------------------------------------------------------------

LEVELS = {"none", "note", "warning", "error"}


def sarif_unescape(text: str) -> str:
    """Undo sarif.plain_text: backslash-escaped link characters, doubled braces."""
    return re.sub(r"\\([\\\[\]])|\{\{|\}\}", lambda m: m.group(1) or m.group(0)[0], text)


def assert_region(region: dict, c: Claim) -> None:
    assert region == {
        "startLine": c.line, "startColumn": c.column, "endLine": c.end_line, "endColumn": c.end_column,
        "snippet": {"text": c.text},  # the region's own text (SARIF 3.30.13)
    }
    assert all(region[k] >= 1 for k in ("startLine", "startColumn", "endLine", "endColumn"))


def assert_artifact(location: dict, c: Claim) -> None:
    art = location["physicalLocation"]["artifactLocation"]
    assert art["uriBaseId"] == "%SRCROOT%"
    assert unquote(art["uri"]) == forward(c.source)
    assert not re.search(r"[\s,:\\]", art["uri"]), art["uri"]  # a valid URI reference, not a raw path
    assert_region(location["physicalLocation"]["region"], c)


def test_sarif_log_and_rules(report):
    log = json.loads(sarif.render(report))
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "claimaudit"
    assert driver["version"] == VERSION
    assert "informationUri" not in driver
    assert run["columnKind"] == "unicodeCodePoints"
    rules = driver["rules"]
    assert [r["id"] for r in rules] == sorted(RULES)
    level = {"error": "error", "warning": "warning", "info": "note"}
    for r in rules:
        rule = RULES[r["id"]]
        assert r["name"] == rule.name
        assert r["shortDescription"] == {"text": rule.summary}
        assert r["fullDescription"]["text"].startswith(rule.summary)
        assert r["defaultConfiguration"] == {"level": level[rule.severity]}
        assert r["properties"] == {"tags": [rule.kind]}


def test_sarif_results(report):
    run = json.loads(sarif.render(report))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert len(results) == len(FINDINGS)  # decided conflicts stay, marked as suppressed
    level = {"error": "error", "warning": "warning", "info": "note"}
    for res, f in zip(results, FINDINGS):
        c = f.conflict
        assert res["ruleId"] == c.rule
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["level"] == level[c.severity]
        assert sarif_unescape(res["message"]["text"]) == f.message
        assert len(res["locations"]) == 1
        assert_artifact(res["locations"][0], f.first)
        (related,) = res["relatedLocations"]
        assert related["id"] == 1
        assert related["message"] == {"text": "conflicting claim"}
        assert_artifact(related, f.second)
        assert res["partialFingerprints"] == {"claimauditConflict/v1": c.id}
        assert res["properties"] == {
            "kind": c.kind, "topic": c.topic, "status": c.status, "claim_ids": list(c.claim_ids),
            "values": list(c.values),
        }
    assert "(+2 similar pairs in these documents)" in results[0]["message"]["text"]


def test_sarif_suppressions(report):
    new, dismissed, confirmed = json.loads(sarif.render(report))["runs"][0]["results"]
    assert "suppressions" not in new
    assert "suppressions" not in confirmed  # a confirmed conflict is real: not suppressed
    assert dismissed["suppressions"] == [
        {"kind": "external", "status": "accepted", "justification": "different products, 100% sure"}
    ]
    accepted = copy.deepcopy(FINDINGS[1])
    accepted.conflict.status, accepted.conflict.reason = "accepted", ""
    (res,) = json.loads(sarif.render(make_report([accepted])))["runs"][0]["results"]
    assert res["suppressions"] == [{"kind": "external", "status": "accepted"}]


def test_sarif_message_is_data(report):
    res = json.loads(sarif.render(report))["runs"][0]["results"][2]
    text = res["message"]["text"]
    # no embedded link (§3.11.6) and no placeholder (§3.11.5) can come from the document
    assert not re.search(r"(?<!\\)\[[^\]]*(?<!\\)\]\(", text)
    assert "{0}" not in text.replace("{{", "").replace("}}", "")
    assert "\\[here\\](1)" in text and "{{0}}" in text
    assert "<script>alert(1)</script>" in text
    # the snippet is the quote verbatim
    assert res["locations"][0]["physicalLocation"]["region"]["snippet"]["text"] == EVIL


@pytest.mark.parametrize(
    ("source", "uri"),
    [
        ("/srv/docs/a b.md", "file:///srv/docs/a%20b.md"),
        ("C:\\docs\\a.md", "file:///C:/docs/a.md"),
        ("docs\\sub\\ä.md", "docs/sub/%C3%A4.md"),
    ],
)
def test_sarif_uri(source, uri):
    loc = sarif.artifact_location(source)
    assert loc["uri"] == uri
    assert ("uriBaseId" in loc) == (not uri.startswith("file:"))


def _check_required(log: dict) -> None:
    """The SARIF 2.1.0 schema's required properties and enums for every object this writer emits."""
    assert {"version", "runs"} <= set(log)
    for run in log["runs"]:
        assert run.get("columnKind", "utf16CodeUnits") in {"utf16CodeUnits", "unicodeCodePoints"}
        driver = run["tool"]["driver"]
        assert isinstance(driver["name"], str) and driver["name"]
        ids = [r["id"] for r in driver["rules"]]
        assert len(ids) == len(set(ids))
        for r in driver["rules"]:
            for key in ("shortDescription", "fullDescription"):
                assert isinstance(r[key]["text"], str) and r[key]["text"]
            assert r["defaultConfiguration"]["level"] in LEVELS
        for res in run["results"]:
            assert res["message"]["text"]
            assert res["level"] in LEVELS
            assert isinstance(res["ruleIndex"], int) and res["ruleIndex"] >= -1
            for loc in res["locations"] + res["relatedLocations"]:
                assert isinstance(loc.get("id", 0), int) and loc.get("id", 0) >= -1
                assert isinstance(loc["physicalLocation"]["artifactLocation"]["uri"], str)
            for s in res.get("suppressions", []):
                assert s["kind"] in {"inSource", "external"}
                assert s.get("status", "accepted") in {"accepted", "underReview", "rejected"}
                assert isinstance(s.get("justification", ""), str)
            assert all(isinstance(v, str) for v in res["partialFingerprints"].values())


def test_sarif_required_properties(report):
    _check_required(json.loads(sarif.render(report)))


def test_sarif_official_schema(report):
    """Validates against the SARIF 2.1.0 JSON schema when one is at hand: set CLAIMAUDIT_SARIF_SCHEMA to
    the schema file and install jsonschema (neither is a project dependency)."""
    path = os.environ.get("CLAIMAUDIT_SARIF_SCHEMA")
    if not path or not os.path.isfile(path):
        pytest.skip("CLAIMAUDIT_SARIF_SCHEMA does not name a SARIF 2.1.0 schema file")
    jsonschema = pytest.importorskip("jsonschema")
    with open(path, encoding="utf-8") as fh:
        schema = json.load(fh)
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(json.loads(sarif.render(report))), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


# --- GitHub workflow commands ------------------------------------------------------------------------------


def gh_unescape(text: str, *, prop: bool = False) -> str:
    table = {"%25": "%", "%0D": "\r", "%0A": "\n"} | ({"%3A": ":", "%2C": ","} if prop else {})
    return re.sub("|".join(table), lambda m: table[m.group(0)], text)


def parse_command(text: str) -> tuple[str, dict[str, str], str]:
    """As the Actions runner does: the command runs to the first space, properties to the next '::'."""
    assert text.startswith("::")
    end = text.index("::", 2)
    command, _, props = text[2:end].partition(" ")
    properties = dict(p.split("=", 1) for p in props.split(","))
    return command, {k: gh_unescape(v, prop=True) for k, v in properties.items()}, gh_unescape(text[end + 2 :])


def test_github_lines(report):
    out = github.render(report)
    lines = out.split("\n")[:-1]
    assert len(lines) == len(out.splitlines()) == 2  # the false positive is not emitted; nothing breaks a line
    assert not re.search(r"[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]", out)
    (cmd1, props1, msg1), (cmd2, props2, msg2) = (parse_command(x) for x in lines)
    assert cmd1 == "error" and cmd2 == "notice"
    assert props1 == {
        "file": A.source, "line": "3", "col": "1",
        "endLine": "3", "endColumn": "40", "title": "CA201 polarity",
    }
    assert msg1 == f"{OPEN[0].message} (conflicts with {B.source}:7)"
    # a claim over several lines: GitHub takes columns only on one line
    assert props2 == {"file": E.source, "line": "10", "endLine": "12", "title": "CA101 terminology"}
    # line breaks and "%" survive exactly; a terminal escape or bidi override is shown, not obeyed
    shown = OPEN[1].message.replace("\x1b", "\\x1b").replace("\u202e", "\\u202e")
    assert msg2 == f"{shown} (conflicts with {B.source}:7)"
    assert "\n::warning file=x.md,line=1::pwned 100% %0A %25 [here](1) {0}\r\nlone\rreturn" in msg2
    assert "\x1b" not in lines[1] and "\u202e" not in lines[1]


def test_github_escaping():
    assert github.escape_data("100%\r\n::x") == "100%25%0D%0A::x"
    assert github.escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    raw = "%0A literal, %25: %%"
    assert gh_unescape(github.escape_data(raw)) == raw
    assert gh_unescape(github.escape_property(raw), prop=True) == raw


def test_github_property_escaping():
    f = Finding(NEW, B, A)  # the first claim's path has a comma, a colon and a space
    (text,) = github.render(make_report([f])).splitlines()
    assert "file=docs/my notes%2C v2%3Adraft.md," in text
    assert parse_command(text)[1]["file"] == B.source


# --- GitLab Code Quality -----------------------------------------------------------------------------------


def test_gitlab(report):
    issues = json.loads(gitlab.render(report))
    assert isinstance(issues, list) and len(issues) == 2  # the false positive is skipped
    for issue, f in zip(issues, OPEN):
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["check_name"] == f.conflict.rule
        assert issue["fingerprint"] == f.conflict.id
        assert issue["location"] == {"path": forward(f.first.source), "lines": {"begin": f.first.line}}
        assert issue["description"] == f"{f.message} (conflicts with {f.second.source}:{f.second.line})"
    assert [i["severity"] for i in issues] == ["critical", "info"]
    assert EVIL in issues[1]["description"]


def test_gitlab_severities():
    severities = []
    for sev in ("info", "warning", "error"):
        f = copy.deepcopy(FINDINGS[0])
        f.conflict.severity = sev
        severities.append(json.loads(gitlab.render(make_report([f])))[0]["severity"])
    assert severities == ["info", "major", "critical"]
    assert set(severities) <= {"info", "minor", "major", "critical", "blocker"}


def test_gitlab_unique_fingerprints():
    twin = copy.deepcopy(FINDINGS[0])
    twin.conflict.claim_ids = ("C1", "C3")
    findings = [FINDINGS[0], twin, copy.deepcopy(FINDINGS[0]), FINDINGS[2]]
    prints = [i["fingerprint"] for i in json.loads(gitlab.render(make_report(findings)))]
    assert prints == [NEW.id, f"{NEW.id}-2", f"{NEW.id}-3", CONFIRMED.id]
    assert gitlab.unique_fingerprints(["a", "a-2", "a"]) == ["a", "a-2", "a-3"]
    assert len(set(gitlab.unique_fingerprints(["x", "x", "x-2", "x"]))) == 4


# --- line format -------------------------------------------------------------------------------------------

LINE = re.compile(r"^(.+):(\d+):(\d+): (error|warning|info) (CA\d{3}) ([a-z]+): (.*)$")


def test_line(report):
    out = line.render(report)
    lines = out.split("\n")[:-1]
    assert len(lines) == len(out.splitlines()) == 2
    parsed = [LINE.match(x).groups() for x in lines]
    assert parsed[0][:6] == ("docs/a.md", "3", "1", "error", "CA201", "polarity")
    assert parsed[1][:6] == ("docs/evil.html", "10", "4", "info", "CA101", "terminology")
    assert parsed[0][6] == f"{OPEN[0].message} (conflicts with {B.source}:7)"
    assert not re.search(r"[\x00-\x1f\x7f\x85\u2028\u2029\u202a-\u202e\u2066-\u2069]", out.replace("\n", ""))
    msg = parsed[1][6]
    assert "<script>alert(1)</script>" in msg and "::warning file=x.md" in msg and "100% %0A %25" in msg
    assert "\\x1b[31mred" in msg and "\\u202eevil" in msg


def test_line_keeps_report_order(report):
    reordered = make_report([FINDINGS[2], FINDINGS[0]])
    assert [x.split(":")[0] for x in line.render(reordered).splitlines()] == ["docs/evil.html", "docs/a.md"]


# --- CSV ---------------------------------------------------------------------------------------------------


def test_csv(report):
    out = csv_report.render(report)
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert list(rows[0]) == csv_report.COLUMNS == [
        "id", "rule", "kind", "severity", "status", "topic", "first_path", "first_line", "second_path",
        "second_line", "explanation", "first_quote", "second_quote", "related", "reason",
    ]
    assert len(rows) == 3  # decided conflicts included, with their status and reason
    for row, f in zip(rows, FINDINGS):
        c = f.conflict
        assert row == {
            "id": c.id, "rule": c.rule, "kind": c.kind, "severity": c.severity, "status": c.status,
            "topic": c.topic, "first_path": f.first.source, "first_line": str(f.first.line),
            "second_path": f.second.source, "second_line": str(f.second.line), "explanation": c.explanation,
            "first_quote": f.first.quote, "second_quote": f.second.quote, "related": str(c.related),
            "reason": c.reason,
        }
    assert rows[2]["first_quote"] == EVIL  # "\r\n", a lone "\r" and "\n" survive inside the field
    # carriage returns only inside quoted fields; rows end with "\n"
    assert out.count("\r") == sum(v.count("\r") for row in rows for v in row.values())


def test_csv_lone_carriage_return():
    """With "\\n" rows, the csv module leaves a field holding only "\\r" unquoted; readers split the row there."""
    cr = claim("C4", "docs/cr.txt", 1, 1, 1, 10, "old mac\rline end")
    out = csv_report.render(make_report([Finding(NEW, cr, B)]))
    (row,) = list(csv.DictReader(io.StringIO(out, newline="")))
    assert row["first_quote"] == "old mac\rline end"
    assert row["first_line"] == "1" and row["related"] == "2"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_texts_a_spreadsheet_would_run_get_an_apostrophe(start):
    """OWASP "CSV injection": a quote from a source, or a reviewer's reason, must not become a formula."""
    quote = start + 'HYPERLINK("http://evil.example","x") is safe'
    first = claim("C5", "docs/f.md", 3, 1, 10, 60, quote)
    out = csv_report.render(make_report([Finding(NEW, first, B)]))
    (row,) = list(csv.DictReader(io.StringIO(out, newline="")))
    assert row["first_quote"] == "'" + quote
    assert row["second_quote"] == B.quote and not B.quote.startswith("'")  # other texts untouched
    assert row["first_line"] == "3"  # numbers stay numbers
