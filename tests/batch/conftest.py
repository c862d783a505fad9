import os

import pytest

from minzheng.batch.spark.session import SparkUnavailable, session


@pytest.fixture(scope="session")
def spark():
    """One local Spark for the whole run (a JVM takes seconds to start). Skipped without Java
    or PySpark unless REQUIRE_SPARK=1 (CI sets it: there a missing Spark is a failure)."""
    try:
        spark = session()
    except SparkUnavailable as exc:
        if os.environ.get("REQUIRE_SPARK") == "1":
            raise
        pytest.skip(str(exc))
    yield spark
    spark.stop()
