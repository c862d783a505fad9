"""The steps of an evaluation plan (rules/plan.py): what to compute, never how.

Two executors run the same steps: rules/on_frames.py with Polars lazy frames (a region, a
province) and rules/on_rows.py with Python rows (one household in a case screen or an API call).
Tables are named: "persons" and "households" are computed on; "incomes", "assets" and
"supporters" are only summarised into them.
"""

from dataclasses import dataclass, field

import polars as pl

PERSONS, HOUSEHOLDS = "persons", "households"


@dataclass(frozen=True, eq=False)
class Defaults:
    """Optional input columns: the value a missing column means."""

    table: str
    columns: dict[str, pl.Expr]


@dataclass(frozen=True, eq=False)
class Derive:
    """New columns from expressions of the row (Polars `with_columns`): each expression reads
    the table as it was before the step."""

    table: str
    columns: tuple[pl.Expr, ...]
    name: str = "derive"


@dataclass(frozen=True, eq=False)
class Summarise:
    """Sum row expressions of `source` (the rows where `where` holds) per `key`, each into the
    column its alias names on the `target` row whose `into` column equals the key; targets
    without any such rows get 0. Sums alone: counts are sums of 1, a total of a kind is the sum
    of a `when`, and results over several sums are a Derive step after it. Nulls add nothing."""

    source: str
    target: str
    key: str
    sums: tuple[pl.Expr, ...]
    where: pl.Expr | None = None
    into: str = ""  # the target's column; the key's name when empty
    name: str = "summarise"

    @property
    def target_key(self) -> str:
        return self.into or self.key

    @property
    def values(self) -> tuple[pl.Expr, ...]:
        """What each row adds to each sum: an integer, 0 for null."""
        return tuple(e.cast(pl.Int64).fill_null(0) for e in self.sums)


@dataclass(frozen=True, eq=False)
class Bind:
    """The parameters' values for each household's region and area (rules/bindings.py)."""

    table: str = HOUSEHOLDS


@dataclass(frozen=True, eq=False)
class Context:
    """Household columns, and the person programs' parameters, copied to the members."""

    columns: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Drop:
    table: str
    columns: tuple[str, ...] = field(default_factory=tuple)


Step = Defaults | Derive | Summarise | Bind | Context | Drop
