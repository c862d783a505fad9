"""Policy parameters: dated values with unit, legal reference and region overrides.

Each YAML file under `policies/parameters/` is one parameter, named by its path
("dibao/standard.yaml" → "dibao.standard"):

    label: 低保标准
    unit: 元/月
    reference: 社会救助暂行办法 第十条
    by_area: true              # values are split urban/rural
    values:
      - {region: "330122", area: urban, from: 2024-07-01, value: 1159, reference: 桐政办〔2024〕1号}
      - {from: 2020-01-01, value: 0.3}     # no region: the national value

Resolution for a date and a region: among the entries whose region contains the wanted region
(national ⊃ province ⊃ city ⊃ county), the most specific region wins; within it, the entry in
force on the date. A file that cannot be trusted is refused whole, naming file, key and reason.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

from minzheng.kit.errors import ValidationFailed
from minzheng.regions import codes
from minzheng.rules.errors import Error

PARAMETERS_DIR = Path(__file__).resolve().parent.parent / "policies" / "parameters"
NATIONAL = ""
AREAS = ("urban", "rural")


class ParameterFileError(ValueError):
    def __init__(self, file: str, key: str, reason: str) -> None:
        self.file, self.key, self.reason = file, key, reason
        super().__init__(f"参数文件 {file} 的 {key}：{reason}")


@dataclass(frozen=True)
class Entry:
    region: str  # significant prefix of the region code ("" = national)
    area: str | None
    start: date
    end: date | None  # inclusive; None = until replaced
    value: Decimal
    reference: str

    def in_force(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Parameter:
    name: str
    label: str
    unit: str
    reference: str
    by_area: bool
    entries: tuple[Entry, ...]

    @cached_property
    def by_region(self) -> dict[str, tuple[Entry, ...]]:
        """Entries grouped by region prefix: resolution looks up a code's own prefixes instead
        of scanning every entry (thousands of county standards)."""
        grouped: dict[str, list[Entry]] = {}
        for entry in self.entries:
            grouped.setdefault(entry.region, []).append(entry)
        return {region: tuple(found) for region, found in grouped.items()}

    @cached_property
    def prefix_lengths(self) -> tuple[int, ...]:
        return tuple(sorted({len(region) for region in self.by_region}, reverse=True))

    def in_force_on(self, day: date) -> dict[tuple[str, str | None], Entry]:
        """Per (region, area), the entry in force on `day` (the latest to start); kept for the
        last few days asked, so resolving thousands of counties scans the entries once."""
        kept: dict = self.__dict__.setdefault("_in_force", {})
        if day not in kept:
            best: dict[tuple[str, str | None], Entry] = {}
            for entry in self.entries:
                key = (entry.region, entry.area)
                if entry.in_force(day) and (key not in best or entry.start > best[key].start):
                    best[key] = entry
            if len(kept) >= 16:
                kept.clear()
            kept[day] = best
        return kept[day]

    def regions_covering(self, region_code: str) -> tuple[str, ...]:
        """The prefixes with entries that contain `region_code`, most specific first."""
        return tuple(
            region_code[:length]
            for length in self.prefix_lengths
            if region_code[:length] in self.by_region
        )


@dataclass(frozen=True)
class Resolved:
    """A value with what explains it: where it comes from and since when."""

    name: str
    value: Decimal
    unit: str
    region: str
    start: date
    reference: str


class ParameterNotFound(ValidationFailed, LookupError):
    """No value in force for the day and region: the user asked for a day or a place no
    publication covers (a 422 wherever it surfaces, never a 500)."""


def resolve(parameter: Parameter, day: date, region_code: str, area: str | None = None) -> Resolved:
    if parameter.by_area and area not in AREAS:
        raise ValueError(f"{parameter.name} is split urban/rural: give area='urban' or 'rural'")
    in_force = parameter.in_force_on(day)
    wanted = area if parameter.by_area else None
    for region in parameter.regions_covering(region_code):  # most specific region first
        best = in_force.get((region, wanted))
        if best is not None:
            return Resolved(
                parameter.name,
                best.value,
                parameter.unit,
                best.region,
                best.start,
                best.reference or parameter.reference,
            )
    problem = f"参数 {parameter.name}（{parameter.label}）在 {day} 对区划 {region_code} 没有有效值"
    raise ParameterNotFound.of(Error.PARAMETER_NOT_IN_FORCE, problem=problem)


def load_tree(
    root: Path = PARAMETERS_DIR, *, known_regions: frozenset[str] | None = None
) -> dict[str, Parameter]:
    known = known_regions if known_regions is not None else shipped_region_codes()
    return {
        _name(root, path): load_file(path, _name(root, path), known, label=_relative(root, path))
        for path in sorted(root.rglob("*.yaml"))
    }


@lru_cache(maxsize=1)
def shipped_tree() -> dict[str, Parameter]:
    """The YAML tree as shipped, loaded once per process (published values merge over it)."""
    return load_tree()


@lru_cache(maxsize=1)
def shipped_region_codes() -> frozenset[str]:
    """Significant prefixes of every region in the shipped file, down to county level."""
    from minzheng.regions.services import read_region_file

    return frozenset(codes.prefix_of(r.code) for r in read_region_file() if r.level <= codes.COUNTY)


def load_file(
    path: Path, name: str, known_regions: frozenset[str], *, label: str = ""
) -> Parameter:
    label = label or path.name
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ParameterFileError(label, "(文件)", f"不是有效的 YAML：{exc}") from None
    if not isinstance(document, dict):
        raise ParameterFileError(label, "(文件)", "应为键值结构")
    for key in ("label", "unit", "values"):
        if key not in document:
            raise ParameterFileError(label, key, "缺少必填项")
    by_area = bool(document.get("by_area", False))
    values = document["values"]
    if not isinstance(values, list) or not values:
        raise ParameterFileError(label, "values", "应为非空列表")
    entries = tuple(
        _entry(label, f"values[{i}]", item, by_area, known_regions) for i, item in enumerate(values)
    )
    _refuse_overlaps(label, entries)
    return Parameter(
        name,
        str(document["label"]),
        str(document["unit"]),
        str(document.get("reference", "")),
        by_area,
        entries,
    )


def _entry(file: str, key: str, item, by_area: bool, known: frozenset[str]) -> Entry:
    if not isinstance(item, dict):
        raise ParameterFileError(file, key, "应为键值结构")
    start = item.get("from")
    if not isinstance(start, date):
        raise ParameterFileError(file, f"{key}.from", "缺少生效日期或格式不是 YYYY-MM-DD")
    end = item.get("until")
    if end is not None and (not isinstance(end, date) or end < start):
        raise ParameterFileError(file, f"{key}.until", "截止日期无效或早于生效日期")
    region = _region(file, f"{key}.region", item.get("region"), known)
    area = item.get("area")
    if by_area and area not in AREAS:
        raise ParameterFileError(file, f"{key}.area", "该参数分城乡，应为 urban 或 rural")
    if not by_area and area is not None:
        raise ParameterFileError(file, f"{key}.area", "该参数不分城乡，不应填写 area")
    return Entry(
        region,
        area,
        start,
        end,
        _amount(file, f"{key}.value", item.get("value")),
        str(item.get("reference", "")),
    )


def _region(file: str, key: str, raw, known: frozenset[str]) -> str:
    if raw in (None, ""):
        return NATIONAL
    text = str(raw)
    try:
        prefix = codes.prefix_of(codes.normalize_code(text))
    except ValueError:
        raise ParameterFileError(file, key, f"区划代码格式不正确：{text}") from None
    if prefix not in known:
        raise ParameterFileError(file, key, f"未知的区划代码：{text}")
    return prefix


def _amount(file: str, key: str, raw) -> Decimal:
    if isinstance(raw, bool) or raw is None:
        raise ParameterFileError(file, key, "缺少数值")
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        raise ParameterFileError(file, key, f"不是数值：{raw}") from None
    if not value.is_finite() or value < 0:
        raise ParameterFileError(file, key, f"数值不能为负数：{raw}")
    return value


def _refuse_overlaps(file: str, entries: tuple[Entry, ...]) -> None:
    groups: dict[tuple[str, str | None], list[Entry]] = {}
    for entry in entries:
        groups.setdefault((entry.region, entry.area), []).append(entry)
    for (region, area), group in groups.items():
        ordered = sorted(group, key=lambda e: e.start)
        for earlier, later in zip(ordered, ordered[1:], strict=False):
            if earlier.start == later.start or (earlier.end and earlier.end >= later.start):
                where = f"区划 {region or '全国'}{f'（{area}）' if area else ''}"
                raise ParameterFileError(
                    file, "values", f"{where} 的有效期重叠：{earlier.start} 与 {later.start}"
                )


def _name(root: Path, path: Path) -> str:
    return ".".join(path.relative_to(root).with_suffix("").parts)


def _relative(root: Path, path: Path) -> str:
    return str(path.relative_to(root.parent))
