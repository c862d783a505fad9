"""The programs, each a module: Chinese label, legal references, named criteria and amount,
written as Polars expressions over the household or person frame.

The engine (rules/plan.py) runs them in stages: household programs that need only the
household (stage 1), person programs that may read their household's results (stage 2), and
household programs that read their members' results (stage 3). Within a stage, order matters:
a later program may read an earlier one's columns (两项补贴 reads 特困 and 孤儿). `apply` only
adds columns (`frame.with_columns`): the engine records the expressions and runs them on Polars
frames or, for one household, compiled to Python.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

import polars as pl

HOUSEHOLD, PERSON = "household", "person"


@dataclass(frozen=True)
class Program:
    code: str
    label: str
    level: str  # HOUSEHOLD or PERSON
    stage: int
    references: tuple[str, ...]
    parameters: tuple[str, ...]
    criteria: dict[str, str]  # result column → what it means, in Chinese
    eligible: str
    amount: str | None  # monthly amount in fen, or None for a status without money
    apply: Callable[[pl.LazyFrame, date], pl.LazyFrame]
    versions: tuple[tuple[date, str], ...] = field(default=((date(1900, 1, 1), "1"),))
    requires: tuple[str, ...] = ()  # programs whose results this one reads
    # A person program reading a total over its household's members: each expression of the
    # person row is summed per household and given to every member under its alias.
    household_sums: Callable[[date], tuple[pl.Expr, ...]] | None = None

    def in_force(self, as_of: date) -> bool:
        return min(start for start, _ in self.versions) <= as_of

    def absent(self, frame: pl.LazyFrame) -> pl.LazyFrame:
        """Before the program existed: nobody eligible, no amount — what later programs read."""
        columns = [pl.lit(False).alias(self.eligible)]
        if self.amount:
            columns.append(pl.lit(0, pl.Int64).alias(self.amount))
        return frame.with_columns(columns)

    def version(self, as_of: date) -> str:
        """The formula version in force on `as_of` (the law changed on these dates)."""
        in_force = [v for v in self.versions if v[0] <= as_of]
        if not in_force:
            raise ValueError(f"{self.label}在 {as_of} 尚未施行")
        return max(in_force, key=lambda v: v[0])[1]


def registered(codes: Iterable[str] | None = None) -> tuple[Program, ...]:
    """Every program in evaluation order; or the ones named with those they read."""
    every = _all()
    if codes is None:
        return every
    by_code = {p.code: p for p in every}
    unknown = set(codes) - set(by_code)
    if unknown:
        raise ValueError(f"未知的项目代码：{'、'.join(sorted(unknown))}")
    wanted: set[str] = set()
    pending = list(codes)
    while pending:
        code = pending.pop()
        if code not in wanted:
            wanted.add(code)
            pending += by_code[code].requires
    return tuple(p for p in every if p.code in wanted)


def _all() -> tuple[Program, ...]:
    from minzheng.policies.programs import (
        children,
        dibao,
        disability,
        elderly,
        rigid,
        tekun,
        temporary,
    )

    ordered = (
        dibao.DIBAO,
        dibao.DIBAO_EDGE,
        dibao.DIBAO_SINGLE,
        children.CHILD_ALLOWANCE,
        tekun.TEKUN,
        disability.LIVING,
        disability.NURSING,
        elderly.ELDERLY,
        rigid.RIGID,
        temporary.TEMPORARY,
    )
    return tuple(sorted(ordered, key=lambda p: p.stage))  # stable: order within a stage kept
