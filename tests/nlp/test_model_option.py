"""--model: an installed or saved spaCy pipeline replaces blank English; rule components are added."""

from __future__ import annotations

import json
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
