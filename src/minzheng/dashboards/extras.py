"""What other apps add to the dashboard: a name in the page's context and a function of
(user, region, today) giving its value, or None when the user may not see it. The work-plan
targets register their progress here (targets/apps.py): the dashboard reads them without
importing an app that itself reads the dashboard's figures."""

from collections.abc import Callable
from datetime import date

PROVIDERS: dict[str, Callable[[object, object, date], object]] = {}


def register(name: str, provider: Callable[[object, object, date], object]) -> None:
    PROVIDERS[name] = provider


def values(user, region, today: date) -> dict:
    return {name: provider(user, region, today) for name, provider in PROVIDERS.items()}
