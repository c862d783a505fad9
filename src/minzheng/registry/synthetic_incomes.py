"""Income items of the synthetic population (see synthetic.py): per-person items by category,
then scaled per household so that about POOR_SHARE of households fall below the poverty line
and the others clear it."""

import numpy as np
import polars as pl

POOR_SHARE = 0.10
POOR_LINE_FEN = 80_000  # 800 yuan per person per month


def _lognormal_fen(
    rng: np.random.Generator, median_yuan: np.ndarray | float, sigma: float, n: int
) -> np.ndarray:
    return np.rint(rng.lognormal(np.log(median_yuan), sigma, n) * 100).astype(np.int64)


def incomes_for(persons: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """Income items per person, then scaled per household so that about POOR_SHARE of
    households fall below the poverty line and the others clear it."""
    n = persons.height
    age, urban = persons["age"].to_numpy(), persons["urban"].to_numpy()
    head = persons["relation"].to_numpy() == "head"
    items = []

    def add(mask: np.ndarray, category: str, amounts: np.ndarray) -> None:
        index = np.flatnonzero(mask)
        items.append(
            pl.DataFrame(
                {"row": index, "category": [category] * len(index), "amount_fen": amounts[index]},
                schema={"row": pl.Int64, "category": pl.Utf8, "amount_fen": pl.Int64},
            )
        )

    add(
        persons["employed"].to_numpy(),
        "wage",
        _lognormal_fen(rng, np.where(urban, 4500.0, 2500.0), 0.45, n),
    )
    add(
        head & ~urban & (age < 65) & (rng.random(n) < 0.15),
        "business",
        _lognormal_fen(rng, 2000.0, 0.6, n),
    )
    add(head & (rng.random(n) < 0.05), "property", _lognormal_fen(rng, 300.0, 0.8, n))
    urban_pension = urban & (rng.random(n) < 0.6)
    add(
        age >= 60,
        "transfer",
        _lognormal_fen(
            rng, np.where(urban_pension, 3000.0, 200.0), np.where(urban_pension, 0.35, 0.2), n
        ),
    )
    add((age >= 18) & (rng.random(n) < 0.03), "other", _lognormal_fen(rng, 300.0, 0.7, n))
    frame = pl.concat(items).sort("row")
    frame = frame.with_columns(
        excluded=(pl.col("category") == "transfer") & pl.Series(rng.random(frame.height) < 0.05)
    )
    return _scale_to_poverty_mix(frame, persons, rng)


def _scale_to_poverty_mix(
    items: pl.DataFrame, persons: pl.DataFrame, rng: np.random.Generator
) -> pl.DataFrame:
    households = persons["hh"].max() + 1
    poor = rng.random(households) < POOR_SHARE
    poor_target = rng.uniform(150, 780, households) * 100  # per capita, fen
    comfortable_target = rng.uniform(900, 2500, households) * 100
    items = items.with_columns(hh=persons["hh"].gather(items["row"]))  # eager: Series index
    counted = items.filter(~pl.col("excluded")).group_by("hh").agg(total=pl.col("amount_fen").sum())
    size = np.bincount(persons["hh"].to_numpy(), minlength=households)
    total = np.zeros(households, dtype=np.int64)
    total[counted["hh"].to_numpy()] = counted["total"].to_numpy()
    per_capita = total / size
    scale = np.ones(households)
    too_rich = poor & (per_capita >= poor_target)
    scale[too_rich] = poor_target[too_rich] / per_capita[too_rich]
    too_poor = ~poor & (per_capita < comfortable_target) & (total > 0)
    scale[too_poor] = comfortable_target[too_poor] / per_capita[too_poor]
    item_scale = pl.Series(scale[items["hh"].to_numpy()])
    scaled = items.with_columns(
        amount_fen=pl.when(pl.col("excluded"))
        .then(pl.col("amount_fen"))
        .otherwise((pl.col("amount_fen") * item_scale).round().cast(pl.Int64))
        .clip(lower_bound=1)
    )
    scaled = pl.concat(
        [
            scaled,
            _income_for_the_incomeless(~poor & (total == 0), size, comfortable_target, persons),
        ]
    )
    scaled = scaled.sort("row")
    return scaled.with_columns(
        id_number=persons["id_number"].gather(scaled["row"]), period=pl.lit("monthly")
    )


def _income_for_the_incomeless(
    mask: np.ndarray, size: np.ndarray, target: np.ndarray, persons: pl.DataFrame
) -> pl.DataFrame:
    """A household meant to be comfortable but drawn without income gets a transfer to its head
    (remittances from children working elsewhere, the common case in rural counties)."""
    households = np.flatnonzero(mask)
    head_rows = (
        persons.with_row_index("row")
        .filter((pl.col("relation") == "head") & pl.col("hh").is_in(households.tolist()))
        .sort("hh")
    )
    amount = np.ceil(target[households] * size[households]).astype(np.int64)
    return pl.DataFrame(
        {
            "row": head_rows["row"].cast(pl.Int64),
            "category": "transfer",
            "amount_fen": amount,
            "excluded": False,
            "hh": households,
        },
        schema={
            "row": pl.Int64,
            "category": pl.Utf8,
            "amount_fen": pl.Int64,
            "excluded": pl.Boolean,
            "hh": pl.Int64,
        },
    )
