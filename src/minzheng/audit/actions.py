"""The audit actions of every app, with their Chinese labels.

Each app declares its actions in its own `events.py` as an `Action` enum (value "object.verb",
label in Chinese) and records them with `audit.services.record(Actions.X, …)`; a procedure's
steps are actions too ("case.approve" → 批准), declared by the steps table itself. `label_of`
finds the label of any action for the audit screen and its exports."""

from collections.abc import Callable
from enum import StrEnum
from functools import cache
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps


class Action(StrEnum):
    """An app's audit actions: NAME = "object.verb", "中文说明"."""

    def __new__(cls, value: str, label: str):
        action = str.__new__(cls, value)
        action._value_ = value
        action.label = label
        return action

    def __str__(self) -> str:
        return self.value


@cache
def _declared() -> dict[str, str]:
    """Every app's events.py, imported once, and each procedure's steps."""
    for config in apps.get_app_configs():
        if config.name.startswith("minzheng.") and find_spec(f"{config.name}.events"):
            import_module(f"{config.name}.events")
    labels = {a.value: a.label for kind in _kinds(Action) for a in kind}
    for source in SOURCES:
        labels |= source()
    return labels


# Other declarations of actions: a procedure's steps (procedures/declare.py adds them).
SOURCES: list[Callable[[], dict[str, str]]] = []


def add_labels(source: Callable[[], dict[str, str]]) -> None:
    SOURCES.append(source)
    _declared.cache_clear()


def _kinds(base: type) -> list[type]:
    found = []
    for kind in base.__subclasses__():
        found += [kind, *_kinds(kind)]
    return found


def label_of(action: str) -> str:
    """The Chinese label of an action; the action itself when none is declared."""
    return _declared().get(action, action)


def labels() -> dict[str, str]:
    return dict(_declared())
