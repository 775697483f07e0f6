"""The early reader: a second process that gets the pipeline ready while a warm run reads its cache,
then extracts the few documents the cache does not have. It must change nothing but the time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from claimaudit import cli, early_reader
from claimaudit.early_reader import EarlyReader
from claimaudit.engine import Extractor
from claimaudit.errors import InputError
from claimaudit.ingest.decode import read_document
from claimaudit.normalize.terms import parse_vocabulary
from conftest import write_docs

VOCABULARY = """
entities:
  - name: iron deficiency anemia
    type: condition
    abbreviations: [IDA]
"""
DOCS = {
    "sources/a.txt": "Iron infusions are usually given over the course of 1 hour.\n\n"
    "IDA does not respond to oral iron in 30-40% of patients.\n",
    "sources/b.txt": "Iron infusions involve injecting iron into a vein over several hours.\n\n"
    "Research on iron infusion for IDA has yielded mixed results.\n",
}


def _documents(folder: Path) -> list:
    return [read_document(folder / name, name)[0] for name in sorted(DOCS)]


def test_it_extracts_the_claims_this_process_would(tmp_path):
    write_docs(tmp_path, DOCS)
    docs, vocabulary = _documents(tmp_path), parse_vocabulary(VOCABULARY, "vocabulary.yaml")
    with EarlyReader(None) as reader:
        early = reader.extract(docs, vocabulary)
    here = list(Extractor(vocabulary=vocabulary, only=docs).extract_many(docs))
    assert early is not None and [d.claims for d in early] == [d.claims for d in here]
    assert any(c.subject == "iron deficiency anemia" for d in early for c in d.claims)  # its terms were used


def test_a_pipeline_that_cannot_be_built_is_the_callers_one_line_error(tmp_path):
    write_docs(tmp_path, DOCS)
    with EarlyReader("no_such_pipeline_xyz") as reader, pytest.raises(InputError, match="cannot load spaCy pipeline 'no_such"):
        reader.extract(_documents(tmp_path), parse_vocabulary(VOCABULARY, "vocabulary.yaml"))


def _quit(conn, model) -> None:
    os._exit(3)  # a reader that dies (killed, out of memory) before it serves


def test_a_reader_that_ends_leaves_the_reading_to_the_caller(tmp_path, monkeypatch, capsys):
    write_docs(tmp_path, DOCS)
    monkeypatch.chdir(tmp_path)
    served: list = []
    original = EarlyReader.extract
    monkeypatch.setattr(EarlyReader, "extract", lambda self, *a: served.append(original(self, *a)) or served[-1])

    def check(*options: str) -> dict:
        assert cli.main(["check", "--format", "json", "--no-write", *options]) == 1
        return json.loads(capsys.readouterr().out)

    check()
    assert served == []  # no cache yet: no early reader
    (tmp_path / "sources/a.txt").write_text(DOCS["sources/a.txt"].replace("1 hour", "20 minutes"), encoding="utf-8")
    monkeypatch.setattr(early_reader, "_serve", _quit)
    warm = check()
    assert served == [None] and warm == check("--no-cache")  # read here instead, same report
    assert "20 minutes" in json.dumps(warm["conflicts"])


def test_a_reader_it_does_not_need_is_stopped_at_once(tmp_path):
    with EarlyReader(None) as reader:
        pass  # a warm run with nothing to read: the reader may still be importing spaCy
    assert not reader._process.is_alive()
    (tmp_path / ".claimaudit/cache").mkdir(parents=True)
    with early_reader.early_reader(None, tmp_path / ".claimaudit/cache") as none:
        assert none is None  # an empty cache: the run will be cold, read in this process


def test_a_run_with_nothing_to_read_stops_the_reader_before_comparing(tmp_path, monkeypatch, capsys):
    from claimaudit import audit

    write_docs(tmp_path, DOCS)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["check", "--no-write"]) == 1
    readers: list = []
    alive: list = []
    start = EarlyReader.__init__
    monkeypatch.setattr(EarlyReader, "__init__", lambda self, model: readers.append(self) or start(self, model))
    compare = audit._compare
    monkeypatch.setattr(audit, "_compare", lambda *a, **k: alive.append(readers[0]._process.is_alive()) or compare(*a, **k))
    assert cli.main(["check", "--no-write"]) == 1  # every document from the cache
    assert len(readers) == 1 and alive == [False]  # it no longer competes for the CPU


def test_the_callers_work_that_needs_no_claims_is_done_while_the_reader_reads(tmp_path, monkeypatch):
    from claimaudit import audit
    from claimaudit.normalize.terms import load_vocabulary

    write_docs(tmp_path, DOCS)
    cache = tmp_path / ".claimaudit/cache"
    calls: list = []

    def audit_once(early=None):
        calls.clear()
        meanwhile = lambda key: calls.append((key, early._served if early else None))  # noqa: E731
        return audit.run_audit(
            [str(tmp_path / "sources")], vocabulary=load_vocabulary(None), root=tmp_path, cache_dir=cache, early=early, meanwhile=meanwhile
        )

    cold = audit_once()
    assert calls == [(cold.engine_key, None)]  # no reader: done before comparing, once
    (tmp_path / "sources/a.txt").write_text(DOCS["sources/a.txt"].replace("1 hour", "20 minutes"), encoding="utf-8")
    with EarlyReader(None) as reader:
        warm = audit_once(reader)
        assert reader._served
    assert calls == [(warm.engine_key, False)]  # once, after the documents were sent, before the claims came back
    assert warm.cached == 1 and warm.claim_count == cold.claim_count
    audit.run_audit([str(tmp_path / "sources")], vocabulary=load_vocabulary(None), root=tmp_path, meanwhile=calls.append)
    assert len(calls) == 1  # no cache: no engine key to work with, not called


def test_a_check_starts_the_reader_before_importing_the_rest_of_claimaudit(tmp_path):
    write_docs(tmp_path, DOCS)
    (tmp_path / ".claimaudit/cache").mkdir(parents=True)
    (tmp_path / ".claimaudit/cache" / f"claims-{'ab' * 32}.pack").write_text("", encoding="utf-8")  # may be warm
    probe = (
        "import sys; from claimaudit import cli, early_reader; early_reader._spare_cpu = lambda: True; "
        "start = early_reader.EarlyReader.__init__; loaded = []; "
        "early_reader.EarlyReader.__init__ = lambda self, model: loaded.extend(sys.modules) or start(self, model); "
        "cli.main(['check', '--no-write']); print(sorted(m for m in loaded if m.startswith('claimaudit')))"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stdout.strip(), done.stderr
    loaded = done.stdout.strip().splitlines()[-1]
    # its head start is the time saved: the audit, the comparison and the reports are imported after
    assert "'claimaudit.early_reader'" in loaded and "claimaudit.audit" not in loaded and "claimaudit.compare.conflicts" not in loaded


def test_the_reader_imports_spacy_without_its_command_line(tmp_path):
    """Its pipeline is what a warm run waits for; spaCy's command line would add a third to its import."""
    write_docs(tmp_path, DOCS)
    fill = subprocess.run([sys.executable, "-m", "claimaudit", "check", "--exit-zero"], cwd=tmp_path, capture_output=True, check=False)
    assert fill.returncode == 0 and (tmp_path / ".claimaudit/cache").is_dir(), fill.stderr
    with open(tmp_path / "sources/a.txt", "a", encoding="utf-8") as f:
        f.write("\nIron infusions are usually given over the course of 2 hours.\n")
    probe = (
        "import sys, json; from claimaudit import cli, early_reader; early_reader._spare_cpu = lambda: True; "
        "serve = early_reader._serve\n"
        "def traced(conn, model):\n"
        "    serve(conn, model)\n"
        "    with open('reader.json', 'w') as f: json.dump(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'typer')), f)\n"
        "early_reader._serve = traced\n"
        "print(cli.main(['check', '--exit-zero']))"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stdout.strip().endswith("0"), done.stderr
    loaded = json.loads((tmp_path / "reader.json").read_text(encoding="utf-8"))  # it served: it read a.txt
    assert "spacy.tokenizer" in loaded and "spacy.cli" not in loaded and "typer" not in loaded
