"""A reading process started at the beginning of a warm run.

After a small edit, ``check`` reads every file and the cache, then extracts the claims of the one or
two documents the cache does not have. That extraction needs spaCy, whose import and pipeline take
longer than everything else such a run does. An :class:`EarlyReader` imports spaCy and builds the
pipeline in a second process while this one reads the files and the cache, then reads the documents
it is given. It is an optimization only: the claims are those this process would extract (the same
:class:`~claimaudit.engine.Extractor`), a reader that cannot serve leaves the documents to the
caller, and an error in the pipeline (a bad ``--model``) is reported as the caller would report it.
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING

from claimaudit.cpus import usable_cpus
from claimaudit.errors import InputError
from claimaudit.packfile import holds_pack

if TYPE_CHECKING:  # imported here only for the types: the reader must start before they are loaded
    from claimaudit.claimset import DocumentClaims
    from claimaudit.normalize.terms import Vocabulary
    from claimaudit.records import SourceDocument

_STOP_WAIT = 5.0  # seconds a reader gets to end by itself before it is terminated


@contextmanager
def early_reader(model: str | None, cache_dir: Path | None) -> Iterator[EarlyReader | None]:
    """An :class:`EarlyReader` for a run that may be warm (the cache holds claims) on a machine with
    a CPU to spare, else None; stopped on leaving. Enter it early (the reader's head start is the
    time saved) and before any thread starts: the reader may be a fork of this process."""
    if cache_dir is None or not holds_pack(cache_dir, "claims") or not _spare_cpu():
        yield None
        return
    with EarlyReader(model) as reader:
        yield reader


def _spare_cpu() -> bool:
    """Whether this process may use more than one CPU (on one, a second process only competes)."""
    return usable_cpus() > 1


class EarlyReader:
    """A process that gets the pipeline for ``model`` ready, then extracts one batch of documents.

    Use it as a context manager: leaving stops the process, whether or not it was asked to read.
    """

    def __init__(self, model: str | None) -> None:
        context = multiprocessing.get_context()
        for stream in (sys.stdout, sys.stderr):  # a forked child must not write our buffers again
            stream.flush()
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, model), name="claimaudit-early-reader", daemon=True)
        self._process.start()
        child.close()
        self._served = False

    def extract(
        self, docs: Sequence[SourceDocument], vocabulary: Vocabulary, meanwhile: Callable[[], object] | None = None
    ) -> list[DocumentClaims] | None:
        """Each document's claims, in order; ``None`` when the reader cannot serve (it failed or
        ended): the caller then extracts them itself. Raises InputError for a pipeline that cannot
        be built, as the caller would. ``meanwhile`` is called while the reader reads (once the
        documents are sent). The reader serves one batch."""
        try:
            self._conn.send((list(docs), vocabulary))
        except OSError:
            return None
        if meanwhile is not None:
            meanwhile()
        try:
            kind, payload = self._conn.recv()
        except (EOFError, OSError):
            return None
        self._served = True
        if kind == "input-error":
            raise InputError(payload)
        return payload if kind == "claims" else None

    def close(self) -> None:
        """Stop the reader: at once if it has not served (it may still be importing), else once it
        has ended by itself."""
        self._conn.close()
        if self._served:
            self._process.join(_STOP_WAIT)
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()

    def __enter__(self) -> EarlyReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _serve(conn: Connection, model: str | None) -> None:
    """The reader's side: build the pipeline, wait for one batch of documents, send their claims.

    Interrupts are left to the caller, which stops this process; every failure is sent back, never
    printed."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        from claimaudit.nlp.spacy_import import import_spacy_without_cli

        import_spacy_without_cli()  # its pipeline sooner: this process never uses spaCy's command line
        from claimaudit.engine import Extractor
        from claimaudit.nlp.pipeline import build_nlp

        try:
            nlp, failure = build_nlp(model=model), None
        except InputError as exc:
            nlp, failure = None, str(exc)
        docs, vocabulary = conn.recv()
        if failure is not None:
            conn.send(("input-error", failure))
        else:
            extractor = Extractor(vocabulary=vocabulary, model=model, only=docs, nlp=nlp)
            conn.send(("claims", list(extractor.extract_many(docs))))
    except EOFError:  # the caller needed no reading
        pass
    except BaseException as exc:  # noqa: BLE001 - the caller reads the documents itself and reports
        try:
            conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        except (OSError, ValueError):
            pass
    finally:
        conn.close()
