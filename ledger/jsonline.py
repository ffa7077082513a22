"""The JSON the ledger writes: one line of it, fast, and a report's whole document.

`json.JSONEncoder.encode` builds a new C encoder for every call, which is most of the time of
encoding a small value; a sheet's JSON and an import's events encode tens of thousands of
them. One encoder with the same settings is made here once and used for them all.

A report's `--json` needs nothing of Rich, so it lives here, not in `render`: a command asked
for JSON never loads the terminal's tables (a third of a sheet's start-up).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, compress, filterfalse, repeat
from json.encoder import c_make_encoder, encode_basestring

from ledger.patterns import lazy_pattern
from ledger.rows import FlatRows


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


# JSON may carry a stored character that a terminal would obey (C1 controls such as CSI,
# DEL, bidi overrides); json.dumps escapes only C0, so these are escaped too, still valid JSON
_JSON_UNSAFE = {c: f"\\u{c:04x}" for c in (0x7F, *range(0x80, 0xA0), 0x2028, 0x2029)}
_JSON_UNSAFE.update({c: f"\\u{c:04x}" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))})
_JSON_UNSAFE_FOUND = lazy_pattern("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_text(data: object) -> str:
    """Indented down to the rows, each row on one line: as readable to a person as to a
    script, and written by the C encoder (an indented dump of 5,000 rows is Python's slow
    encoder, the half of a sheet's time)."""
    return "".join(_json_document(data))


def _json_document(data: object) -> list[str]:
    """The document's parts, to be put together once (by `json_text`, or with the line's
    end by `print_json`)."""
    parts: list[str] = []
    _json_parts(data, "", parts)
    # every character a terminal obeys is one Python calls unprintable: each part is asked
    # that in C, and the search runs only over the distinct parts that hold such a character
    # (or a line's end, as a row's separator does, or a full-width space); escaping goes
    # character by character, so a part is escaped alone
    doubtful = set(filterfalse(str.isprintable, parts))
    unsafe = {part for part in doubtful if _JSON_UNSAFE_FOUND.search(part)}
    if unsafe:
        parts = [part.translate(_JSON_UNSAFE) if part in unsafe else part for part in parts]
    return parts


def _json_parts(value: object, pad: str, parts: list[str]) -> None:
    if isinstance(value, dict) and any(map(_has_containers, _containers(value.values()))):
        inner = pad + "  "
        parts.append("{\n")
        for n, (key, item) in enumerate(value.items()):
            parts.append(f",\n{inner}" if n else inner)
            parts.append(json_line(str(key)) + ": ")
            _json_parts(item, inner, parts)
        parts.append(f"\n{pad}}}")
    elif isinstance(value, list) and value and (type(value) is FlatRows or _has_containers(value)):
        inner = pad + "  "
        if type(value) is FlatRows or _line_rows(value):
            # the common list, a sheet's rows: each row a line, all encoded in C, each its
            # own part (the text is put together once, at the end)
            rows = [f",\n{inner}"] * (2 * len(value) - 1)
            rows[::2] = map(json_line, value)
            parts += (f"[\n{inner}", *rows, f"\n{pad}]")
            return
        parts.append("[\n")
        for n, item in enumerate(value):
            parts.append(f",\n{inner}" if n else inner)
            _json_parts(item, inner, parts)
        parts.append(f"\n{pad}]")
    else:
        parts.append(json_line(value))


def _line_rows(values: list) -> bool:
    """Whether every item is a dict that goes on one line: one whose lists and dicts hold
    no list or dict (a case's `assist` names). Asked in C of a sheet's 10,000 rows at once;
    the answer is the one `_json_parts` gives each row by itself."""
    if not all(map(isinstance, values, repeat(dict))):
        return False
    inner = list(_containers(chain.from_iterable(map(dict.values, values))))
    if not all(map(isinstance, inner, repeat(list))):
        return False  # a row holding a dict: each row is laid out by itself
    return not any(_containers(chain.from_iterable(inner)))


_CONTAINER = (dict, list)


def _containers(values: Iterable) -> Iterator:
    # tested in C (map, compress): a sheet's JSON asks this of every value of 10,000 rows
    values = list(values)
    return compress(values, map(isinstance, values, repeat(_CONTAINER)))


def _has_containers(value: dict | list) -> bool:
    return any(_containers(value.values() if isinstance(value, dict) else value))


def print_json(data: object) -> None:
    """Scripts read stdout: nothing but the JSON goes there."""
    # one write: a reader that stops after the document (`| head`) closes the pipe, and a
    # second write for the line's end alone would meet it closed
    sys.stdout.write("".join([*_json_document(data), "\n"]))
    sys.stdout.flush()
