"""The Spark session of the distributed runner, from settings (SPARK_MASTER, SPARK_CONF).

Local mode (`local[*]`) runs Spark inside this machine on all its cores: the default, what the
tests use, and how a county or a city can run it without a cluster. On a cluster, set
MINZHENG_SPARK_MASTER and the executors' resources (README, "Distributed runs")."""

import logging
import os
import shutil
import sys
from pathlib import Path

from django.conf import settings

from minzheng.kit.errors import DomainError


class SparkUnavailable(DomainError):
    """Spark cannot start here (no Java runtime or no PySpark)."""


def session():
    """The process's Spark session (created once, then reused)."""
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        raise SparkUnavailable(
            "未找到 Java 运行环境，无法启动 Spark：请安装 Java 17 或以上版本"
            "（Debian：apt-get install default-jre-headless）或设置 JAVA_HOME。"
        )
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise SparkUnavailable(
            "未安装 PySpark：请执行 pip install 'minzheng[spark]'（make install 已包含）。"
        ) from None
    # py4j reports every connection it closes, even at interpreter exit (after logging's end).
    logging.getLogger("py4j").setLevel(logging.WARNING)
    # Executors run Python too: the interpreter of this process, which has Minzheng and Polars.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("minzheng")
    # Under spark-submit the master and resources are the submit's own (its JVM is running).
    if "PYSPARK_GATEWAY_PORT" not in os.environ:
        builder = builder.master(settings.SPARK_MASTER)
    builder = (
        builder.config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")  # dates are dates, whatever the host says
    )
    jar = Path(settings.SPARK_JDBC_JAR)
    if jar.is_file():
        builder = builder.config("spark.jars", str(jar))
    elif settings.SPARK_JDBC:
        raise SparkUnavailable(
            f"未找到 PostgreSQL JDBC 驱动 {jar}：请安装（Debian：apt-get install "
            "libpostgresql-jdbc-java）或设置 MINZHENG_SPARK_JDBC_JAR，或关闭 MINZHENG_SPARK_JDBC。"
        )
    for key, value in _properties(settings.SPARK_CONF):
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def partitions(spark) -> int:
    """Settings' partition count, or twice the cores Spark has (each a few seconds of work)."""
    return settings.SPARK_PARTITIONS or 2 * spark.sparkContext.defaultParallelism


def _properties(items: list[str]) -> list[tuple[str, str]]:
    found = []
    for item in items:
        key, sign, value = item.partition("=")
        if not sign or not key.strip():
            raise SparkUnavailable(f"MINZHENG_SPARK_CONF 中的“{item}”应写成 键=值。")
        found.append((key.strip(), value.strip()))
    return found
