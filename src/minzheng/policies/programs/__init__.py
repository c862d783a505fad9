"""The programs, each a module: Chinese label, legal references, named criteria and amount,
written as Polars expressions over the household or person frame — and the one catalogue of
them (`catalogue()`): each program's level (household or person), how it is granted (applied
for, 免申即享 without an application, or both) and how it is paid (monthly, once, or not at
all). Cases, payments, dashboards, statistics and 政策找人 take their lists from it.

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
# how a program is granted: on an application, without one (免申即享: found by the monthly
# screening and confirmed by the county), or both
APPLICATION, AUTOMATIC, BOTH = "application", "automatic", "both"
MONTHLY, ONCE = "monthly", "once"  # how it is paid; None: a status that pays nothing itself


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
    # None: not granted on its own (单人户 is assessed within a 低保 case)
    granted: str | None = APPLICATION
    paid: str | None = None

    @property
    def applied_for(self) -> bool:
        return self.granted in (APPLICATION, BOTH)

    @property
    def automatic(self) -> bool:
        return self.granted in (AUTOMATIC, BOTH)

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


# The programs a case is opened for, in the order screens and statistics list them.
CATALOGUE = (
    "dibao",
    "dibao_edge",
    "tekun",
    "rigid",
    "temporary",
    "child_allowance",
    "disability_living",
    "disability_nursing",
    "elderly",
)


def catalogue(*, paid: str | None = None, level: str | None = None) -> tuple[Program, ...]:
    """The programs granted on their own, in the catalogue's order; `paid`: only those paid so
    ("any": paid at all), `level`: only household or person programs."""
    by_code = {p.code: p for p in _all()}
    found = tuple(by_code[code] for code in CATALOGUE)
    if paid == "any":
        found = tuple(p for p in found if p.paid)
    elif paid:
        found = tuple(p for p in found if p.paid == paid)
    return tuple(p for p in found if level is None or p.level == level)


def enrolled_on_application() -> tuple[Program, ...]:
    """The programs a household is enrolled in on its application and for a time (not a
    one-off grant, not 免申即享): what 政策找人 tells households about, and what "newly
    enrolled" counts."""
    return tuple(p for p in catalogue() if p.granted == APPLICATION and p.paid != ONCE)


def program(code: str) -> Program:
    found = next((p for p in catalogue() if p.code == code), None)
    if found is None:
        raise ValueError(f"未知的救助项目：{code}")
    return found


def label_of(code: str) -> str:
    """The Chinese label of a program code (the code itself when unknown)."""
    return next((p.label for p in catalogue() if p.code == code), code)


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
