"""`ledger` and `python -m ledger`. Ctrl-C while the command line is still being loaded — before
its error boundary exists — ends in the same one line as anywhere else."""

from __future__ import annotations

import sys


def run() -> None:
    try:
        from ledger.cli import main

        main()
    except KeyboardInterrupt:
        from ledger.i18n import LANGUAGES, detect_language, t

        lang = detect_language()
        if sys.stderr is not None:
            sys.stderr.write(t("err.interrupted", lang if lang in LANGUAGES else "en") + "\n")
        sys.exit(1)


if __name__ == "__main__":
    run()
