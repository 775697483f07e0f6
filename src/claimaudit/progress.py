"""A progress bar on stderr, shown only when stderr is a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def progress_bar(label: str, *, total: int | None = None) -> Iterator[Callable[[int], None]]:
    """Yields ``advance(n)``; a no-op unless stderr is a terminal (CI logs stay clean)."""
    if not sys.stderr.isatty():
        yield lambda n: None
        return
    from tqdm import tqdm

    with tqdm(total=total, desc=label, unit="doc", file=sys.stderr, leave=False, dynamic_ncols=True) as bar:
        yield bar.update
