"""Matching department rows with the registry by ID number: exact match on the blind index.

The registry never holds a clear ID number, only its keyed index (kit/crypto.py), so each
distinct number in a file is indexed once and joined. A row whose number is a registry person's
under another name goes to review, never applied by itself; a number nobody has is unmatched.
Pure Polars on frames: the upload service and the benchmark run the same code.
"""

from dataclasses import dataclass
from hashlib import sha256

import polars as pl

PURPOSE = "id_number"


@dataclass(frozen=True)
class Matched:
    matched: pl.DataFrame  # the rows with person_id (the same person, same name)
    supporters: pl.DataFrame  # rows of legal supporters (supporter_id), outside the registry
    review: pl.DataFrame  # rows with person_id and registry_name: same number, other name
    unmatched: pl.DataFrame  # rows nobody in the registry has


def blind_indexes(numbers: pl.Series, key: str) -> pl.Series:
    """kit.crypto.blind_index of each value, each distinct number computed once."""
    inner, outer = _hmac_states(key)
    distinct = numbers.unique()

    def index(number: str) -> str:
        i = inner.copy()
        i.update(f"{PURPOSE}:{number}".encode())
        o = outer.copy()
        o.update(i.digest())
        return o.hexdigest()[:32]

    digests = pl.Series([index(n) for n in distinct.to_list()], dtype=pl.Utf8)
    lookup = pl.DataFrame({"n": distinct, "i": digests})
    return numbers.to_frame("n").join(lookup, on="n", how="left", maintain_order="left")["i"]


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
    """rows: a Read frame (id_number, name, …); persons: person_id, id_number_index, name;
    supporters: supporter_id, id_number_index (optional)."""
    indexed = rows.with_columns(blind_indexes(rows["id_number"], key).alias("_index"))
    registry = persons.select(
        "person_id", pl.col("id_number_index").alias("_index"), pl.col("name").alias("_rname")
    )
    joined = indexed.join(registry, on="_index", how="left", maintain_order="left")
    same = normalised_name(pl.col("name")) == normalised_name(pl.col("_rname"))
    found = joined.filter(pl.col("person_id").is_not_null())
    nobody = joined.filter(pl.col("person_id").is_null()).drop("person_id", "_rname")
    supporting, unmatched = _supporters(nobody, supporters)
    return Matched(
        matched=found.filter(same).drop("_index", "_rname"),
        supporters=supporting,
        review=found.filter(~same).drop("_index").rename({"_rname": "registry_name"}),
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
