"""`ledger` and `python -m ledger`. Ctrl-C while the command line is still being loaded — before
its error boundary exists — ends in the same one line as anywhere else."""

from __future__ import annotations

import gc
import sys


def run() -> None:
    # the command line's modules (Typer, click, the catalogue) are tens of thousands of
    # objects that live as long as the process: Python's cycle collector would scan them
    # again and again while a report makes its rows (a tenth of a large sheet's time). They
    # are loaded with it off, then set aside for good; it runs as usual over what follows.
    gc.disable()
    try:
        from ledger.cli import main

        gc.freeze()
        gc.enable()
        main()
    except KeyboardInterrupt:
        from ledger.i18n import LANGUAGES, detect_language, t

        lang = detect_language()
        if sys.stderr is not None:
            sys.stderr.write(t("err.interrupted", lang if lang in LANGUAGES else "en") + "\n")
        sys.exit(1)


if __name__ == "__main__":
    run()
