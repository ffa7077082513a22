"""ledger — the case ledger of a district "办不成事" (could-not-get-it-done) window."""

__version__ = "0.1.0"
