"""Where Minzheng's batch jobs compute: the same steps in this process with Polars
(`local.py`) or on Apache Spark (`spark/`), picked by name through `rules.engines.runner_of`
(where `apps.py` registers them).

The layers go one way: `runners` (the facade the commands use) imports `local` and, when
Spark is asked for, `spark`; the Spark jobs import `local` where they fall back to it, never
the facade. No side effects here: importing the facade must not start Django or need PySpark.
"""
