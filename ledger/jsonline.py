"""One line of JSON, as `json.dumps(value, ensure_ascii=False)` writes it, made fast.

`json.JSONEncoder.encode` builds a new C encoder for every call, which is most of the time of
encoding a small value; a sheet's JSON and an import's events encode tens of thousands of
them. One encoder with the same settings is made here once and used for them all.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from json.encoder import c_make_encoder, encode_basestring


def _readable(value: object) -> str:
    """Bytes another program wrote where the ledger keeps text, as text (U+FFFD for what
    cannot be read): JSON has no bytes, and a script is better served by the text."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _encoder() -> Callable[[object], str]:
    settings = json.JSONEncoder(ensure_ascii=False, default=_readable)
    if c_make_encoder is None:  # a Python built without the C accelerator
        return settings.encode
    encode = c_make_encoder(
        {},  # the circular-reference guard of JSONEncoder (emptied after each value)
        settings.default,
        encode_basestring,
        None,  # no indent: one line
        settings.key_separator,
        settings.item_separator,
        False,  # sort_keys
        False,  # skipkeys
        True,  # allow_nan
    )

    def one_line(value: object) -> str:
        if isinstance(value, str):  # as JSONEncoder.encode: the C encoder wants a container
            return settings.encode(value)
        return "".join(encode(value, 0))

    return one_line


json_line = _encoder()
