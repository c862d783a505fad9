"""The monthly statistics as tables in the style of 民政统计 reports: a summary by program, then
one table per program with a line per sub-region and a total, each with households, persons
and amounts split into 城市/农村, and the month's new and exited households. The screen and the
Excel export show the same Table."""

from dataclasses import dataclass
from datetime import date, datetime

import polars as pl

from minzheng.dashboards import figures, selectors
from minzheng.kit.money import fen_to_yuan
from minzheng.policies.programs import catalogue
from minzheng.regions.models import Region
from minzheng.regions.selectors import full_name

AREAS = ("urban", "rural")
TOTAL = "合计"


@dataclass(frozen=True)
class Header:
    """The two header rows: groups spanning columns, and the columns under them."""

    groups: tuple[tuple[str, int], ...]  # (label, columns spanned); span 1 = a single column
    columns: tuple[str, ...]  # under each spanning group: 合计, 城市, 农村


def header_for(program: str | None, first: str) -> Header:
    one_off = program in figures.ONE_OFF
    households = "救助户次（户次）" if one_off else "在保户数（户）"
    persons = "救助人次（人次）" if one_off else "在保人数（人）"
    amount = "当月救助金额（元）"
    return Header(
        groups=(
            (first, 1),
            (households, 3),
            (persons, 3),
            (amount, 3),
            ("本月新增（户）", 1),
            ("本月退出（户）", 1),
        ),
        columns=(TOTAL, "城市", "农村") * 3,
    )


@dataclass(frozen=True)
class Line:
    code: str
    label: str
    cells: tuple  # households ×3, persons ×3, amount (Decimal yuan) ×3, new, exited
    total: bool = False


@dataclass(frozen=True)
class Section:
    program: str
    label: str
    header: Header
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Table:
    region: Region
    title: str
    month: date
    provisional: bool
    closed_at: datetime | None
    digest: str
    summary: Section
    sections: tuple[Section, ...]


def table_for(region: Region, month: date) -> Table:
    found = selectors.months_of(region, [month])[month]
    return build(region, month, found)


def build(region: Region, month: date, found: selectors.Month) -> Table:
    rows = found.rows
    parts = _parts(region)
    length = selectors.child_length(region) or len(region.prefix)
    cells = _cells_by(rows, length)
    everything = _cells_by(rows, 0)
    programs = [(p.code, p.label) for p in catalogue()]
    sections = tuple(
        Section(
            code,
            label,
            header_for(code, "地区"),
            tuple(Line(c, name, _cells(cells, c[:length], code)) for c, name in parts)
            + (Line("", TOTAL, _cells(everything, "", code), total=True),),
        )
        for code, label in programs
    )
    summary = Section(
        "",
        "汇总",
        header_for(None, "救助项目"),
        tuple(Line(code, label, _cells(everything, "", code)) for code, label in programs),
    )
    closed = [c.closed_at for c in found.closings]
    return Table(
        region=region,
        title=f"{full_name(region)}社会救助统计月报",
        month=month,
        provisional=found.provisional,
        closed_at=None if found.provisional or not closed else max(closed),
        digest=selectors.rows_digest(rows),
        summary=summary,
        sections=sections,
    )


def _parts(region: Region) -> list[tuple[str, str]]:
    kids = selectors.children(region)
    if not kids:
        return [(region.code, region.name)]
    return [(r.code, r.name) for r in kids]


def _cells_by(rows: pl.DataFrame, length: int) -> dict:
    grouped = figures.by_part(rows, length, ("program", "area_type"))
    return {(r["part"], r["program"], r["area_type"]): r for r in grouped.iter_rows(named=True)}


def _cells(cells: dict, part: str, program: str) -> tuple:
    def value(measure: str, area: str) -> int:
        found = cells.get((part, program, area))
        return found[measure] if found else 0

    def split(measure: str) -> list[int]:
        by_area = [value(measure, a) for a in AREAS]
        return [sum(by_area), *by_area]

    amounts = [fen_to_yuan(fen) for fen in split("amount_fen")]
    new = sum(value("new", a) for a in AREAS)
    exited = sum(value("exited", a) for a in AREAS)
    return (*split("households"), *split("persons"), *amounts, new, exited)
