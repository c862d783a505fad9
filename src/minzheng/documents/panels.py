"""The issuing forms a domain adds to the documents register (e.g. a village's 公示 list): the
register page shows every panel whose form is offered to the user, under the panel's name in
the page's context. Domains register their panels from their views modules."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class IssuePanel:
    name: str  # the form's name in the page's context
    template: str  # the panel, rendered with `form` in its context
    form: Callable[[object, date], object | None]  # (user, today) → a form, None: not offered


PANELS: dict[str, IssuePanel] = {}


def register_panel(panel: IssuePanel) -> IssuePanel:
    PANELS[panel.name] = panel
    return panel


def offered(user, today: date) -> list[tuple[IssuePanel, object]]:
    found = ((panel, panel.form(user, today)) for panel in PANELS.values())
    return [(panel, form) for panel, form in found if form is not None]
