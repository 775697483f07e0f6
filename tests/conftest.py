"""Shared fixtures: build a small corpus in a temporary folder and audit it."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimaudit.audit import AuditResult, run_audit
from claimaudit.normalize.terms import Vocabulary, parse_vocabulary

REPO = Path(__file__).resolve().parents[1]
CASES = Path(__file__).resolve().parent / "cases"


def write_docs(folder: Path, docs: dict[str, str]) -> None:
    for name, text in docs.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.fixture
def audit(tmp_path: Path):
    """audit({name: text}, vocabulary=None) -> AuditResult over those documents."""

    def run(docs: dict[str, str], vocabulary: str | None = None) -> AuditResult:
        folder = tmp_path / "docs"
        write_docs(folder, docs)
        vocab = parse_vocabulary(vocabulary, "vocabulary.yaml") if vocabulary else Vocabulary()
        return run_audit([str(folder)], vocabulary=vocab, root=tmp_path)

    return run


@pytest.fixture(autouse=True)
def _early_reader_on(monkeypatch):
    """Warm runs extract in an early reader (a second process), as on CI's two CPUs, whatever this
    machine has: every warm run of the tests also checks that it changes nothing but the time.
    Tests of the one-CPU path turn it off."""
    from claimaudit import early_reader

    monkeypatch.setattr(early_reader, "_spare_cpu", lambda: True)
