"""--model: an installed or saved spaCy pipeline replaces blank English; rule components are added."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import spacy
from spacy.training import Example

from claimaudit.cli import main
from claimaudit.nlp.pipeline import RULE_COMPONENTS, build_nlp
from conftest import write_docs

TRAINING = [
    ("Iron infusions are usually given over one hour .", ["NOUN", "NOUN", "AUX", "ADV", "VERB", "ADP", "NUM", "NOUN", "PUNCT"]),
    ("Zinc reduced colds in adults .", ["NOUN", "VERB", "NOUN", "ADP", "NOUN", "PUNCT"]),
    ("The drug is safe .", ["DET", "NOUN", "AUX", "ADJ", "PUNCT"]),
]


@pytest.fixture(scope="module")
def trained_pipeline(tmp_path_factory) -> Path:
    """A tiny English pipeline with a trained morphologizer (parts of speech), saved to disk."""
    nlp = spacy.blank("en")
    nlp.add_pipe("morphologizer")
    examples = [Example.from_dict(nlp.make_doc(text), {"pos": pos}) for text, pos in TRAINING]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(30):
        nlp.update(examples, sgd=optimizer)
    path = tmp_path_factory.mktemp("pipeline") / "en_tiny"
    nlp.to_disk(path)
    return path


def test_trained_pipeline_gets_rule_components_and_sentences(trained_pipeline):
    nlp = build_nlp(model=str(trained_pipeline))
    assert nlp.pipe_names[0] == "morphologizer"
    assert all(name in nlp.pipe_names for name in RULE_COMPONENTS)
    doc = nlp("Zinc reduced colds. The drug is safe.")
    assert len(list(doc.sents)) == 2  # a sentencizer was added: the pipeline had no parser
    assert doc[1].pos_ == "VERB"


def test_check_with_model_finds_the_same_conflicts(trained_pipeline, tmp_path, monkeypatch, capsys):
    write_docs(tmp_path, {
        "sources/a.txt": "Iron infusions are usually given over the course of 1 hour.\n",
        "sources/b.txt": "Iron infusions involve slowly injecting iron into a vein over several hours.\n",
    })
    monkeypatch.chdir(tmp_path)
    results = {}
    for label, extra in (("blank", []), ("model", ["--model", str(trained_pipeline)])):
        assert main(["check", "--format", "json", "--no-write", "--no-cache", *extra]) == 1
        results[label] = [(c["kind"], c["values"]) for c in json.loads(capsys.readouterr().out)["conflicts"]]
    assert results["model"] == results["blank"] != []


def test_pipeline_for_another_language_is_refused(tmp_path, capsys):
    path = tmp_path / "de"
    spacy.blank("de").to_disk(path)
    assert main(["check", "--model", str(path), str(tmp_path)]) == 2
    assert "is for language 'de'" in capsys.readouterr().err


def test_a_trained_pipeline_loads_where_spacy_was_imported_without_its_command_line(trained_pipeline):
    """The early reader imports spaCy so (``claimaudit.nlp.spacy_import``) and may be given --model."""
    code = (
        "import sys, json; from claimaudit.nlp.spacy_import import import_spacy_without_cli; import_spacy_without_cli(); "
        f"from claimaudit.nlp.pipeline import build_nlp; nlp = build_nlp(model={str(trained_pipeline)!r}); "
        "doc = nlp('Zinc reduced colds in adults .'); print(json.dumps([nlp.pipe_names[0], doc[1].pos_, 'typer' in sys.modules]))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == ["morphologizer", "VERB", False]
