"""The pre-release checks (发放前核查): pure Polars over the payroll's lines and what the registry,
the cases, the department feeds and the 近亲属备案 register say about the people on them.

Each check returns (beneficiary_id, code, detail) rows, the detail a JSON object of what raised
it, with names masked and no ID number or account. A line a check finds is held back from the
release until someone resolves the finding. Which programs exclude which is the table
EXCLUSIVE, from the programs' own rules (policies/programs/tekun.py, disability.py).
"""

from dataclasses import dataclass

import polars as pl

from minzheng.payments.models import Flag

FLAG_SCHEMA = {"beneficiary_id": pl.Int64, "code": pl.Utf8, "detail": pl.Utf8}

# Programs a person may not receive together, each pair with the rule that says so.
EXCLUSIVE: dict[frozenset, str] = {
    frozenset({"tekun", "dibao"}): "特困人员救助供养与低保不重复享受（国发〔2016〕14号）",
    frozenset({"tekun", "child_allowance"}): "孤儿、事实无人抚养儿童不重复认定为特困人员",
    frozenset(
        {"tekun", "disability_living"}
    ): "特困人员不享受困难残疾人生活补贴（国发〔2015〕52号）",
    frozenset(
        {"tekun", "disability_nursing"}
    ): "特困人员不享受重度残疾人护理补贴（国发〔2015〕52号）",
    frozenset({"child_allowance", "disability_living"}): (
        "享受孤儿、事实无人抚养儿童保障的不享受困难残疾人生活补贴（国发〔2015〕52号）"
    ),
}


def partners(program: str) -> list[str]:
    """The programs that exclude `program`."""
    return sorted(p for pair in EXCLUSIVE for p in pair if program in pair and p != program)


@dataclass(frozen=True)
class Context:
    """What the checks read besides the lines (context.py builds it). Frames (columns):

    payees: person_id, household_id, region_code, name, died_on, death_source, account_state
    partner_persons: person_id, household_id, name, co_resident, program, case_number — living
        persons with a case of a program that excludes this one
    partner_households: household_id, program, case_number — household cases of such programs
        of the households of the person lines' payees
    declared: person_id, household_id, name, co_resident, staff, relation — declared relatives
    household_sizes: household_id, persons — for the household lines that could pass the cap
    moves: person_id, name, from_household_id, to_household_id, moved_on
    hukou_out: person_id, moved_on
    previous: beneficiary_id, previous_fen — last month's settled line
    """

    county: str
    payees: pl.DataFrame
    partner_persons: pl.DataFrame
    partner_households: pl.DataFrame
    declared: pl.DataFrame
    household_sizes: pl.DataFrame
    moves: pl.DataFrame
    hukou_out: pl.DataFrame
    previous: pl.DataFrame
    cap_fen: int
    change: tuple[int, int]  # the share of last month's amount, as numerator and denominator


def masked(name: pl.Expr) -> pl.Expr:
    """张三 → 张*, 李小明 → 李*明 (kit.masking.mask_name, as an expression)."""
    length = name.str.len_chars()
    first = name.str.slice(0, 1)
    return (
        pl.when(length <= 2)
        .then(first + "*")
        .otherwise(first.str.pad_end(length - 1, "*") + name.str.slice(-1))
    )


def _flags(frame: pl.DataFrame, code: str, *fields: pl.Expr) -> pl.DataFrame:
    return frame.select(
        "beneficiary_id",
        pl.lit(code).alias("code"),
        pl.struct(*fields).struct.json_encode().alias("detail"),
    )


def _listed(frame: pl.DataFrame, code: str, key: str, *fields: pl.Expr) -> pl.DataFrame:
    """One flag per line listing every row found for it (sorted, so a rerun is identical)."""
    grouped = (
        frame.sort("beneficiary_id", *fields)
        .group_by("beneficiary_id", maintain_order=True)
        .agg(pl.struct(*fields).alias(key))
    )
    return _flags(grouped, code, pl.col(key))


def _iso(column: str) -> pl.Expr:
    return pl.col(column).dt.to_string("%Y-%m-%d").alias(column)


def dead(lines: pl.DataFrame, ctx: Context) -> pl.DataFrame:
    found = lines.join(ctx.payees, left_on="beneficiary_id", right_on="person_id").filter(
        pl.col("died_on").is_not_null()
    )
    return _flags(found, Flag.Code.DEAD, _iso("died_on"), "death_source", "overpaid_fen")


def overpaid(lines: pl.DataFrame, ctx: Context) -> pl.DataFrame:
    dead_payees = ctx.payees.filter(pl.col("died_on").is_not_null()).select(
        pl.col("person_id").alias("beneficiary_id")
    )
    found = lines.filter(pl.col("overpaid_fen") > 0).join(
        dead_payees, on="beneficiary_id", how="anti"
    )
    return _flags(found, Flag.Code.OVERPAID, "overpaid_fen")


def two_households(lines: pl.DataFrame, ctx: Context, live: pl.DataFrame) -> pl.DataFrame:
    """A person case's payee now lives in another household; or a member moved out of a paid
    household after its decision (or its last amount review) into another household paid by
    the same program.

    `live`: household_id, decided_on of the program's approved household cases."""
    moved_away = (
        lines.filter(~pl.col("household_case"))
        .join(ctx.payees, left_on="beneficiary_id", right_on="person_id", suffix="_now")
        .filter(pl.col("household_id") != pl.col("household_id_now"))
        .with_columns(pl.lit("moved_away").alias("reason"), pl.lit(None, pl.Utf8).alias("member"))
    )
    counted_twice = (
        lines.filter(pl.col("household_case"))
        .join(ctx.moves, left_on="household_id", right_on="from_household_id")
        .filter(pl.col("moved_on") >= pl.col("decided_on"))
        .join(live, left_on="to_household_id", right_on="household_id", suffix="_other")
        .with_columns(
            pl.lit("counted_twice").alias("reason"), masked(pl.col("name")).alias("member")
        )
    )
    found = pl.concat(
        [f.select("beneficiary_id", "reason", "member") for f in (moved_away, counted_twice)]
    ).unique(["beneficiary_id", "reason", "member"])
    return _listed(found, Flag.Code.TWO_HOUSEHOLDS, "found", "reason", "member")


def two_counties(lines: pl.DataFrame, ctx: Context) -> pl.DataFrame:
    """The payee lives in another county now, or 公安 reports the hukou moved out."""
    payees = lines.join(ctx.payees, left_on="beneficiary_id", right_on="person_id")
    elsewhere = payees.filter(pl.col("region_code_right").str.slice(0, 6) != ctx.county[:6])
    lives = elsewhere.select(
        "beneficiary_id",
        pl.lit("lives_elsewhere").alias("reason"),
        pl.col("region_code_right").str.slice(0, 6).alias("where"),
    )
    moved = payees.join(ctx.hukou_out, left_on="beneficiary_id", right_on="person_id").select(
        "beneficiary_id",
        pl.lit("hukou_moved_out").alias("reason"),
        pl.col("moved_on").dt.to_string("%Y-%m-%d").alias("where"),
    )
    found = pl.concat([lives, moved]).unique()
    return _listed(found, Flag.Code.TWO_COUNTIES, "found", "reason", "where")


def _covered(lines: pl.DataFrame, persons: pl.DataFrame) -> pl.DataFrame:
    """`persons` (person_id, household_id, co_resident, …) a line pays for: the living
    co-resident members of a household line's household, the payee of a person line."""
    households = lines.filter(pl.col("household_case")).select("beneficiary_id", "household_id")
    members = households.join(persons.filter(pl.col("co_resident")), on="household_id")
    payees = lines.filter(~pl.col("household_case")).select("beneficiary_id")
    own = payees.join(persons, left_on="beneficiary_id", right_on="person_id", how="inner")
    own = own.with_columns(pl.col("beneficiary_id").alias("person_id"))
    return pl.concat([members, own.select(members.columns)])


def exclusive(lines: pl.DataFrame, ctx: Context) -> pl.DataFrame:
    """Someone the line pays for receives a program that excludes this one: a member's or the
    payee's own person case, or a household case of the person-line payee's household."""
    paid = lines.select(
        "beneficiary_id", "household_id", "household_case", pl.col("case_number").alias("line_case")
    )
    persons = _covered(paid, ctx.partner_persons).join(
        paid.select("beneficiary_id", "line_case"), on="beneficiary_id"
    )
    payees = ctx.payees.select(pl.col("person_id").alias("beneficiary_id"), "household_id", "name")
    households = (
        paid.filter(~pl.col("household_case"))
        .select("beneficiary_id", "line_case")
        .join(payees, on="beneficiary_id")
        .join(ctx.partner_households, on="household_id")
    )
    found = pl.concat(
        [
            f.filter(pl.col("case_number") != pl.col("line_case")).select(
                "beneficiary_id", masked(pl.col("name")).alias("member"), "program", "case_number"
            )
            for f in (persons, households)
        ]
    )
    return _listed(found, Flag.Code.EXCLUSIVE, "found", "member", "program", "case_number")


def relative(lines: pl.DataFrame, ctx: Context) -> pl.DataFrame:
    found = _covered(lines, ctx.declared).select(
        "beneficiary_id", masked(pl.col("name")).alias("member"), "staff", "relation"
    )
    return _listed(found, Flag.Code.RELATIVE, "found", "member", "staff", "relation")


def cap(lines: pl.DataFrame, ctx: Context) -> pl.DataFrame:
    """Above the cap per person covered (one for a person line)."""
    sized = lines.join(ctx.household_sizes, on="household_id", how="left").with_columns(
        pl.when(pl.col("household_case"))
        .then(pl.col("persons").fill_null(0).clip(lower_bound=1))
        .otherwise(1)
        .cast(pl.Int64)
        .alias("persons")
    )
    found = sized.filter(pl.col("monthly_fen") > pl.col("persons") * ctx.cap_fen)
    return _flags(
        found, Flag.Code.CAP, "monthly_fen", pl.lit(ctx.cap_fen).alias("cap_fen"), "persons"
    )


def change(lines: pl.DataFrame, ctx: Context) -> pl.DataFrame:
    numerator, denominator = ctx.change
    found = lines.join(ctx.previous, on="beneficiary_id").filter(
        (pl.col("amount_fen") - pl.col("previous_fen")).abs() * denominator
        > pl.col("previous_fen") * numerator
    )
    return _flags(found, Flag.Code.CHANGE, "previous_fen", "amount_fen")


def account(lines: pl.DataFrame, ctx: Context) -> pl.DataFrame:
    found = (
        lines.filter(pl.col("amount_fen") > 0)
        .join(ctx.payees, left_on="beneficiary_id", right_on="person_id")
        .filter(pl.col("account_state") != "ok")
    )
    return _flags(found, Flag.Code.ACCOUNT, pl.col("account_state").alias("reason"))


def run_all(lines: pl.DataFrame, ctx: Context, live: pl.DataFrame) -> pl.DataFrame:
    """Every check's findings; `lines` carries household_case, case_number and decided_on."""
    found = [
        dead(lines, ctx),
        overpaid(lines, ctx),
        two_households(lines, ctx, live),
        two_counties(lines, ctx),
        exclusive(lines, ctx),
        relative(lines, ctx),
        change(lines, ctx),
        cap(lines, ctx),
        account(lines, ctx),
    ]
    return pl.concat([f.cast(FLAG_SCHEMA) for f in found]).sort("beneficiary_id", "code")


# ---- bank accounts ------------------------------------------------------------------------------

CARD_PREFIX = "62"  # 银联 cards: 16–19 digits with a Luhn check digit (ISO/IEC 7812)


def account_state(bank_name: pl.Expr, account: pl.Expr) -> pl.Expr:
    """ok, no_account, no_bank or invalid: digits only, 6–32 of them (the registry's rule), and
    a 银联 card number's check digit right."""
    digits = account.str.contains(r"^\d{6,32}$")
    card = account.str.starts_with(CARD_PREFIX) & account.str.len_chars().is_between(16, 19)
    return (
        pl.when(account.is_null() | (account == ""))
        .then(pl.lit("no_account"))
        .when(bank_name.is_null() | (bank_name.str.strip_chars() == ""))
        .then(pl.lit("no_bank"))
        .when(~digits.fill_null(False) | (card & ~luhn_valid(account)))
        .then(pl.lit("invalid"))
        .otherwise(pl.lit("ok"))
    )


def luhn_valid(number: pl.Expr) -> pl.Expr:
    reversed_digits = number.str.reverse()
    total = pl.lit(0, pl.Int32)
    for position in range(19):
        digit = reversed_digits.str.slice(position, 1).cast(pl.Int32, strict=False).fill_null(0)
        if position % 2:
            digit = pl.when(digit * 2 > 9).then(digit * 2 - 9).otherwise(digit * 2)
        total = total + digit
    return total % 10 == 0
