"""The registry and the department facts read by Spark straight from PostgreSQL over JDBC
(setting MINZHENG_SPARK_JDBC): the driver then holds none of a province's rows.

The queries are the registry snapshot's own (registry/snapshot.py) and the facts' of the
indicators, each read in ranges of its id column by as many connections as partitions. The
PostgreSQL JDBC driver is Debian's libpostgresql-jdbc-java (`make test` and `.ci/run`
install it); the session loads it whenever it is there (session.py).
"""

from django.conf import settings
from django.db import connection

from minzheng.batch.spark.session import SparkUnavailable
from minzheng.monitoring.inputs import FACTS_BOUNDS_SQL, FACTS_SQL
from minzheng.regions import codes
from minzheng.registry.snapshot import HOUSEHOLD_BOUNDS_SQL, SQL


def enabled() -> bool:
    return settings.SPARK_JDBC


def registry(spark, region_code: str, work, partitions: int) -> dict:
    """The region's five registry tables for a Spark job: read by Spark itself over JDBC when
    it is on, else the driver's snapshot written as Parquet files in `work`."""
    if enabled():
        return registry_tables(spark, region_code, partitions)
    from minzheng.batch.spark.packing import write_tables
    from minzheng.registry.snapshot import snapshot
    from minzheng.rules.facts import frames_of

    return write_tables(frames_of(snapshot(region_code)), work)


def registry_tables(spark, region_code: str, partitions: int) -> dict:
    """The snapshot's five tables of the region as Spark DataFrames, by household id ranges."""
    pattern = _pattern(region_code)
    low, high = _bounds(HOUSEHOLD_BOUNDS_SQL, pattern)
    return {
        name: _read(
            spark, sql.replace("%s", _quoted(pattern)), "household_id", low, high, partitions
        )
        for name, sql in SQL.items()
    }


def facts(spark, region_code: str, period: str, partitions: int):
    """The period's facts on the region's persons: seq (the fact's id, their order), person_id,
    feed, source ("file:row") and the stored values as JSON text."""
    if len(period) != 7 or not (period[:4] + period[5:]).isdigit() or period[4] != "-":
        raise ValueError(f"期间格式应为 YYYY-MM：{period}")
    pattern = _pattern(region_code)
    sql = FACTS_SQL.replace("%s", _quoted(period), 1).replace("%s", _quoted(pattern), 1)
    low, high = _bounds(FACTS_BOUNDS_SQL, period, pattern)
    return _read(spark, sql, "seq", low, high, partitions)


def url_and_properties() -> tuple[str, dict[str, str]]:
    database = settings.DATABASES["default"]
    if "postgresql" not in database["ENGINE"]:
        raise SparkUnavailable("经 JDBC 读取数据库仅支持 PostgreSQL：请关闭 MINZHENG_SPARK_JDBC。")
    url = (
        f"jdbc:postgresql://{database['HOST'] or 'localhost'}:{database['PORT'] or 5432}"
        f"/{database['NAME']}"
    )
    properties = {"user": database["USER"] or "", "driver": "org.postgresql.Driver"}
    if database.get("PASSWORD"):
        properties["password"] = database["PASSWORD"]
    return url, properties


def _read(spark, sql: str, column: str, low, high, partitions: int):
    url, properties = url_and_properties()
    table = f"({sql}) AS rows"
    if low is None:  # nothing to read: one query answering no rows
        return spark.read.jdbc(url, table, properties=properties)
    return spark.read.jdbc(
        url,
        table,
        column=column,
        lowerBound=low,
        upperBound=high + 1,
        numPartitions=max(1, partitions),
        properties=properties,
    )


def _bounds(sql: str, *parameters) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(parameters))
        return cursor.fetchone()


def _pattern(region_code: str) -> str:
    prefix = codes.prefix_of(codes.normalize_code(region_code))
    if not prefix.isdigit() and prefix:
        raise ValueError(f"区划代码格式不正确：{region_code}")
    return prefix + "%"


def _quoted(text: str) -> str:
    """A literal of digits, "-" and "%" only (checked by the callers): nothing to escape."""
    if not set(text) <= set("0123456789-%"):
        raise ValueError(f"不能写入查询的值：{text}")
    return f"'{text}'"
