"""The kinds of document, one register: the Chinese title, the counter that numbers it (gap-free
per county and year, procedures/numbering.py) with its prefix, and the template that prints it.

Each domain declares its own kinds where it builds their payloads (cases/notices.py,
cases/printouts.py, payments/summary.py …) and registers them here; documents itself knows no
domain. A kind may share a counter with another (decision and rejection notices share the
numbers of the county's decisions)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    code: str
    title: str
    counter: str  # procedures.Counter.kind (at most 10 characters)
    prefix: str
    template: str


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    if KINDS.get(kind.code, kind) != kind:
        raise ValueError(f"document kind {kind.code!r} is declared twice")
    if len(kind.counter) > 10:
        raise ValueError(f"counter {kind.counter!r} is longer than 10 characters")
    KINDS[kind.code] = kind
    return kind


def kind(code: str) -> Kind:
    try:
        return KINDS[code]
    except KeyError:
        raise ValueError(f"unknown document kind {code!r}") from None
