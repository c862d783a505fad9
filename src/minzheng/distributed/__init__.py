"""The distributed runner: Minzheng's batch jobs on Apache Spark, for province- and
nation-scale runs. Spark moves and groups the data; each partition runs the same Polars code
as the local runner (`session.py` builds the session, `packing.py` carries households through
Spark, `screening.py` is the screening job)."""
