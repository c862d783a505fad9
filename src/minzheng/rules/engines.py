"""The engines a batch job can compute on, by name (`--engine polars|spark`).

The runners live above the domains (batch/: they run the rules' and monitoring's functions);
the jobs that pick one by name live below (rules' screening, monitoring's runs). So the batch
app registers its runners here when Django starts (batch/apps.py), and jobs ask by name: no
job imports the runners' package."""

from collections.abc import Callable

from minzheng.rules.errors import Error

ENGINES: dict[str, Callable[[], object]] = {}


def register(name: str, factory: Callable[[], object]) -> None:
    ENGINES[name] = factory


def runner_of(engine: str):
    """A new runner of the named engine."""
    if engine not in ENGINES:
        known = "、".join(sorted(ENGINES)) or "无"
        raise Error.UNKNOWN_ENGINE.error(field="engine", engine=engine, known=known)
    return ENGINES[engine]()


NAMES = ("polars", "spark")  # the engines a command offers (registered by batch/apps.py)
