"""The command line as users and CI drive it: exit codes, files written, decisions, formats."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from claimaudit.cli import main
from conftest import write_docs

# Two documents that disagree on infusion length (numeric) and on certainty.
DOCS = {
    "sources/a.txt": "Iron infusions are usually given over the course of 1 hour.\n\n"
    "Iron infusion is a safe and highly effective treatment for anemia.\n",
    "sources/b.txt": "Iron infusions involve slowly injecting iron into a vein over several hours.\n\n"
    "Research on the effectiveness of iron infusion for anemia has yielded mixed results.\n",
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    write_docs(tmp_path, DOCS)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def conflicts_json(capsys, *argv: str) -> dict:
    code, out, _ = run(capsys, "check", "--format", "json", "--no-write", *argv)
    return json.loads(out)


def test_check_finds_conflicts_writes_files_and_exits_1(project, capsys):
    code, out, err = run(capsys, "check")
    assert code == 1
    assert "infusion length" in out and "several hours" in out and "1 hour" in out
    assert "sources/a.txt:1" in out and "sources/b.txt:1" in out
    for name in ("claims/claims.csv", "claims/claims.jsonl", "reports/report.json", "reports/report.md", "reports/report.txt"):
        assert (project / name).is_file(), name
    assert err == ""


def test_clean_documents_exit_0(tmp_path, monkeypatch, capsys):
    write_docs(tmp_path, {"sources/a.txt": "Iron infusions are usually given over the course of 1 hour.\n"})
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "check")
    assert code == 0 and "No conflicts found." in out


def test_json_contract(project, capsys):
    data = conflicts_json(capsys)
    assert data["tool"] == {"name": "claimaudit", "version": data["tool"]["version"]}
    assert [s["path"] for s in data["sources"]] == ["sources/a.txt", "sources/b.txt"]
    text = {p: (project / p).read_text(encoding="utf-8") for p in ("sources/a.txt", "sources/b.txt")}
    for claim in data["claims"]:
        assert text[claim["source"]][claim["start"] : claim["end"]] == claim["text"]
    kinds = {c["kind"] for c in data["conflicts"]}
    assert {"numeric", "certainty"} <= kinds
    ids = {c["id"] for c in data["claims"]}
    for conflict in data["conflicts"]:
        assert set(conflict["claim_ids"]) <= ids and conflict["status"] == "new"


def test_short_options_for_format_and_output(project, capsys):
    code, out, _ = run(capsys, "check", "-f", "json", "-f", "sarif", "-o", "out/first.json", "--no-write")
    assert code == 1 and out == ""  # the first format went to the file, not to stdout
    data = json.loads((project / "out/first.json").read_text(encoding="utf-8"))
    assert data["tool"]["name"] == "claimaudit" and data["conflicts"]


def test_output_is_byte_identical_across_runs(project, capsys):
    run(capsys, "check", "--format", "sarif", "--format", "html")
    first = {p: p.read_bytes() for p in sorted((project / "reports").iterdir())}
    first_claims = (project / "claims/claims.csv").read_bytes()
    run(capsys, "check", "--format", "sarif", "--format", "html", "--no-cache")
    assert {p: p.read_bytes() for p in sorted((project / "reports").iterdir())} == first
    assert (project / "claims/claims.csv").read_bytes() == first_claims


def test_unchanged_outputs_are_not_rewritten(project, capsys):
    outputs = ["claims/claims.csv", "claims/claims.jsonl", "reports/report.json", "reports/report.md", "reports/report.txt"]
    run(capsys, "check")
    long_ago = 1_000_000_000
    for name in outputs:
        os.utime(project / name, (long_ago, long_ago))
    first = {name: (project / name).read_bytes() for name in outputs}
    report = project / "reports/report.md"
    report.write_bytes(first["reports/report.md"].replace(b"#", b"%", 1))  # same size, other bytes
    os.utime(report, (long_ago, long_ago))
    run(capsys, "check")
    rewritten = {name for name in outputs if (project / name).stat().st_mtime != long_ago}
    assert rewritten == {"reports/report.md"} and report.read_bytes() == first["reports/report.md"]
    (project / "sources/b.txt").write_text(DOCS["sources/b.txt"].replace("several hours", "two hours"), encoding="utf-8")
    run(capsys, "check")
    assert (project / "claims/claims.csv").stat().st_mtime != long_ago  # the claims changed: written
    assert b"two hours" in (project / "claims/claims.csv").read_bytes()


def test_the_cached_claim_rows_are_loaded_only_when_an_output_needs_them(project, capsys, monkeypatch):
    from claimaudit.cache import RenderedCache

    run(capsys, "check")  # fills the cache
    loads: list = []
    load = RenderedCache.load
    monkeypatch.setattr(RenderedCache, "load", lambda self: loads.append(self.engine_key) or load(self))
    for argv, expected in ((["--no-write"], 0), (["--no-write", "-f", "json"], 1), (["--check-claims"], 1), ([], 1)):
        loads.clear()
        assert run(capsys, "check", *argv)[0] == 1
        assert len(loads) == expected, argv


def test_decide_then_check_passes_and_status_shows(project, capsys):
    data = conflicts_json(capsys)
    for conflict in data["conflicts"]:
        code, _, _ = run(capsys, "decide", conflict["id"], "--status", "accepted", "--reason", "house style", "--reviewer", "qa")
        assert code == 0
    decisions = yaml.safe_load((project / "claims/decisions.yaml").read_text())["decisions"]
    assert set(decisions) == {c["id"] for c in data["conflicts"]}
    assert all(d["status"] == "accepted" and d["reviewer"] == "qa" for d in decisions.values())
    code, _, _ = run(capsys, "check", "--no-write")
    assert code == 0  # nothing new
    code, _, _ = run(capsys, "check", "--no-write", "--fail-on", "any")
    assert code == 1
    after = conflicts_json(capsys)
    assert {c["status"] for c in after["conflicts"]} == {"accepted"}


def test_confirmed_fails_only_with_fail_on_unresolved(project, capsys):
    data = conflicts_json(capsys)
    for conflict in data["conflicts"]:
        run(capsys, "decide", conflict["id"], "--status", "confirmed", "--reason", "to fix")
    assert run(capsys, "check", "--no-write")[0] == 0
    assert run(capsys, "check", "--no-write", "--fail-on", "unresolved")[0] == 1


def test_fail_level_and_exit_zero(project, capsys):
    severities = {c["severity"] for c in conflicts_json(capsys)["conflicts"]}
    assert "error" not in severities
    assert run(capsys, "check", "--no-write", "--fail-level", "error")[0] == 0
    assert run(capsys, "check", "--no-write", "--exit-zero")[0] == 0


def test_decision_survives_unrelated_edit_but_not_rewording(project, capsys):
    numeric = [c for c in conflicts_json(capsys)["conflicts"] if c["kind"] == "numeric"][0]
    run(capsys, "decide", numeric["id"], "--status", "false_positive", "--reason", "different products")
    path = project / "sources/a.txt"
    path.write_text("A new first paragraph about something else.\n\n" + path.read_text(), encoding="utf-8")
    moved = [c for c in conflicts_json(capsys)["conflicts"] if c["kind"] == "numeric"][0]
    assert moved["id"] == numeric["id"] and moved["status"] == "false_positive"
    assert moved["locations"][0]["line"] != numeric["locations"][0]["line"]
    path.write_text(path.read_text().replace("usually given", "typically given"), encoding="utf-8")
    reworded = [c for c in conflicts_json(capsys)["conflicts"] if c["kind"] == "numeric"][0]
    assert reworded["id"] != numeric["id"] and reworded["status"] == "new"
    assert conflicts_json(capsys)["stale_decisions"] == [numeric["id"]]


def test_prune_removes_only_stale_and_keeps_unknown_keys(project, capsys):
    current = conflicts_json(capsys)["conflicts"][0]["id"]
    (project / "claims").mkdir(exist_ok=True)
    (project / "claims/decisions.yaml").write_text(
        "decisions:\n"
        f"  {current}:\n    status: accepted\n    reason: ok\n    ticket: DOC-12\n"
        "  Fdeadbeef0000:\n    status: confirmed\n    reason: gone\n"
        "owner: editorial\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "decisions", "--prune")
    assert code == 0 and "removed 1 stale decision" in out
    data = yaml.safe_load((project / "claims/decisions.yaml").read_text())
    assert list(data["decisions"]) == [current]
    assert data["decisions"][current]["ticket"] == "DOC-12" and data["owner"] == "editorial"


def test_malformed_decisions_exit_2_and_file_untouched(project, capsys):
    (project / "claims").mkdir(exist_ok=True)
    bad = "decisions:\n  Fabc:\n    status: maybe\n    reason: x\n"
    (project / "claims/decisions.yaml").write_text(bad, encoding="utf-8")
    code, out, err = run(capsys, "check")
    assert code == 2
    assert err.count("\n") == 1 and "decisions.yaml:2" in err and "status must be one of" in err
    assert (project / "claims/decisions.yaml").read_text(encoding="utf-8") == bad


def test_review_records_keys_and_stops_cleanly(project, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("f\nnot comparable\ns\nq\n"))
    code, out, _ = run(capsys, "review", "--reviewer", "rev")
    assert code == 0 and "1 decision(s) saved" in out
    decisions = yaml.safe_load((project / "claims/decisions.yaml").read_text())["decisions"]
    assert [d["status"] for d in decisions.values()] == ["false_positive"]
    assert [d["reason"] for d in decisions.values()] == ["not comparable"]
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # end of input: stops, keeps what was decided
    code, out, _ = run(capsys, "review")
    assert code == 0 and len(yaml.safe_load((project / "claims/decisions.yaml").read_text())["decisions"]) == 1


def test_check_claims_is_a_lock_file(project, capsys):
    run(capsys, "check")
    assert run(capsys, "check", "--check-claims", "--exit-zero")[0] == 0
    path = project / "sources/b.txt"
    path.write_text(path.read_text() + "\nIron infusion is well tolerated.\n", encoding="utf-8")
    before = (project / "claims/claims.csv").read_bytes()
    code, _, err = run(capsys, "check", "--check-claims", "--exit-zero")
    assert code == 1 and "out of date" in err
    assert (project / "claims/claims.csv").read_bytes() == before  # never rewritten by the check


def test_changed_since_reports_only_touched_files(project, capsys):
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
    write_docs(project, {"other/c.txt": "Zinc lozenges are usually taken over the course of 1 week.\n",
                         "other/d.txt": "Zinc lozenges are usually taken over several months.\n"})
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "init"], check=True)
    subprocess.run([*git, "checkout", "-qb", "edit"], check=True)
    path = project / "other/c.txt"
    path.write_text(path.read_text().replace("1 week", "2 weeks"), encoding="utf-8")
    data = json.loads(run(capsys, "check", "sources", "other", "--format", "json", "--no-write", "--changed-since", "main")[1])
    touched = {loc["path"] for c in data["conflicts"] for loc in c["locations"]}
    assert data["conflicts"] and all("other/c.txt" in {l["path"] for l in c["locations"]} for c in data["conflicts"])
    assert "sources/a.txt" not in touched


def test_config_file_and_errors(project, capsys):
    (project / "claimaudit.toml").write_text('fail_level = "error"\n', encoding="utf-8")
    assert run(capsys, "check", "--no-write")[0] == 0
    (project / "claimaudit.toml").write_text('fail_levle = "error"\n', encoding="utf-8")
    code, _, err = run(capsys, "check", "--no-write")
    assert code == 2 and "claimaudit.toml" in err and "fail_levle" in err and err.count("\n") == 1


@pytest.mark.parametrize(
    "argv, message",
    [
        (["check", "missing-folder"], "path not found"),
        (["check", "--format", "pdf"], "invalid choice"),
        (["decide", "F0", "--status", "maybe", "--reason", "x"], "invalid choice"),
        (["frobnicate"], "invalid choice"),
        ([], "a command is required"),
        (["check", "--model", "no_such_pipeline_xyz"], "cannot load spaCy pipeline"),
        (["check", "--jobs", "many"], "expected a whole number or 'auto', not 'many'"),
        (["check", "--jobs", "0"], "must be at least 1"),
    ],
)
def test_usage_errors_are_one_line_exit_2(project, capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2 and message in err and err.count("\n") == 1 and "Traceback" not in err


def test_module_entry_point_runs(project):
    done = subprocess.run([sys.executable, "-m", "claimaudit", "--version"], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stdout.startswith("claimaudit ")


# Standard output as a user's shell gives it: block-buffered when piped.
BUFFERED = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}


def test_console_exit_keeps_buffered_output_and_exit_status(project, capsys):
    # The console script ends the process without the interpreter's teardown: what ``claims`` wrote
    # to a piped (block-buffered) standard output must still arrive whole, and ``check`` must still
    # exit 1 on the conflicts of DOCS.
    expected = run(capsys, "claims", "--format", "csv", "--no-cache")[1]
    done = subprocess.run([sys.executable, "-m", "claimaudit", "claims", "--format", "csv", "--no-cache"],
                          capture_output=True, text=True, check=False, env=BUFFERED)
    assert (done.returncode, done.stderr, done.stdout) == (0, "", expected) and expected.count("\n") > 2
    done = subprocess.run([sys.executable, "-m", "claimaudit", "check", "--no-cache"],
                          capture_output=True, text=True, check=False, env=BUFFERED)
    assert done.returncode == 1 and "numeric" in done.stdout


def test_console_reader_going_away_is_not_an_error(tmp_path):
    # ``claimaudit claims | head -1``: the reader closes the pipe long before the table is written.
    write_docs(tmp_path, {f"sources/d{i}.txt": DOCS["sources/a.txt"] * 40 for i in range(20)})
    proc = subprocess.Popen([sys.executable, "-m", "claimaudit", "claims", "--format", "csv", "--no-cache"],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=BUFFERED)
    proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait() == 0 and err == ""


def test_review_context_shows_the_claim_inside_a_long_line():
    from claimaudit.decisions.review import context_lines
    from claimaudit.records import Claim

    line = "Filler sentence number one. " * 20 + "Iron is highly effective for anemia." + " More filler follows here." * 20
    start = line.index("Iron")
    claim = Claim(id="C1", source="a.txt", start=start, end=start + 36, line=2, column=start + 1, end_line=2,
                  end_column=start + 37, text=line[start : start + 36], quote=line[start : start + 36],
                  subject="iron", subject_surface="Iron", aspect="efficacy")
    shown = context_lines("Title\n" + line + "\nNext line.\n", claim)
    assert [s.split("|")[0].strip() for s in shown] == ["1", ">    2", "3"]
    assert "Iron is highly effective for anemia." in shown[1] and shown[1].count("…") == 2
    assert len(shown[1]) < 200


def test_claims_command_filters_the_table(project, capsys):
    code, out, _ = run(capsys, "claims", "--format", "csv")
    assert code == 0
    import csv as csvmod

    rows = list(csvmod.DictReader(io.StringIO(out)))
    assert {r["source"] for r in rows} == {"sources/a.txt", "sources/b.txt"}
    assert rows == sorted(rows, key=lambda r: (r["source"], int(r["start"]), r["aspect"], r["id"]))
    code, out, _ = run(capsys, "claims", "--format", "csv", "--aspect", "duration", "--source", "b.txt")
    filtered = list(csvmod.DictReader(io.StringIO(out)))
    assert filtered and all(r["aspect"] == "duration" and r["source"] == "sources/b.txt" for r in filtered)
    assert "infusion_duration" in filtered[0]["quantities"]
    code, out, _ = run(capsys, "claims", "--subject", "no-such-subject")
    assert code == 0 and out.strip() == "no claims match"


def test_jobs_give_the_same_report_as_one_process(tmp_path, monkeypatch, capsys):
    docs = dict(DOCS)
    for n in range(6):  # enough documents for the pool to split them into chunks
        docs[f"sources/extra{n}.txt"] = f"Zinc lozenges number {n} are usually taken over the course of {n + 1} weeks.\n"
    write_docs(tmp_path, docs)
    monkeypatch.chdir(tmp_path)
    outputs = []
    for jobs in ("1", "2"):
        main(["check", "sources", "--format", "json", "--no-write", "--no-cache", "--jobs", jobs])
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]
    assert json.loads(outputs[0])["summary"]["documents"] == 8


def test_jobs_auto_is_one_process_per_usable_cpu(project, capsys, monkeypatch):
    from claimaudit import audit

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 2, 5}, raising=False)  # e.g. taskset -c 0,2,5
    monkeypatch.setattr(os, "cpu_count", lambda: 3)  # where there is no affinity mask
    asked: list[int] = []
    run_audit = audit.run_audit
    monkeypatch.setattr(audit, "run_audit", lambda *a, **k: asked.append(k["jobs"]) or run_audit(*a, **k))
    assert run(capsys, "check", "--no-write", "--jobs", "auto")[0] == 1
    (project / "claimaudit.toml").write_text('jobs = "auto"\n', encoding="utf-8")
    assert run(capsys, "check", "--no-write")[0] == 1
    (project / "claimaudit.toml").write_text('jobs = "all"\n', encoding="utf-8")
    code, _, err = run(capsys, "check", "--no-write")
    assert asked == [3, 3] and code == 2 and 'jobs: expected a whole number >= 1 or "auto"' in err


def test_progress_bar_only_on_a_terminal(monkeypatch, capsys):
    from claimaudit.progress import progress_bar

    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    with progress_bar("reading") as advance:
        advance(3)
    assert capsys.readouterr().err == ""


def test_an_ignore_directive_hides_its_conflicts_and_a_useless_one_is_reported(project, capsys):
    def check(*options: str) -> tuple[set[str], list[str]]:
        report = conflicts_json(capsys, *options)
        return {c["rule"] for c in report["conflicts"]}, report["warnings"]

    cold_rules, _ = check("--no-cache")
    assert cold_rules == {"CA301", "CA401"}  # certainty about iron infusion, and infusion length
    text = DOCS["sources/b.txt"].replace("\n\nResearch", "\n\nclaimaudit: ignore\nResearch")
    (project / "sources/b.txt").write_text(text, encoding="utf-8")
    for options in ((), (), ("--no-cache",)):  # filling the cache, from it, and without one
        rules, warnings = check(*options)
        assert rules == {"CA401"} and warnings == []  # the certainty conflict is hidden
    # the claim the directive answered is gone: the directive hides nothing now, and says so
    (project / "sources/a.txt").write_text(DOCS["sources/a.txt"].split("\n\n")[0] + "\n", encoding="utf-8")
    for options in ((), (), ("--no-cache",)):
        rules, warnings = check(*options)
        assert rules == {"CA401"}
        assert warnings == ["sources/b.txt:3: 'claimaudit: ignore' no longer suppresses any conflict; remove it"]
