"""Matching department rows with the registry by ID number: exact match on the blind index.

The registry never holds a clear ID number, only its keyed index (kit/crypto.py), so each
distinct number in a file is indexed once and joined. A row whose number is a registry person's
under another name goes to review, never applied by itself; a number nobody has is unmatched.
Pure Polars on frames: the upload service and the benchmark run the same code.
"""

import multiprocessing
import os
from dataclasses import dataclass
from hashlib import sha256

import polars as pl

from minzheng.monitoring import idframe

PURPOSE = "id_number"
_NUMBER = pl.col("n").str.slice(0, 17).cast(pl.Int64)
ROW = "_row"  # the row number in the file, unique within a file (reading.py)
PARALLEL_FROM = 500_000  # distinct numbers; below this a second process costs more than it saves
_CHUNK = 250_000


@dataclass(frozen=True)
class Matched:
    matched: pl.DataFrame  # the rows with person_id (the same person, same name)
    supporters: pl.DataFrame  # rows of legal supporters (supporter_id), outside the registry
    review: pl.DataFrame  # rows with person_id and registry_name: same number, other name
    unmatched: pl.DataFrame  # rows nobody in the registry has


def blind_indexes(numbers: pl.Series, key: str) -> pl.Series:
    """kit.crypto.blind_index of each value, each distinct number computed once."""
    lookup = index_lookup(numbers, key)
    return numbers.to_frame("n").join(lookup, on="n", how="left", maintain_order="left")["i"]


def index_lookup(numbers: pl.Series, key: str) -> pl.DataFrame:
    """n (number), i (its blind index) for each distinct number: a monthly run indexes the
    numbers of all its files once (a person is in several departments' files). Millions of
    numbers are hashed on every core (one HMAC is ~2 µs of Python)."""
    distinct = _distinct(numbers)
    if len(distinct) < PARALLEL_FROM or (os.cpu_count() or 1) == 1:
        digests = _digests(key, distinct)
    else:
        chunks = [distinct[i : i + _CHUNK] for i in range(0, len(distinct), _CHUNK)]
        with multiprocessing.get_context("fork").Pool(os.cpu_count()) as pool:
            digests = [
                d for part in pool.starmap(_digests, [(key, c) for c in chunks]) for d in part
            ]
    return pl.DataFrame({"n": distinct, "i": digests}, schema={"n": pl.Utf8, "i": pl.Utf8})


def _distinct(numbers: pl.Series) -> list[str]:
    """The distinct numbers. A checked number is its first 17 digits (the last character is
    their check), an integer: deduplicating integers is many times faster than strings."""
    keys = numbers.to_frame("n").select(_NUMBER.unique().alias("k"))
    body = pl.col("k").cast(pl.Utf8).str.zfill(17)
    return keys.select(idframe.from_body(body))["k"].to_list()


def _digests(key: str, numbers: list[str]) -> list[str]:
    inner, outer = _hmac_states(key)
    prefix = f"{PURPOSE}:".encode()
    found = []
    for number in numbers:
        i = inner.copy()
        i.update(prefix + number.encode())
        o = outer.copy()
        o.update(i.digest())
        found.append(o.hexdigest()[:32])
    return found


def _hmac_states(key: str):
    """SHA-256 states after the HMAC's inner and outer key pads (RFC 2104): copying them saves
    hashing the pads again for every number."""
    block = key.encode()
    if len(block) > 64:
        block = sha256(block).digest()
    block = block.ljust(64, b"\0")
    inner = sha256(bytes(b ^ 0x36 for b in block))
    outer = sha256(bytes(b ^ 0x5C for b in block))
    return inner, outer


def normalised_name(name: pl.Expr) -> pl.Expr:
    """Names compare without spaces and with the middle dot of minority names unified."""
    return name.str.replace_all(r"[\s\u3000]", "").str.replace_all("[•・･.]", "·")


def match(
    rows: pl.DataFrame, persons: pl.DataFrame, key: str, supporters: pl.DataFrame | None = None
) -> Matched:
    """rows: a Read frame (_row, id_number, name, …); persons: person_id, id_number_index,
    name; supporters: supporter_id, id_number_index (optional)."""
    return match_all({"": rows}, persons, key, supporters)[""]


def match_all(
    files: dict[str, pl.DataFrame],
    persons: pl.DataFrame,
    key: str,
    supporters: pl.DataFrame | None = None,
) -> dict[str, Matched]:
    """Several files of one run at once: each distinct number is indexed once and the registry
    is joined once (a person is in several departments' files; a join per file would hash the
    registry again each time)."""
    ids = pl.concat(
        [f.select(pl.lit(name).alias("_file"), ROW, "id_number") for name, f in files.items()]
    )
    registry = persons.select(
        "person_id", pl.col("id_number_index").alias("_index"), pl.col("name").alias("_rname")
    )
    lookup = index_lookup(ids["id_number"], key).select(_NUMBER.alias("_k"), "i")
    found = (
        ids.with_columns(pl.col("id_number").str.slice(0, 17).cast(pl.Int64).alias("_k"))
        .join(lookup, on="_k", how="left")
        .select("_file", ROW, pl.col("i").alias("_index"))
    )
    found = found.join(registry, on="_index", how="left")
    parts = found.partition_by("_file", as_dict=True, include_key=False)
    return {
        name: _matched(rows, parts.get((name,), found.clear().drop("_file")), supporters)
        for name, rows in files.items()
    }


def _matched(rows: pl.DataFrame, found: pl.DataFrame, supporters) -> Matched:
    joined = rows.join(found, on=ROW, how="left", maintain_order="left")
    same = normalised_name(pl.col("name")) == normalised_name(pl.col("_rname"))
    hit = joined.filter(pl.col("person_id").is_not_null())
    nobody = joined.filter(pl.col("person_id").is_null()).drop("person_id", "_rname")
    supporting, unmatched = _supporters(nobody, supporters)
    return Matched(
        matched=hit.filter(same).drop("_index", "_rname"),
        supporters=supporting,
        review=hit.filter(~same).drop("_index").rename({"_rname": "registry_name"}),
        unmatched=unmatched.drop("_index"),
    )


def _supporters(rows: pl.DataFrame, supporters: pl.DataFrame | None):
    if supporters is None or supporters.is_empty():
        return rows.clear().with_columns(pl.lit(None, pl.Int64).alias("supporter_id")), rows
    found = rows.join(
        supporters.select("supporter_id", pl.col("id_number_index").alias("_index")).unique(
            "_index"
        ),
        on="_index",
        how="left",
        maintain_order="left",
    )
    hit = pl.col("supporter_id").is_not_null()
    return found.filter(hit).drop("_index"), found.filter(~hit).drop("supporter_id")
