"""Pure functions on 12-digit 统计用区划代码: levels, prefixes, ancestry. No database.

A code nests its ancestors: 省(2) 市(2) 县(2) 乡(3) 村(3). The descendants of a region are
exactly the codes that start with its significant prefix, which is what makes region scoping
a single indexed `LIKE 'prefix%'` instead of a tree walk.
"""

PROVINCE, CITY, COUNTY, TOWNSHIP, VILLAGE = 1, 2, 3, 4, 5
PREFIX_LENGTH = {PROVINCE: 2, CITY: 4, COUNTY: 6, TOWNSHIP: 9, VILLAGE: 12}
CODE_LENGTH = 12


def normalize_code(code: str) -> str:
    """Accept 2/4/6/9/12-digit forms (GB/T 2260 6-digit codes included); return 12 digits."""
    code = code.strip()
    if not code.isdigit() or len(code) not in PREFIX_LENGTH.values():
        raise ValueError(f"区划代码格式不正确：{code!r}（应为2、4、6、9或12位数字）")
    return code.ljust(CODE_LENGTH, "0")


def level_of(code: str) -> int:
    if code[9:] != "000":
        return VILLAGE
    if code[6:9] != "000":
        return TOWNSHIP
    if code[4:6] != "00":
        return COUNTY
    if code[2:4] != "00":
        return CITY
    return PROVINCE


def prefix_of(code: str) -> str:
    return code[: PREFIX_LENGTH[level_of(code)]]


def is_within(code: str, ancestor_code: str) -> bool:
    """True when `code` is `ancestor_code` itself or lies inside it."""
    return code.startswith(prefix_of(ancestor_code))


def ancestor_codes(code: str) -> list[str]:
    """Codes of all ancestors, province first (the region itself not included)."""
    level = level_of(code)
    return [code[: PREFIX_LENGTH[lvl]].ljust(CODE_LENGTH, "0") for lvl in range(PROVINCE, level)]


def county_of(code: str) -> str:
    """The 12-digit code of the county (区县) a region of county level or below lies in."""
    return code[: PREFIX_LENGTH[COUNTY]].ljust(CODE_LENGTH, "0")


URBAN, RURAL = "urban", "rural"
_URBAN_UNIT_SUFFIXES = ("居民委员会", "居委会", "社区")


def area_type_of(name: str, urban_rural: str, level: int) -> str:
    """Urban or rural, for villages: from the 城乡分类代码 when the data has it (1xx urban,
    2xx rural); otherwise from the kind of unit — 居民委员会/社区 are urban communities,
    村民委员会 (and 嘎查、牧委会 …) rural. Higher levels are neither ("")."""
    if urban_rural:
        return URBAN if urban_rural.startswith("1") else RURAL
    if level != VILLAGE:
        return ""
    return URBAN if name.endswith(_URBAN_UNIT_SUFFIXES) else RURAL
