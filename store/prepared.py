"""Peewee queries compiled once and run many times: the store's hot paths use these.

Building a query with Peewee costs more than SQLite takes to run it, so a
statement that runs per event, per batch or per room is built once: slot(n)
stands where a value changes from run to run, and Prepared keeps the compiled
SQL with its parameters, putting the n-th value of each run into slot n's
place. Every other query is built by Peewee when it runs.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any

import peewee as pw


class _Slot:
    __slots__ = ("position",)

    def __init__(self, position: int) -> None:
        self.position = position


def slot(position: int) -> pw.Value:
    """A placeholder for the value at `position` of each run's values, passed as is."""
    return pw.Value(_Slot(position), converter=False, unpack=False)


class Prepared:
    """A query's SQL and parameters, compiled once by Peewee (in its database's dialect)."""

    __slots__ = ("_in_order", "_params", "_slots", "sql")

    def __init__(self, query: pw.Query) -> None:
        self.sql, params = query.sql()
        self._params: list[Any] = list(params)
        self._slots = [
            (index, value.position)
            for index, value in enumerate(self._params)
            if isinstance(value, _Slot)
        ]
        # Every parameter a slot, in order (an INSERT's rows): the values are the parameters.
        self._in_order = [position for _, position in self._slots] == list(range(len(params)))

    def params(self, values: Sequence[Any]) -> Sequence[Any]:
        """The statement's parameters for one run: `values` put in their slots' places."""
        if self._in_order:
            return values
        params = list(self._params)
        for index, position in self._slots:
            params[index] = values[position]
        return params


_COMPILED: dict[tuple[type[pw.Database], Hashable], Prepared] = {}


def prepared(database: pw.Database, key: Hashable, build: Callable[[], pw.Query]) -> Prepared:
    """The statement `build` makes, compiled on its first use in the process for this kind of
    database: its SQL depends only on the dialect, so every store of one engine shares it."""
    compiled = _COMPILED.get((type(database), key))
    if compiled is None:
        compiled = _COMPILED[type(database), key] = Prepared(build())
    return compiled
