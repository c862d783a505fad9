"""The feed catalogue: one declared schema per department feed (feeds.yaml), never columns
scattered in code. Readers, matching, facts, indicators and 核对 reports all read it from here.
"""

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

CATALOGUE = Path(__file__).with_name("feeds.yaml")
TYPES = frozenset({"id_number", "text", "date", "money", "integer", "decimal", "choice"})


@dataclass(frozen=True)
class Column:
    code: str
    label: str
    type: str
    required: bool = False
    choices: dict[str, str] = field(default_factory=dict)  # label in the file → stored code
    min: int | None = None
    max: int | None = None


@dataclass(frozen=True)
class Feed:
    code: str
    department: str
    label: str
    category: str  # the heading its facts go under in a 核对 report
    key: tuple[str, ...]
    columns: tuple[Column, ...]

    def column(self, code: str) -> Column:
        return next(c for c in self.columns if c.code == code)

    @property
    def value_columns(self) -> tuple[Column, ...]:
        """What is stored as the fact: everything but the person's identifiers."""
        return tuple(c for c in self.columns if c.code not in ("id_number", "name"))


class CatalogueError(ValueError):
    pass


@cache
def catalogue() -> dict[str, Feed]:
    raw = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    return {code: _feed(code, spec) for code, spec in raw.items()}


def feed(code: str) -> Feed:
    try:
        return catalogue()[code]
    except KeyError:
        raise CatalogueError(f"未知的数据源：{code}") from None


def _feed(code: str, spec: dict) -> Feed:
    columns = tuple(_column(code, name, c) for name, c in spec["columns"].items())
    names = {c.code for c in columns}
    if not {"id_number", "name"} <= names:
        raise CatalogueError(f"{code}: 每个数据源都必须有 id_number 和 name 列")
    if not set(spec["key"]) <= names:
        raise CatalogueError(f"{code}: key 中有未声明的列")
    return Feed(
        code, spec["department"], spec["label"], spec["category"], tuple(spec["key"]), columns
    )


def _column(feed_code: str, code: str, spec: dict) -> Column:
    if spec["type"] not in TYPES:
        raise CatalogueError(f"{feed_code}.{code}: 未知类型 {spec['type']}")
    if (spec["type"] == "choice") != bool(spec.get("choices")):
        raise CatalogueError(f"{feed_code}.{code}: 只有 choice 类型列有 choices")
    return Column(
        code=code,
        label=spec["label"],
        type=spec["type"],
        required=spec.get("required", False),
        choices={str(k): str(v) for k, v in spec.get("choices", {}).items()},
        min=spec.get("min"),
        max=spec.get("max"),
    )
