"""A report's list of cases, as plain data that says its own shape.

Each row is flat: codes, dates, text and counts, and one list of names (`assist`). Whoever
writes the list out may take that as given instead of asking it of each row (the JSON writer
lays such a list out a row a line; asking each of a sheet's 9,000 rows whether it nests took
9 ms). A copy made with `list()`, a slice or `sorted` is a plain list again: the same rows,
asked again.
"""

from __future__ import annotations


class FlatRows(list):
    """Rows that hold no dict and no list but lists of plain values."""
