"""Report writers: one module per format, each a ``render(report) -> str``."""
