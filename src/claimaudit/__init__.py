"""claimaudit: find contradictory factual claims across a folder of documents."""

__version__ = "0.1.0"
