"""The distributed runner: Minzheng's batch jobs on Apache Spark, for province- and
nation-scale runs. Spark moves and groups the data; each partition runs the same Polars code
as the local runner (`session.py` builds the session, `packing.py` carries households through
Spark, `jdbc.py` reads the database, `screening.py`, `feeds.py` and `indicators.py` are the
jobs). Nothing here imports the runners' facade (batch/runners.py), which imports these."""

import os


def _django_on_executors() -> None:
    """Spark's Python workers import our modules to unpickle a task; some of those (the feed
    reader) import Django models, which need the app registry. The driver has it already; a
    worker sets it up from the same settings (it opens no database connection)."""
    from django.apps import apps

    if not apps.ready:
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minzheng.settings")
        django.setup()


_django_on_executors()
