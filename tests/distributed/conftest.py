import os
import shutil

import pytest

from minzheng.distributed.session import SparkUnavailable, session


@pytest.fixture(scope="session")
def spark():
    """One local Spark for the whole run (a JVM takes seconds to start). Skipped without Java
    unless REQUIRE_SPARK=1 (CI sets it: there a missing Spark is a failure)."""
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        if os.environ.get("REQUIRE_SPARK") == "1":
            pytest.fail(
                "REQUIRE_SPARK=1 but no Java runtime (apt-get install default-jre-headless)"
            )
        pytest.skip("no Java runtime for Spark")
    try:
        spark = session()
    except SparkUnavailable as exc:
        if os.environ.get("REQUIRE_SPARK") == "1":
            raise
        pytest.skip(str(exc))
    yield spark
    spark.stop()
