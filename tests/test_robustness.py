"""Robustness: arbitrary text never crashes the engine; offsets always slice back; runs are deterministic."""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import subprocess
import sys
import time
from dataclasses import fields
from functools import cache

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimaudit import cli
from claimaudit.cache import FORMAT
from claimaudit.engine import Extractor
from claimaudit.normalize.terms import Vocabulary
from claimaudit.records import Claim, SourceDocument
from conftest import CASES, REPO, write_docs


@cache
def extractor() -> Extractor:
    return Extractor(vocabulary=Vocabulary())


def check_invariants(text: str, path: str = "doc.txt") -> list:
    doc = SourceDocument(path, text, hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(), "utf-8")
    result = extractor().extract(doc)
    for claim in result.claims + result.suppressed:
        assert claim.text == text[claim.start : claim.end]
        assert 0 <= claim.start <= claim.end <= len(text)
        assert claim.line >= 1 and claim.column >= 1
        for q in claim.quantities:
            assert q.low <= q.high and q.base_low <= q.base_high, q
            assert text[q.start : q.end].strip(), q
    return result.claims


@pytest.mark.parametrize("case", yaml.safe_load((CASES / "errors.yaml").read_text(encoding="utf-8")), ids=lambda c: c["name"])
@pytest.mark.parametrize("suffix", [".txt", ".md", ".html"])
def test_inputs_that_must_not_crash(case, suffix):
    check_invariants(case["text"], f"doc{suffix}")


WORDS = st.sampled_from(
    "Ketamine is not safe effective proven may mixed results more research needed approved for depression "
    "CRPS (CRPS) over about up to 3 several hours 95% chance 0.5 to 2 mg/kg 30–40% • - : ; , . ? ! It "
    "The FDA has not been shown to reduce increase blood pressure short-term long-lasting <b> &amp; \n \n\n".split(" ")
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(WORDS, max_size=60).map(" ".join))
def test_claim_like_text_keeps_invariants(text):
    check_invariants(text)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300), st.sampled_from([".txt", ".md", ".html"]))
def test_arbitrary_text_keeps_invariants(text, suffix):
    check_invariants(text, f"doc{suffix}")


def test_offsets_hold_for_every_encoding(tmp_path, monkeypatch, capsys):
    sentence = "Iron infusions are usually given over the course of 1 hour.\r\n\r\nIron is \u201chighly effective\u201d for anemia.\r\n"
    files = {
        "utf8bom.txt": b"\xef\xbb\xbf" + sentence.encode("utf-8"),
        "utf16.txt": sentence.encode("utf-16"),
        "cp1252.txt": sentence.encode("cp1252"),
        "binary.txt": b"\x00\x01\x02PNG\x00",
        "empty.txt": b"",
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    monkeypatch.chdir(tmp_path)
    code = cli.main(["check", ".", "--format", "json", "--no-write"])
    out, err = capsys.readouterr()
    assert code in (0, 1)
    assert "binary.txt" in err and "cp1252.txt" in err and "windows-1252" in err

    data = json.loads(out)
    assert {s["path"] for s in data["sources"]} == {"utf8bom.txt", "utf16.txt", "cp1252.txt", "empty.txt"}
    decoded = {"utf8bom.txt": sentence, "utf16.txt": sentence, "cp1252.txt": sentence}
    for claim in data["claims"]:
        text = decoded[claim["source"]]
        assert text[claim["start"] : claim["end"]] == claim["text"]
        line = text.replace("\r\n", "\n").split("\n")[claim["line"] - 1]
        assert line[claim["column"] - 1 :].startswith(claim["text"].split("\r")[0][:20])
    assert {c["source"] for c in data["claims"]} == set(decoded)


def test_two_runs_with_different_hash_seeds_are_byte_identical(tmp_path):
    write_docs(tmp_path, {"sources/a.txt": (REPO / "sources").joinpath(sorted(os.listdir(REPO / "sources"))[0]).read_text(encoding="utf-8"),
                          "sources/b.txt": (REPO / "sources").joinpath(sorted(os.listdir(REPO / "sources"))[-1]).read_text(encoding="utf-8")})
    outputs = []
    for seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-m", "claimaudit", "check", "--format", "json", "--format", "sarif", "--no-cache"],
            cwd=tmp_path, env=env, capture_output=True, check=False,
        )
        assert done.returncode in (0, 1), done.stderr
        outputs.append((done.stdout, (tmp_path / "claims/claims.csv").read_bytes(), (tmp_path / "reports/report.md").read_bytes()))
    assert outputs[0] == outputs[1]


def test_interrupted_write_leaves_previous_file(tmp_path, monkeypatch):
    from claimaudit import fileio

    target = tmp_path / "claims.csv"
    target.write_text("old\n", encoding="utf-8")

    def boom(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(fileio.os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        fileio.atomic_write_text(target, "new\n")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["claims.csv"]  # no temporary file left behind


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_written_files_keep_their_mode_and_new_ones_follow_the_umask(tmp_path, monkeypatch, capsys):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/a.md").write_text("Drug X is proven safe.\n", encoding="utf-8")
    (tmp_path / "docs/b.md").write_text("Drug X is not safe.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    old = os.umask(0o027)
    try:
        assert cli.main(["check", "docs"]) in (0, 1)
        modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "reports").iterdir()}
        assert modes and set(modes.values()) == {0o640}, modes  # not the 0o600 of a tempfile
        (tmp_path / "claims/claims.csv").chmod(0o664)  # the user's choice survives a rewrite
        (tmp_path / "docs/b.md").write_text("Drug X is not safe at all.\n", encoding="utf-8")
        assert cli.main(["check", "docs"]) in (0, 1)
    finally:
        os.umask(old)
    capsys.readouterr()
    assert stat.S_IMODE((tmp_path / "claims/claims.csv").stat().st_mode) == 0o664
    assert stat.S_IMODE((tmp_path / "claims/claims.jsonl").stat().st_mode) == 0o640


def test_internal_error_is_one_line_with_a_hint(monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(tmp_path)

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("claimaudit.audit.run_audit", broken)
    assert cli.main(["check", "."]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error" in err and "report" in err and "Traceback" not in err


def test_an_output_the_system_refuses_is_a_one_line_error_not_a_bug(monkeypatch, capsys, tmp_path):
    write_docs(tmp_path, {"sources/a.txt": "Iron infusions are usually given over the course of 1 hour.\n"})
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reports/report.md").mkdir(parents=True)  # a folder where a report goes
    assert cli.main(["check"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "report.md: Is a directory" in err and "internal error" not in err
    assert cli.main(["check", "--no-write", "-o", "sources"]) == 2  # --output naming a folder
    assert "error: sources: Is a directory" in capsys.readouterr().err
    assert (tmp_path / "sources/a.txt").is_file()  # nothing of the user's was touched


def test_a_cache_path_that_is_a_file_is_a_warning_and_no_cache(monkeypatch, capsys, tmp_path):
    write_docs(tmp_path, {"sources/a.txt": "Iron infusions are usually given over the course of 1 hour.\n"})
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".claimaudit").mkdir()
    (tmp_path / ".claimaudit/cache").write_text("not a folder\n", encoding="utf-8")
    assert cli.main(["check", "--no-write", "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["summary"]["claims"] == 1
    assert err.count("\n") == 1 and "cache is not a folder: the run uses no cache" in err
    assert (tmp_path / ".claimaudit/cache").read_text(encoding="utf-8") == "not a folder\n"  # left as it was


def _checked_twice(tmp_path, monkeypatch, capsys, docs: dict[str, str], spoil) -> tuple[str, str]:
    """JSON output of a first run, and of a second run after ``spoil(cache folder)``."""
    write_docs(tmp_path, docs)
    monkeypatch.chdir(tmp_path)
    cli.main(["check", "--format", "json", "--no-write"])
    first = capsys.readouterr().out
    spoil(tmp_path / ".claimaudit/cache")
    cli.main(["check", "--format", "json", "--no-write"])
    return first, capsys.readouterr().out


def _pack_keys(pack) -> list[str]:
    """The keys of a pack's entries whose checksums match, in file order."""
    from claimaudit.packfile import read_records

    return [r.key for r in read_records(pack.read_bytes().split(b"\n", 1)[1])[0]]


def _repack(pack, edit) -> None:
    """Rewrite a claims pack's entries through ``edit([(key, day, [json part, ...])]) -> [(key, day,
    [json part, ...])]``, each record with a matching checksum (as if written so)."""
    from claimaudit.packfile import read_records, record_bytes

    head, body = pack.read_bytes().split(b"\n", 1)
    records, whole = read_records(body)
    assert whole
    entries = [(r.key, r.day, [bytes(p).decode("utf-8") for p in r.parts]) for r in records]
    pack.write_bytes(head + b"\n" + b"".join(record_bytes(k, d, [p.encode("utf-8") for p in ps]) for k, d, ps in edit(entries)))


def _spoil_entries(entries):
    """Two entries with matching checksums: one whose references are not JSON (read at once), one
    whose claims have the wrong shape (decoded when the report needs them)."""
    assert len(entries) == 2
    (k1, d1, (_, c1)), (k2, d2, (r2, c2)) = entries
    bad = json.loads(c2)
    bad["claims"] = [row[:3] for row in bad["claims"]]
    return [(k1, d1, ["{not json", c1]), (k2, d2, [r2, json.dumps(bad)])]


def _pack_claims(pack) -> list[list]:
    """The claims of each entry of a claims pack, as stored."""
    entries = []
    _repack(pack, lambda e: entries.extend(e) or e)
    return [json.loads(parts[1])["claims"] for _, _, parts in entries]


@pytest.mark.parametrize("how", ["entries", "checksum", "truncated", "header", "foreign", "comparisons", "comparison shapes"])
def test_corrupt_or_foreign_cache_is_ignored(tmp_path, monkeypatch, capsys, how):
    def spoil(cache):
        (pack,) = cache.glob("claims-*.pack")
        raw = pack.read_bytes()
        if how == "entries":
            _repack(pack, _spoil_entries)
        elif how == "checksum":  # entries edited, their checksums not: those entries are dropped
            pack.write_bytes(raw.replace(b'"claims":[[', b'"claimz":[['))
            assert pack.read_bytes().count(b'"claimz":[[') == 2 and not _pack_keys(pack)
        elif how == "truncated":
            pack.write_bytes(raw[: len(raw) // 2])
        elif how == "header":
            pack.write_bytes(b"WRONG\n" + raw.split(b"\n", 1)[1])
        elif how == "foreign":
            pack.write_bytes(raw.replace(b'"format": %d' % FORMAT, b'"format": 99', 1))
            assert pack.read_bytes() != raw
        else:  # the comparison results: not JSON, or groups of the wrong shape
            comparisons = cache / "comparisons.json"
            stored = json.loads(comparisons.read_text(encoding="utf-8"))
            assert stored["groups"]
            wrong = {k: [[["CA999", "x", "y"]], [], 1, 0, 0] for k in stored["groups"]}
            text = "{not json" if how == "comparisons" else json.dumps({**stored, "groups": wrong})
            comparisons.write_text(text, encoding="utf-8")

    first, second = _checked_twice(tmp_path, monkeypatch, capsys, {
        "sources/a.txt": "Iron infusions are usually given over the course of 1 hour.\n",
        "sources/b.txt": "Iron infusions involve injecting iron into a vein over several hours.\n"}, spoil)
    assert second == first
    assert json.loads(first)["conflicts"]  # the documents' claims matter to the output
    if how == "entries":  # the entry whose claims did not decode was extracted again and stored whole
        (pack,) = (tmp_path / ".claimaudit/cache").glob("claims-*.pack")
        assert sorted(len(row) for claims in _pack_claims(pack) for row in claims) == [len(fields(Claim))] * 2
    assert _cached_documents(tmp_path) == 2  # the pack was rebuilt and is used again


def test_cached_claims_that_are_not_those_their_references_name_stop_the_run(tmp_path, monkeypatch, capsys):
    def renamed(entries):  # references to claims the document does not have, checksums matching
        return [(k, d, [refs.replace('[["C', '[["X'), claims]) for k, d, (refs, claims) in entries]

    def spoil(cache):
        (pack,) = cache.glob("claims-*.pack")
        _repack(pack, renamed)

    write_docs(tmp_path, {
        "sources/a.txt": "Iron infusions are usually given over the course of 1 hour.\n",
        "sources/b.txt": "Iron infusions involve injecting iron into a vein over several hours.\n"})
    monkeypatch.chdir(tmp_path)
    assert cli.main(["check", "--no-write"]) == 1
    spoil(tmp_path / ".claimaudit/cache")
    capsys.readouterr()
    assert cli.main(["check", "--no-write"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "do not match the document" in err and ".claimaudit/cache" in err


def _first_pack(tmp_path, monkeypatch):
    """The claims pack of a first run over two documents (none of them from the cache)."""
    write_docs(tmp_path, {"sources/a.txt": "Iron infusions are usually given over the course of 1 hour.\n",
                          "sources/b.txt": "Iron infusions involve injecting iron into a vein over several hours.\n"})
    monkeypatch.chdir(tmp_path)
    assert _cached_documents(tmp_path) == 0
    (pack,) = (tmp_path / ".claimaudit/cache").glob("claims-*.pack")
    return pack


def test_new_entries_are_appended_and_a_torn_line_costs_only_itself(tmp_path, monkeypatch):
    pack = _first_pack(tmp_path, monkeypatch)
    before = pack.read_bytes()
    (tmp_path / "sources/a.txt").write_text("Iron infusions are usually given over 2 hours.\n", encoding="utf-8")
    assert _cached_documents(tmp_path) == 1
    after = pack.read_bytes()
    assert after.startswith(before) and len(_pack_keys(pack)) == 3  # one entry appended
    pack.write_bytes(after[:-20])  # a write cut short: the new record is torn
    assert _cached_documents(tmp_path) == 1  # b.txt still read from the pack, a.txt extracted again
    assert _cached_documents(tmp_path) == 2  # and the pack written whole again


def test_a_pack_cut_inside_its_header_is_written_whole_again(tmp_path, monkeypatch):
    pack = _first_pack(tmp_path, monkeypatch)
    pack.write_bytes(pack.read_bytes().split(b"\n", 1)[0])  # the header alone, without its line end
    assert _cached_documents(tmp_path) == 0
    assert _cached_documents(tmp_path) == 2  # not appended to the cut header: written whole


def _cached_documents(folder) -> int:
    from claimaudit.audit import run_audit

    result = run_audit(["sources"], vocabulary=Vocabulary(), cache_dir=folder / ".claimaudit/cache", root=folder)
    return result.cached


@pytest.mark.parametrize("garbage", [
    "{not json",
    '{"format": 2, "key": "someone else", "documents": {}}',
    "WRONG SHAPES",
    "WRONG SHAPES IN TEXT",
    "WRONG LEARNED",
    "WRONG VARIANTS",
])
def test_corrupt_or_foreign_term_summaries_are_ignored(tmp_path, monkeypatch, capsys, garbage):
    def spoil(cache):
        terms = cache / "terms.pack"
        head, *lines = terms.read_text(encoding="utf-8").splitlines()
        header, shas = json.loads(head), [line.split("\t")[0] for line in lines]
        assert len(shas) == 2 and header["learned"]["detected"]["CRPS"] == "complex regional pain syndrome"
        if garbage == "WRONG SHAPES":  # a line without its summary, a summary that is not JSON
            text = "\n".join([head, shas[0], f"{shas[1]}\t[[[\"X\""])
        elif garbage == "WRONG SHAPES IN TEXT":
            text = "\n".join([head, *(f'{sha}\t[[["X"]], 5, null]' for sha in shas)])
        elif garbage == "WRONG LEARNED":  # the right key, data of the wrong type
            text = "\n".join([json.dumps({**header, "learned": {**header["learned"], "detected": {"CRPS": 5}}}), *lines])
        elif garbage == "WRONG VARIANTS":
            text = "\n".join([json.dumps({**header, "learned": {**header["learned"], "variants": [["NDMA"]]}}), *lines])
        else:
            text = garbage
        terms.write_text(text, encoding="utf-8")

    first, second = _checked_twice(tmp_path, monkeypatch, capsys, {
        "sources/a.txt": "Complex regional pain syndrome (CRPS) responds to iron infusions.\n",
        "sources/b.txt": "Iron infusions do not help CRPS.\n"}, spoil)
    assert second == first
    assert "complex regional pain syndrome" in first  # the learned abbreviation shapes the output


def test_learned_terms_are_reused_until_a_summary_changes(tmp_path, monkeypatch):
    from claimaudit import audit

    write_docs(tmp_path, {
        "sources/a.txt": "Complex regional pain syndrome (CRPS) responds to iron infusions.\n",
        "sources/b.txt": "Iron infusions do not help CRPS.\n"})
    monkeypatch.chdir(tmp_path)
    calls = []
    monkeypatch.setattr(audit, "learn_terms", lambda s, v, f=audit.learn_terms: calls.append(1) or f(s, v))

    def learned():
        result = audit.run_audit(["sources"], vocabulary=Vocabulary(), cache_dir=tmp_path / "cache", root=tmp_path)
        return result.vocabulary.term_rows(), len(calls)

    fresh, calls_made = learned()
    assert calls_made == 1 and ["CRPS", "complex regional pain syndrome", True] in fresh
    (tmp_path / "sources/b.txt").write_text("Iron infusions do not help CRPS at all.\n", encoding="utf-8")
    again, calls_made = learned()  # an edit that defines nothing: the learned vocabulary is reused
    assert calls_made == 1 and again == fresh
    (tmp_path / "sources/b.txt").write_text("Iron infusions do not help CRPS or iron deficiency anemia (IDA).\n", encoding="utf-8")
    changed, calls_made = learned()
    assert calls_made == 2 and ["IDA", "iron deficiency anemia", True] in changed


def test_a_cached_rerun_after_an_edit_equals_a_fresh_run(tmp_path, monkeypatch, capsys):
    docs = {"sources/a.txt": "Iron infusions are usually given over the course of 1 hour.\n",
            "sources/b.txt": "Iron infusions involve injecting iron into a vein over several hours.\n"
                             "IDA does not respond to oral iron.\n",
            "sources/c.txt": "Iron deficiency anemia responds to iron infusions.\n"}
    write_docs(tmp_path, docs)
    monkeypatch.chdir(tmp_path)
    cli.main(["check", "--format", "json", "--no-write"])
    capsys.readouterr()
    # the edit defines an abbreviation that b.txt uses: b's claims must change too
    (tmp_path / "sources/c.txt").write_text("Iron deficiency anemia (IDA) responds to iron infusions.\n", encoding="utf-8")
    cli.main(["check", "--format", "json", "--no-write"])
    warm = json.loads(capsys.readouterr().out)
    cli.main(["check", "--format", "json", "--no-write", "--no-cache"])
    cold = json.loads(capsys.readouterr().out)
    assert warm == cold
    assert any(c["subject"] == "iron deficiency anemia" for c in cold["claims"] if c["source"] == "sources/b.txt")
    cli.main(["check", "--format", "json", "--no-write"])  # every claim read back from the cache
    assert json.loads(capsys.readouterr().out) == cold


def test_a_rerun_compares_again_only_the_groups_an_edit_touches(tmp_path, monkeypatch):
    from claimaudit.audit import run_audit
    from claimaudit.compare.conflicts import ConflictFinder

    write_docs(tmp_path, {
        "sources/a.txt": "Iron infusions are usually given over the course of 1 hour.\n",
        "sources/b.txt": "Iron infusions involve injecting iron into a vein over several hours.\n"
                         "Oral iron is proven safe and highly effective.\n",
        "sources/c.txt": "The evidence for oral iron is mixed.\n"})
    monkeypatch.chdir(tmp_path)
    compared: list[tuple] = []
    for name in ("_compare_topic", "_compare_numeric"):
        original = getattr(ConflictFinder, name)
        monkeypatch.setattr(ConflictFinder, name, lambda self, key, group, f=original: compared.append(key) or f(self, key, group))

    def run(cache: bool = True):
        compared.clear()
        cache_dir = tmp_path / ".claimaudit/cache" if cache else None
        result = run_audit(["sources"], vocabulary=Vocabulary(), cache_dir=cache_dir, root=tmp_path)
        return result.findings, list(compared)

    first, keys = run()
    assert {c.rule for c in first.conflicts} == {"CA301", "CA401"} and len(keys) >= 3
    again, keys = run()
    assert keys == [] and again == first  # every group from the cache, the same findings
    (tmp_path / "sources/a.txt").write_text("Iron infusions are usually given over the course of 2 hours.\n", encoding="utf-8")
    edited, keys = run()
    assert keys and all("oral iron" not in repr(k) for k in keys)  # only the infusion groups again
    assert edited == run(cache=False)[0]
    run()
    (tmp_path / "sources/c.txt").unlink()  # its claims leave the oral iron groups: those are compared again
    removed, keys = run()
    assert keys and all("infusion" not in repr(k) for k in keys)
    assert removed == run(cache=False)[0] and "CA401" not in {c.rule for c in removed.conflicts}


def test_a_rerun_decodes_only_the_claims_it_compares_or_reports(tmp_path, monkeypatch, capsys):
    from claimaudit.cache import StoredClaims

    write_docs(tmp_path, {
        "sources/a.txt": "Iron infusions are usually given over the course of 1 hour.\n",
        "sources/b.txt": "Iron infusions involve injecting iron into a vein over several hours.\n",
        "sources/c.txt": "Oral iron is proven safe and highly effective.\n",
        "sources/d.txt": "Oral iron often causes constipation.\n",
        "sources/e.txt": "Zinc lozenges shorten the common cold.\n"})
    monkeypatch.chdir(tmp_path)
    decoded: list[str] = []
    original = StoredClaims._decode
    monkeypatch.setattr(StoredClaims, "_decode", lambda self: decoded.append(self.path) or original(self))

    def check(*options: str) -> dict:
        decoded.clear()
        cli.main(["check", "--format", "json", *options])
        return json.loads(capsys.readouterr().out)

    check()
    assert decoded == []  # everything was extracted
    (tmp_path / "sources/c.txt").write_text("The evidence for oral iron is mixed.\n", encoding="utf-8")
    warm = check()
    quoted = {claim["source"] for claim in warm["claims"]
              if claim["id"] in {i for c in warm["conflicts"] + warm["not_flagged"] for i in c["claim_ids"]}}
    assert quoted == {"sources/a.txt", "sources/b.txt"}  # the infusion times disagree
    # c.txt's old claims and d.txt's share the group of the quantities of iron, which the edit changes:
    # its claims (those of a.txt, b.txt and d.txt) are compared again; e.txt shares no group with c.txt
    # and is not quoted: it is never decoded
    assert sorted(decoded) == ["sources/a.txt", "sources/b.txt", "sources/d.txt"]
    claims_csv = (tmp_path / "claims/claims.csv").read_bytes()
    assert warm == check("--no-cache") and (tmp_path / "claims/claims.csv").read_bytes() == claims_csv


def test_a_recheck_imports_spacy_only_to_read_and_then_in_the_early_reader(tmp_path):
    write_docs(tmp_path, {
        "sources/a.txt": "Iron infusions are usually given over the course of 1 hour.\n",
        "sources/b.txt": "Iron infusions involve injecting iron into a vein over several hours.\n"})

    def check(spare_cpu: bool = False, *options: str) -> str:
        probe = ("import sys; from claimaudit import cli, early_reader; "
                 f"early_reader._spare_cpu = lambda: {spare_cpu}; "
                 f"code = cli.main(['check', '--format', 'json', *{list(options)!r}]); "
                 "print('spacy' in sys.modules, code, file=sys.stderr)")
        done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        return done.stderr.splitlines()[-1], json.loads(done.stdout)

    first = check()
    assert first[0] == "True 1"  # the first run reads both documents (and finds the conflict)
    assert check() == ("False 1", first[1])  # all from the cache: spaCy's import (a second) is saved
    (tmp_path / "sources/b.txt").write_text("Iron infusions take several hours.\n", encoding="utf-8")
    one_cpu = check()
    assert one_cpu[0] == "True 1"  # the edited document is read here
    (tmp_path / "sources/b.txt").write_text("Iron infusions take three hours.\n", encoding="utf-8")
    early = check(True)
    # with a CPU to spare, a second process imported spaCy and read it, while this one read the cache
    assert early[0] == "False 1" and early[1] == check(False, "--no-cache")[1] != one_cpu[1]


def test_cache_entries_no_run_uses_are_pruned_after_a_week(tmp_path, monkeypatch, capsys):
    from claimaudit.cache import ClaimCache

    write_docs(tmp_path, {"sources/a.txt": "Iron infusions are usually given over the course of 1 hour.\n",
                          "sources/b.txt": "Iron infusions involve injecting iron into a vein over several hours.\n"})
    monkeypatch.chdir(tmp_path)
    cli.main(["check", "--no-write"])
    cache = tmp_path / ".claimaudit/cache"
    (pack,) = cache.glob("claims-*.pack")
    old, recent = cache / f"claims-{'ab' * 32}.pack", cache / f"claims-{'cd' * 32}.pack"
    legacy, other = cache / "ab" / f"{'ab' * 32}.json", cache / "ab" / "notes.json"
    legacy_terms = cache / "terms.json"
    for path in (old, recent, legacy, other, legacy_terms):
        path.parent.mkdir(exist_ok=True)
        path.write_text("{}", encoding="utf-8")
    week_ago = time.time() - 8 * 24 * 3600
    for path in (old, legacy, other, legacy_terms):
        os.utime(path, (week_ago, week_ago))
    before = pack.read_bytes()
    cli.main(["check", "--no-write"])  # nothing new written: nothing pruned
    assert old.exists() and pack.read_bytes() == before
    (tmp_path / "sources/a.txt").write_text("Iron infusions are usually given over 2 hours.\n", encoding="utf-8")
    cli.main(["check", "--no-write"])
    capsys.readouterr()
    assert not old.exists() and not legacy.exists() and not legacy_terms.exists()  # unused for a week: gone
    assert recent.exists() and other.exists()  # recently used elsewhere, or not an entry: kept
    assert sorted(p.name for p in cache.glob("claims-*.pack")) == sorted([pack.name, recent.name])
    entries = _pack_keys(pack)
    assert len(entries) == 3  # a.txt's old entry was used a moment ago: kept

    # eight days later, a run that reads only b.txt keeps b's entry and drops the two others
    later = ClaimCache(cache, pack.name[len("claims-") : -len(".pack")], now=time.time() + 8 * 24 * 3600)
    b_sha = hashlib.sha256((tmp_path / "sources/b.txt").read_bytes()).hexdigest()
    assert later.get("sources/b.txt", b_sha, (tmp_path / "sources/b.txt").read_text(), rebuild=pytest.fail) is not None and later.key("sources/b.txt", b_sha) in entries
    later.save()
    assert _pack_keys(pack) == [later.key("sources/b.txt", b_sha)]

    # however recent, at most KEEP_PACKS packs of other engine keys stay: the oldest written go first
    others = [cache / f"claims-{c * 64}.pack" for c in "0123456"]
    for age, path in enumerate(others):
        path.write_text("{}", encoding="utf-8")
        os.utime(path, (time.time() - age * 60, time.time() - age * 60))
    current_rows = cache / ("rows-" + pack.name[len("claims-") :])
    other_rows = cache / f"rows-{'e' * 64}.pack"
    for path in (current_rows, other_rows):
        path.write_text("{}", encoding="utf-8")
    ClaimCache(cache, pack.name[len("claims-") : -len(".pack")]).prune()
    assert sorted(p.name for p in cache.glob("claims-*.pack")) == sorted([pack.name, others[0].name, others[1].name, others[2].name])
    # rendered rows are cheap to render again and large: only the current engine key's are kept
    assert current_rows.exists() and not other_rows.exists()


def test_source_markup_is_data_in_every_report(tmp_path, monkeypatch, capsys):
    write_docs(tmp_path, {
        "sources/a.txt": "Iron infusions <script>alert(1)</script> are usually given over the course of 1 hour.\n",
        "sources/b.txt": "Iron infusions ::error::x <img src=x onerror=alert(1)> involve injecting iron into a vein over several hours.\n",
    })
    monkeypatch.chdir(tmp_path)
    cli.main(["check", "--format", "html", "--format", "github", "--format", "markdown"])
    capsys.readouterr()
    quotes = " ".join(c["quote"] for c in json.loads((tmp_path / "reports/report.json").read_text())["claims"])
    assert "<script>alert(1)</script>" in quotes and "<img src=x" in quotes  # the markup is in the claims...
    html = (tmp_path / "reports/report.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html  # ...and inert in every report
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    github = (tmp_path / "reports/report.github.txt").read_text(encoding="utf-8")
    assert all(line.startswith("::") for line in github.splitlines()) and "::error::x" not in github
    markdown = (tmp_path / "reports/report.md").read_text(encoding="utf-8")
    assert not re.search(r"(?<!\\)<(?:script|img)", markdown)  # Markdown shows it escaped: \<img


def _variant_pairs_by_definition(variants, claims):
    out = []
    for v in variants:
        first = next((c for c in claims if f" {v.surface}" in f" {c.text}"), None)
        correct = [c for c in claims if f" {v.canonical}" in f" {c.text}"]
        if first is not None and correct:
            other = next((c for c in correct if c.source != first.source), correct[0])
            out.append((v, [first, other]))
    return out


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abc"), st.lists(st.sampled_from(["NMDA", "NDMA", "x", "NM", "DA", "\n"]), max_size=6)), max_size=12))
def test_misspelling_examples_are_the_first_claims_that_hold_each_form(rows):
    from claimaudit.audit import _variant_pairs
    from claimaudit.normalize.terms import Variant
    from claimaudit.records import Claim

    claims = [Claim(f"C{i}", f"{doc}.txt", 0, 1, 1, 1, 1, 1, " ".join(words), "q", "s", "s", "efficacy")
              for i, (doc, words) in enumerate(sorted(rows, key=lambda r: r[0]))]
    variants = [Variant("NDMA", "NMDA", "nmda"), Variant("NM\nDA", "NMDA", "nmda"), Variant("x NDMA", "NM DA", "nmda")]
    assert _variant_pairs(variants, claims) == _variant_pairs_by_definition(variants, claims)


_VARIANTS = [("NDMA", "NMDA", "nmda"), ("NM\nDA", "NMDA", "nmda"), ("x NDMA", "NM DA", "nmda"), ("TFG", "TGF", "tgf")]
_TEXTS = st.lists(st.lists(st.sampled_from(["NMDA", "NDMA", "x", "NM", "DA", "\n", "TGF", "TFG"]), max_size=5).map(" ".join), max_size=4)


def _corpus_claims(docs: dict[str, list[str]]) -> tuple[list, dict[str, str]]:
    """Claims of the documents in path order (ids from the document and the text, as real ids are
    stable across runs) and each document's 'content hash'."""
    claims = [
        Claim(f"C{hashlib.sha1(f'{path}{n}{text}'.encode()).hexdigest()[:8]}", path, 0, 1, 1, 1, 1, 1, text, "q", "s", "s", "efficacy")
        for path in sorted(docs)
        for n, text in enumerate(docs[path])
    ]
    return claims, {path: hashlib.sha256(repr(texts).encode()).hexdigest() for path, texts in docs.items()}


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(["a.txt", "b.txt", "c.txt", "d.txt"]), _TEXTS, max_size=4),
       st.dictionaries(st.sampled_from(["a.txt", "b.txt", "c.txt", "d.txt", "e.txt"]), st.none() | _TEXTS, max_size=3))
def test_misspelling_examples_kept_from_the_last_run_are_those_a_new_search_finds(before, edits):
    """The memo of the misspelling search after documents are edited, added or removed: its pairs are
    those of a search from scratch (kept ones included)."""
    import tempfile
    from pathlib import Path

    from claimaudit.audit import _variant_pairs
    from claimaudit.cache import ComparisonCache
    from claimaudit.normalize.terms import Variant

    variants = [Variant(*v) for v in _VARIANTS]
    after = {path: texts for path, texts in {**before, **edits}.items() if texts is not None}
    with tempfile.TemporaryDirectory() as folder:
        claims, hashes = _corpus_claims(before)
        with ComparisonCache(Path(folder), "engine", hashes) as memo:
            _variant_pairs(variants, claims, memo)
        claims, hashes = _corpus_claims(after)
        with ComparisonCache(Path(folder), "engine", hashes) as memo:
            assert _variant_pairs(variants, claims, memo) == _variant_pairs_by_definition(variants, claims)


def test_misspelling_examples_are_not_searched_again_when_no_document_changed(tmp_path, monkeypatch):
    import claimaudit.audit as audit
    from claimaudit.cache import ComparisonCache
    from claimaudit.normalize.terms import Variant

    variants = [Variant(*v) for v in _VARIANTS]
    docs = {"a.txt": ["NDMA x", "TGF"], "b.txt": ["x NMDA", "TFG"], "c.txt": ["TGF NM DA"]}
    claims, hashes = _corpus_claims(docs)
    with ComparisonCache(tmp_path, "engine", hashes) as memo:
        first = audit._variant_pairs(variants, claims, memo)
    assert [(v.surface, [c.text for c in pair]) for v, pair in first] == [("NDMA", ["NDMA x", "x NMDA"]), ("TFG", ["TFG", "TGF"])]
    searches: list[int] = []
    search = audit._FormSearch
    monkeypatch.setattr(audit, "_FormSearch", lambda claims: searches.append(1) or search(claims))
    with ComparisonCache(tmp_path, "engine", hashes) as memo:
        assert audit._variant_pairs(variants, claims, memo) == first
    assert searches == []  # every pair (and every absence of one) came from the memo
    docs["c.txt"] = ["TGF NM DA", "NDMA again", "x NMDA"]  # both forms, but after the pairs' claims
    claims, hashes = _corpus_claims(docs)
    with ComparisonCache(tmp_path, "engine", hashes) as memo:
        assert audit._variant_pairs(variants, claims, memo) == first == _variant_pairs_by_definition(variants, claims)
    assert searches == []
    docs["0.txt"] = ["NDMA first"]  # a new document before them: searched again
    claims, hashes = _corpus_claims(docs)
    with ComparisonCache(tmp_path, "engine", hashes) as memo:
        pairs = audit._variant_pairs(variants, claims, memo)
    assert searches == [1] and pairs == _variant_pairs_by_definition(variants, claims)
    assert [c.text for c in pairs[0][1]] == ["NDMA first", "x NMDA"]


def test_a_misspelling_example_from_its_own_document_gives_way_to_one_from_another(tmp_path):
    """The right form only in the misspelling's document: a later document that has it changes the pair."""
    from claimaudit.audit import _variant_pairs
    from claimaudit.cache import ComparisonCache
    from claimaudit.normalize.terms import Variant

    variants = [Variant("NDMA", "NMDA", "nmda")]
    docs = {"a.txt": ["NDMA x", "NMDA y"]}
    claims, hashes = _corpus_claims(docs)
    with ComparisonCache(tmp_path, "engine", hashes) as memo:
        assert [c.text for c in _variant_pairs(variants, claims, memo)[0][1]] == ["NDMA x", "NMDA y"]
    docs["b.txt"] = ["NMDA z"]
    claims, hashes = _corpus_claims(docs)
    with ComparisonCache(tmp_path, "engine", hashes) as memo:
        assert [c.text for c in _variant_pairs(variants, claims, memo)[0][1]] == ["NDMA x", "NMDA z"]
