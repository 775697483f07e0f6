"""The claim files (claims.csv, claims.jsonl, report.json's claims) assembled from each document's
rendered rows, the cache of those rows, and the pack files both caches use."""

from __future__ import annotations

import json
import shutil

import pytest

from claimaudit import cli
from claimaudit.packfile import Pack, read_records, record_bytes
from conftest import REPO, write_docs

DOCS = {
    "sources/a.txt": "Iron infusions are usually given over the course of 1 hour.\n"
                     "Iron infusions are proven safe and highly effective, with \"no\" side effects.\n",
    "sources/b.md": "# Iron\n\nIron infusions involve injecting iron into a vein over several hours.\n\n"
                    "The evidence for oral iron is mixed; 30–40% of patients stop it, per a 2019 review.\n",
    "sources/c.txt": "Nothing to claim here.\n",
    "sources/d.html": "<p>Oral iron, taken daily, raises ferritin by 20 ng/mL within 8 weeks.</p>\n",
}


# --- pack files ---------------------------------------------------------------------------------


def test_records_keep_raw_parts_and_a_bad_record_costs_what_follows_at_most():
    parts = [b"line one\nline two\ttab", b"", "é, \"quoted\"\n".encode()]
    body = record_bytes("k1", 3, parts) + record_bytes("k2", 4, [b"x"])
    records, whole = read_records(body)
    assert whole and [(r.key, r.day, [bytes(p) for p in r.parts]) for r in records] == [("k1", 3, parts), ("k2", 4, [b"x"])]

    spoiled = body.replace(b"line one", b"line 0ne")  # same length, checksum no longer matches
    records, whole = read_records(spoiled)
    assert whole and [r.key for r in records] == ["k2"]  # only the edited record is skipped

    records, whole = read_records(body[:-3])  # the last record cut short
    assert not whole and [r.key for r in records] == ["k1"]
    records, whole = read_records(body.replace(b"\t3\t", b"\tthree\t", 1))  # a header that does not parse
    assert not whole and records == []
    longer = body.replace(b"line one", b"line one!")  # lengths no longer match: the rest is not trusted
    assert read_records(longer) == ([], False)


def test_a_pack_appends_new_entries_and_ignores_a_foreign_one(tmp_path):
    file = tmp_path / "rows-x.pack"
    pack = Pack(file, {"format": 1, "engine": "e"})
    pack.use("a", (b"A\n",))
    assert pack.save() and Pack(file, {"format": 1, "engine": "e"}).get("a") == (b"A\n",)
    first = file.read_bytes()
    again = Pack(file, {"format": 1, "engine": "e"})
    assert again.get("a") is not None and again.get("b") is None
    again.use("a", again.get("a"))
    again.use("b", (b"B",))
    assert again.save() and file.read_bytes().startswith(first)  # appended
    assert not Pack(file, {"format": 1, "engine": "e"}).save()  # nothing to write
    assert Pack(file, {"format": 2, "engine": "e"}).get("a") is None  # another format: ignored whole


# --- the claim files ----------------------------------------------------------------------------


def _check(tmp_path, monkeypatch, *extra):
    monkeypatch.chdir(tmp_path)
    code = cli.main(["check", "--exit-zero", "--format", "json", *extra])
    assert code == 0
    return {name: (tmp_path / name).read_bytes() for name in ("claims/claims.csv", "claims/claims.jsonl", "reports/report.json")}


def test_claim_files_are_pandas_csv_json_lines_and_the_json_report(tmp_path, monkeypatch, capsys):
    import pandas as pd

    write_docs(tmp_path, DOCS)
    files = _check(tmp_path, monkeypatch, "--no-cache")
    stdout = capsys.readouterr().out
    report = json.loads(files["reports/report.json"])
    assert stdout.encode("utf-8") == files["reports/report.json"]
    claims = report["claims"]
    assert {c["source"] for c in claims} == {"sources/a.txt", "sources/b.md", "sources/d.html"}
    # the CSV is what pandas writes for the same table, and holds each claim once, in the report's order
    frame = pd.read_csv(tmp_path / "claims/claims.csv", keep_default_na=False, dtype=str)
    assert frame.to_csv(index=False, lineterminator="\n").encode("utf-8") == files["claims/claims.csv"]
    assert list(frame["id"]) == [c["id"] for c in claims]
    assert list(frame["line"]) == [str(c["line"]) for c in claims]
    assert list(frame["text"]) == [" ".join(c["quote"].split()) for c in claims]  # quotes and commas quoted
    assert any("30–40% of patients stop it" in c["text"] for c in claims)  # non-ASCII kept
    lines = [json.loads(line) for line in files["claims/claims.jsonl"].decode("utf-8").splitlines()]
    assert [(r["id"], r["source"], r["start"], r["subject"]) for r in lines] == [
        (c["id"], c["source"], c["start"], c["subject"]) for c in claims
    ]
    assert list(lines[0]) == list(frame.columns)


def test_the_claims_command_writes_the_same_table(tmp_path, monkeypatch, capsys):
    write_docs(tmp_path, DOCS)
    files = _check(tmp_path, monkeypatch)
    capsys.readouterr()
    cli.main(["claims", "--format", "csv"])
    assert capsys.readouterr().out.encode("utf-8") == files["claims/claims.csv"]
    cli.main(["claims", "--format", "json"])
    assert capsys.readouterr().out.encode("utf-8") == files["claims/claims.jsonl"]


def test_claims_csv_defuses_formulas_and_the_json_lines_keep_the_text(tmp_path, monkeypatch, capsys):
    import pandas as pd

    formula = '=HYPERLINK("http://evil.example","x") Iron infusions are proven safe.'
    write_docs(tmp_path, {"sources/a.txt": formula + "\n", "sources/b.txt": "@SUM(1) Oral iron is not safe.\n"})
    files = _check(tmp_path, monkeypatch, "--no-cache")
    capsys.readouterr()
    frame = pd.read_csv(tmp_path / "claims/claims.csv", keep_default_na=False, dtype=str)
    assert set(frame["text"]) == {"'" + formula, "'@SUM(1) Oral iron is not safe."}
    assert set(frame["source"]) == {"sources/a.txt", "sources/b.txt"}  # other cells as they were
    lines = [json.loads(line) for line in files["claims/claims.jsonl"].decode("utf-8").splitlines()]
    assert {r["text"] for r in lines} == {formula, "@SUM(1) Oral iron is not safe."}


def test_a_rerun_copies_unchanged_documents_rows_and_writes_the_same_bytes(tmp_path, monkeypatch, capsys):
    import claimaudit.claim_files as claim_files

    write_docs(tmp_path, DOCS)
    rendered: list[str] = []
    original = claim_files.render_document
    monkeypatch.setattr(claim_files, "render_document", lambda claims: rendered.append(claims[0].source) or original(claims))
    cold = _check(tmp_path, monkeypatch)
    assert sorted(rendered) == ["sources/a.txt", "sources/b.md", "sources/d.html"]  # c.txt has no claims
    rendered.clear()
    assert _check(tmp_path, monkeypatch) == cold and rendered == []  # every document's rows from the cache
    (tmp_path / "sources/a.txt").write_text(DOCS["sources/a.txt"].replace("1 hour", "2 hours"), encoding="utf-8")
    warm = _check(tmp_path, monkeypatch)
    assert rendered == ["sources/a.txt"]
    assert warm == _check(tmp_path, monkeypatch, "--no-cache")
    assert warm != cold and b"2 hours" in warm["claims/claims.csv"]
    capsys.readouterr()


def test_spoiled_rows_are_rendered_again(tmp_path, monkeypatch, capsys):
    write_docs(tmp_path, DOCS)
    cold = _check(tmp_path, monkeypatch)
    (pack,) = (tmp_path / ".claimaudit/cache").glob("rows-*.pack")
    raw = pack.read_bytes()
    assert raw.count(b"over the course of 1 hour") == 4  # the CSV, the JSON lines, the report's text and quote
    pack.write_bytes(raw.replace(b"over the course of 1 hour", b"over the course of 9 hour"))
    assert _check(tmp_path, monkeypatch) == cold
    pack.write_bytes(raw[: len(raw) // 2])
    assert _check(tmp_path, monkeypatch) == cold
    capsys.readouterr()


def test_the_sample_corpus_files_are_those_of_an_uncached_run(tmp_path, monkeypatch, capsys):
    shutil.copytree(REPO / "sources", tmp_path / "sources")
    shutil.copytree(REPO / "claims", tmp_path / "claims", ignore=shutil.ignore_patterns("claims.*"))
    fresh = _check(tmp_path, monkeypatch, "--no-cache")
    assert _check(tmp_path, monkeypatch) == fresh  # cold, filling the cache
    assert _check(tmp_path, monkeypatch) == fresh  # warm, every row copied
    assert fresh["claims/claims.csv"] == (REPO / "claims/claims.csv").read_bytes()  # the committed table is current
    capsys.readouterr()


def test_encoded_elements_must_sit_at_their_depth():
    from claimaudit.report.jsontext import EncodedArray, dumps_indented, encode_indented

    elements = b'{\n      "a": 1\n    }'
    assert b"".join(encode_indented([EncodedArray([elements, b"", b"2"], 2)])) == json.dumps([[{"a": 1}, 2]], indent=2).encode()
    assert b"".join(encode_indented({"x": EncodedArray([b"", b""], 2)})) == b'{\n  "x": []\n}'
    with pytest.raises(ValueError):
        encode_indented({"x": EncodedArray([elements], 1)})
    with pytest.raises(TypeError):
        dumps_indented({"x": EncodedArray([elements], 2)})
