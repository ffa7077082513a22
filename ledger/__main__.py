"""`ledger` and `python -m ledger`. Ctrl-C while the command line is still being loaded — before
its error boundary exists — ends in the same one line as anywhere else."""

from __future__ import annotations

import gc
import signal
import sys


def run() -> None:
    # the command line's modules (Typer, click, the catalogue) are tens of thousands of
    # objects that live as long as the process: Python's cycle collector would scan them
    # again and again while a report makes its rows (a tenth of a large sheet's time). They
    # are loaded with it off, then set aside for good; it runs over what follows (less often).
    gc.disable()
    # a window closed or a shutdown (TERM, HUP), Ctrl-\\ (QUIT) end a command as Ctrl-C does:
    # what it was writing is taken back and cleaned up (a pack's partial file holds every
    # number whole) — unless the signal was set aside for it (`nohup ledger import …`
    # outlives its window; a job started in the background of a script ignores INT and QUIT)
    for name in _ENDING:
        if hasattr(signal, name) and signal.getsignal(getattr(signal, name)) is not signal.SIG_IGN:
            signal.signal(getattr(signal, name), _interrupted)
    try:
        from ledger.cli import main

        gc.freeze()
        # A report makes tens of thousands of dicts and no cycles: counted every 700 new
        # objects, the collector ran 84 times over one sheet of 100k cases (6 ms of its
        # `daily --json`); every 20,000 it runs twice (2 ms). A garbage cycle (a caught
        # error's traceback) still goes, a young one within the next 20,000 objects made,
        # one that lived longer with the older generations' less frequent turns.
        gc.set_threshold(20_000)
        gc.enable()
        main()
    except KeyboardInterrupt:
        _decided()
        from ledger.i18n import LANGUAGES, detect_language, t

        lang = detect_language()
        if sys.stderr is not None:
            sys.stderr.write(t("err.interrupted", lang if lang in LANGUAGES else "en") + "\n")
        sys.exit(1)
    finally:
        _decided()


_ENDING = ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT")


def _interrupted(signum: int, frame: object) -> None:
    from ledger import SIGNALLED

    SIGNALLED.append(signum)  # (before the raise: it may land where nothing catches it)
    raise KeyboardInterrupt


def _decided() -> None:
    """The command's outcome is decided and said: a Ctrl-C from here on would only end the
    process by the signal, with no line and no exit code of ours (seen 1 in 30 times)."""
    for name in _ENDING:
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)


if __name__ == "__main__":
    run()
