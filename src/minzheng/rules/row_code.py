"""Polars expressions compiled to plain Python over dict rows: the one-household executor.

On one household, Polars spends 20–60 µs on each plan step whatever the size of the data, so the
case screen and the API would pay milliseconds for a few rows. This module reads the *same*
expression objects the programs build (through their serialized form) and generates Python
source that computes them row by row with Polars' semantics: nulls propagate through arithmetic
and comparisons, `&`/`|` follow Kleene logic, `when` treats a null condition as false, integer
`//` and `%` floor and give null on a zero divisor, a window sum skips nulls.

Only the expression nodes the programs use are supported; anything else raises
`Unsupported` naming the node, at compile time. The parity and scenario tests run every
program through both executors and require equal results.
"""

import io
import json
from collections.abc import Callable

import polars as pl


class Unsupported(NotImplementedError):
    pass


ARITHMETIC = {"Plus": "+", "Minus": "-", "Multiply": "*"}
DIVISION = {"FloorDivide": "//", "Modulus": "%"}
COMPARISON = {"Eq": "==", "NotEq": "!=", "Lt": "<", "LtEq": "<=", "Gt": ">", "GtEq": ">="}
CASTS = {"Boolean": "bool", "Float32": "float", "Float64": "float", "String": "str"}
INTEGERS = {f"{sign}Int{bits}" for sign in ("", "U") for bits in (8, 16, 32, 64)}
TEMPORAL = {"Year": "year", "Month": "month", "Day": "day"}
BETWEEN = {"Both": ("<=", "<="), "Left": ("<=", "<"), "Right": ("<", "<="), "None": ("<", "<")}


def output_name(expr: pl.Expr) -> str:
    return expr.meta.output_name()


def tree(expr: pl.Expr) -> dict | str:
    return json.loads(expr.meta.serialize(format="json"))


def _least(*values):
    present = [v for v in values if v is not None]
    return min(present) if present else None


def _greatest(*values):
    present = [v for v in values if v is not None]
    return max(present) if present else None


HELPERS = {"_least": _least, "_greatest": _greatest}


class Code:
    """Python source for a group of expressions, with its constants and temporaries."""

    def __init__(self) -> None:
        self.constants: dict[str, object] = {}
        self.windows: list[str] = []  # statements run over all rows before the row loop
        self._temps = 0

    def temp(self) -> str:
        self._temps += 1
        return f"_t{self._temps}"

    def constant(self, value) -> str:
        name = f"_k{len(self.constants)}"
        self.constants[name] = value
        return name

    def function(self, source: str, name: str) -> Callable:
        namespace = dict(HELPERS) | self.constants
        exec(compile(source, f"<rules:{name}>", "exec"), namespace)  # noqa: S102 - our own code
        return namespace[name]

    # -- row context: an expression of the row `r` ---------------------------------------

    def row(self, node) -> str:
        kind, body = _split(node)
        if kind == "Column":
            return f"r[{body!r}]"
        if kind == "Literal":
            return self._literal(node)
        if kind == "Alias":
            return self.row(body[0])
        if kind == "BinaryExpr":
            return self._binary(body)
        if kind == "Ternary":
            predicate = self.row(body["predicate"])
            truthy, falsy = self.row(body["truthy"]), self.row(body["falsy"])
            return f"({truthy} if {predicate} is True else {falsy})"
        if kind == "Cast":
            return self._cast(body)
        if kind == "Function":
            return self._function(body)
        if kind == "Over":
            return self._window(body)
        raise Unsupported(f"一户执行器不支持表达式节点 {kind}")

    # -- shared node kinds ---------------------------------------------------------------

    def _literal(self, node) -> str:
        value = pl.select(_expression(node)).item()
        if isinstance(value, pl.Series):  # is_in's list
            return self.constant(frozenset(value.to_list()))
        if value is None or isinstance(value, bool | int | str):
            return repr(value)
        return self.constant(value)

    def _binary(self, body: dict, operand: Callable[[object], str] | None = None) -> str:
        operand = operand or self.row
        op, left, right = body["op"], operand(body["left"]), operand(body["right"])
        a, b = self.temp(), self.temp()
        if op in ("And", "LogicalAnd"):
            return (
                f"(False if ({a} := {left}) is False or ({b} := {right}) is False "
                f"else None if {a} is None or {b} is None else True)"
            )
        if op in ("Or", "LogicalOr"):
            return (
                f"(True if ({a} := {left}) is True or ({b} := {right}) is True "
                f"else None if {a} is None or {b} is None else False)"
            )
        symbol = ARITHMETIC.get(op) or COMPARISON.get(op) or DIVISION.get(op)
        if symbol is None:
            raise Unsupported(f"一户执行器不支持运算 {op}")
        zero = f" or {b} == 0" if op in DIVISION else ""
        return (
            f"(None if ({a} := {left}) is None or ({b} := {right}) is None{zero} "
            f"else {a} {symbol} {b})"
        )

    def _cast(self, body: dict) -> str:
        dtype = body["dtype"].get("Literal") if isinstance(body["dtype"], dict) else None
        convert = "int" if dtype in INTEGERS else CASTS.get(dtype)
        if convert is None:
            raise Unsupported(f"一户执行器不支持类型转换 {body['dtype']}")
        value = self.temp()
        return f"(None if ({value} := {self.row(body['expr'])}) is None else {convert}({value}))"

    def _function(self, body: dict) -> str:
        inputs = [self.row(node) for node in body["input"]]
        kind, options = _split(body["function"])
        if kind == "Boolean":
            return self._boolean(options, inputs)
        value = self.temp()
        if kind == "FillNull":
            return f"({inputs[1]} if ({value} := {inputs[0]}) is None else {value})"
        if kind == "Negate":
            return f"(None if ({value} := {inputs[0]}) is None else -{value})"
        if kind in ("MinHorizontal", "MaxHorizontal"):
            helper = "_least" if kind == "MinHorizontal" else "_greatest"
            return f"{helper}({', '.join(inputs)})"
        if kind == "Clip":
            low = inputs[1] if options["has_min"] else "None"
            high = inputs[-1] if options["has_max"] else "None"
            return (
                f"(None if ({value} := {inputs[0]}) is None "
                f"else _greatest(_least({value}, {high}), {low}))"
            )
        if kind == "TemporalExpr" and options in TEMPORAL:
            return f"(None if ({value} := {inputs[0]}) is None else {value}.{TEMPORAL[options]})"
        raise Unsupported(f"一户执行器不支持函数 {kind} {options or ''}")

    def _boolean(self, kind_and_options, inputs: list[str]) -> str:
        kind, options = _split(kind_and_options)
        value = self.temp()
        if kind == "Not":
            return f"(None if ({value} := {inputs[0]}) is None else not {value})"
        if kind == "IsNull":
            return f"({inputs[0]} is None)"
        if kind == "IsNotNull":
            return f"({inputs[0]} is not None)"
        if kind == "IsIn":
            return f"(None if ({value} := {inputs[0]}) is None else {value} in {inputs[1]})"
        if kind == "IsBetween":
            low, high = BETWEEN[options["closed"]]
            return (
                f"(None if ({value} := {inputs[0]}) is None else "
                f"{inputs[1]} {low} {value} {high} {inputs[2]})"
            )
        if kind in ("AnyHorizontal", "AllHorizontal"):
            return self._kleene_fold("Or" if kind == "AnyHorizontal" else "And", inputs)
        raise Unsupported(f"一户执行器不支持布尔函数 {kind}")

    def _kleene_fold(self, op: str, inputs: list[str]) -> str:
        folded = inputs[0]
        for following in inputs[1:]:
            folded = self._binary_code(op, folded, following)
        return folded

    def _binary_code(self, op: str, left: str, right: str) -> str:
        return self._binary({"op": op, "left": left, "right": right}, lambda code: code)

    def _window(self, body: dict) -> str:
        """`agg.over(key)` as a pre-pass: per key, the sum of the rows' values."""
        (key,) = body["partition_by"]
        kind, aggregation = _split(body["function"])
        agg, inner = _split(aggregation) if kind == "Agg" else (None, None)
        if agg != "Sum" or _split(key)[0] != "Column" or body["order_by"] is not None:
            raise Unsupported("一户执行器只支持按一列分组的 sum().over()")
        totals, value, by = self.temp(), self.temp(), self.row(key)
        self.windows.append(
            f"{totals} = {{}}\n"
            f"    for r in rows:\n"
            f"        {value} = {self.row(inner)}\n"
            f"        if {value} is not None:\n"
            f"            {totals}[{by}] = {totals}.get({by}, 0) + {value}"
        )
        return f"{totals}.get({by}, 0)"


def _split(node) -> tuple[str, object]:
    if isinstance(node, str):
        return node, None
    ((kind, body),) = node.items()
    return kind, body


def _expression(node) -> pl.Expr:
    return pl.Expr.deserialize(io.StringIO(json.dumps(node)), format="json")


def row_step(expressions: tuple[pl.Expr, ...], name: str) -> Callable[[list[dict]], None]:
    """A function adding the expressions' columns to every row (in place). As in Polars'
    `with_columns`, every expression reads the rows as they were before the step."""
    code = Code()
    values = [code.row(tree(e)) for e in expressions]
    names = [output_name(e) for e in expressions]
    computed = "\n".join(f"        _v{i} = {value}" for i, value in enumerate(values))
    stored = "\n".join(f"        r[{n!r}] = _v{i}" for i, n in enumerate(names))
    windows = "".join(f"    {w}\n" for w in code.windows)
    source = f"def {name}(rows):\n{windows}    for r in rows:\n{computed}\n{stored}\n"
    return code.function(source, name)


def row_values(expressions: tuple[pl.Expr, ...], name: str) -> Callable[[dict], tuple]:
    """A function of one row giving the expressions' values, in order."""
    code = Code()
    values = ", ".join(code.row(tree(e)) for e in expressions)
    if code.windows:
        raise Unsupported("一户执行器的逐行取值不支持 over()")
    return code.function(f"def {name}(r):\n    return ({values},)\n", name)


def row_predicate(expression: pl.Expr, name: str) -> Callable[[dict], bool]:
    """A filter: true where the expression is true (null counts as false, as in Polars)."""
    code = Code()
    return code.function(f"def {name}(r):\n    return {code.row(tree(expression))} is True\n", name)
