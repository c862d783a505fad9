"""The kinds of document, one table: the Chinese title, the counter that numbers it (gap-free
per county and year, cases/numbering.py) with its prefix, and the template that prints it.

Decision and rejection notices share the counter the county's decisions already use (their
number is given by the decision itself). The payroll summary is issued from a released payroll
(payroll_summary.py)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    code: str
    title: str
    counter: str  # Counter.kind (at most 10 characters)
    prefix: str
    template: str


KINDS: dict[str, Kind] = {
    k.code: k
    for k in [
        Kind("decision", "批准通知书", "notice", "民救", "documents/decision.html"),
        Kind("rejection", "不予批准通知书", "notice", "民救", "documents/decision.html"),
        Kind("publicity", "社会救助公示名单", "publicity", "民公", "documents/publicity.html"),
        Kind("consent", "家庭经济状况核对授权书", "consent", "民核", "documents/consent.html"),
        Kind(
            "payroll_summary",
            "社会救助资金发放汇总表",
            "payroll",
            "民发",
            "documents/payroll_summary.html",
        ),
    ]
}


def kind(code: str) -> Kind:
    try:
        return KINDS[code]
    except KeyError:
        raise ValueError(f"unknown document kind {code!r}") from None
