"""Importing spaCy without its command-line package, for a process that only tags text.

``import spacy`` imports ``spacy.cli`` (typer, weasel, httpx, jinja2, ...: about a third of the
import, 0.25 s here) only to offer ``spacy.info``. The early reader (``claimaudit.early_reader``)
waits for nothing else than its pipeline, and never uses spaCy's command line, so it imports spaCy
with a stand-in for that package: a module that imports the real one the first time anything is
asked of it (``spacy.cli.download``, ``spacy.info()``). ``import spacy.cli`` after it gives the real
package too. Everything else spaCy offers is the same.
"""

from __future__ import annotations

import importlib
import sys
import types

_NAMES = ("spacy.cli", "spacy.cli.info")


def import_spacy_without_cli() -> None:
    """Import spaCy with ``spacy.cli`` left until it is first used; nothing when spaCy is imported."""
    if "spacy" in sys.modules:
        return
    package = types.ModuleType("spacy.cli", "spaCy's command line, imported on first use")
    package.__path__ = []  # a package, so that ``spacy.cli.info`` can be imported from it
    module = types.ModuleType("spacy.cli.info")
    stand_ins = {"spacy.cli": package, "spacy.cli.info": module}

    def real(name: str) -> types.ModuleType:
        for stand_in_name, stand_in in stand_ins.items():
            if sys.modules.get(stand_in_name) is stand_in:
                del sys.modules[stand_in_name]
        return importlib.import_module(name)  # also binds the real package as spacy.cli

    def info(*args, **kwargs):
        return real("spacy.cli.info").info(*args, **kwargs)

    def forward(name: str):
        def __getattr__(attribute: str):  # PEP 562: what the stand-in does not have
            if attribute.startswith("__"):  # the import system's probes (__path__, ...)
                raise AttributeError(attribute)
            return getattr(real(name), attribute)

        return __getattr__

    package.__getattr__ = forward("spacy.cli")
    module.__getattr__ = forward("spacy.cli.info")
    module.info = info
    package.info = module
    sys.modules.update(stand_ins)
    try:
        import spacy

        if not hasattr(spacy, "cli"):  # a module found in sys.modules is not bound to its parent
            spacy.cli = package
    finally:
        for name in _NAMES:
            if sys.modules.get(name) is stand_ins[name]:
                del sys.modules[name]
