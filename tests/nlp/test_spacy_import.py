"""import_spacy_without_cli: spaCy without its command-line package until that is used.

Each case runs in a fresh interpreter: this one has imported spaCy already."""

from __future__ import annotations

import json
import subprocess
import sys

LEAN = "import sys, json; from claimaudit.nlp.spacy_import import import_spacy_without_cli; import_spacy_without_cli(); import spacy; "


def _run(code: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_spacy_is_imported_without_its_command_line_and_tags_as_usual():
    out = _run(
        LEAN
        + "from claimaudit.nlp.pipeline import build_nlp; doc = build_nlp()('Iron is not approved for IDA. It may help.'); "
        "print(json.dumps({'loaded': sorted(m for m in ('typer', 'spacy.cli', 'weasel') if m in sys.modules), "
        "'sentences': [s.text for s in doc.sents], 'cues': sorted(s.label_ for s in doc.spans['claimaudit_cues'])}))"
    )
    assert out["loaded"] == []
    assert out["sentences"] == ["Iron is not approved for IDA.", "It may help."]
    assert "NEGATION" in out["cues"]  # the rule components work as with a full import


def test_the_command_line_is_imported_when_first_used():
    out = _run(
        LEAN
        + "before = 'spacy.cli' in sys.modules; download = spacy.cli.download; "
        "print(json.dumps({'before': before, 'after': 'spacy.cli' in sys.modules, 'module': download.__module__, "
        "'info': sorted(spacy.info(silent=True))}))"
    )
    assert out == {"before": False, "after": True, "module": "spacy.cli.download", "info": out["info"]}
    assert "pipelines" in out["info"]  # spacy.info is the real one


def test_an_import_of_the_command_line_gives_the_real_package():
    out = _run(LEAN + "import spacy.cli; print(json.dumps([spacy.cli.setup_cli.__module__, sys.modules['spacy.cli'] is spacy.cli]))")
    assert out == ["spacy.cli._util", True]


def test_nothing_changes_when_spacy_is_imported_already():
    out = _run(
        "import sys, json, spacy; from claimaudit.nlp.spacy_import import import_spacy_without_cli; "
        "real = spacy.cli; import_spacy_without_cli(); print(json.dumps([spacy.cli is real, 'typer' in sys.modules]))"
    )
    assert out == [True, True]
