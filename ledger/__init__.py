"""ledger — the case ledger of a district "办不成事" (could-not-get-it-done) window."""

__version__ = "0.1.0"

# the signals that ended a command as Ctrl-C does (INT, TERM, HUP, QUIT), noted by their handler
# (`ledger.__main__`) as they land: whatever error follows one — an SQLite function's "raised
# exception", a write cut short — is its consequence, and said as an interruption
SIGNALLED: list[int] = []
