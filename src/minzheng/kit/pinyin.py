"""Pinyin of Chinese names for search ("zhangsan", initials "zs"), fast enough for bulk loads."""

from functools import lru_cache

from pypinyin import lazy_pinyin


@lru_cache(maxsize=50_000)
def _syllable(char: str) -> str:
    return lazy_pinyin(char)[0].lower() if "\u4e00" <= char <= "\u9fff" else char.lower()


def name_pinyin(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of a name, one reading per character."""
    syllables = [_syllable(char) for char in name if not char.isspace()]
    return "".join(syllables), "".join(s[0] for s in syllables if s)
