"""Numbers as reports print them: "1,234", "十五件", "二〇一八年", "无" -> int.

Everything here works on normalised text (NFKC, so digits are ASCII). Absent is
``None``, never 0; only words that state "none" (无, 未收到, 没有发生, 零) give 0.
"""

from __future__ import annotations

import re

_CN = "〇零一二两三四五六七八九十百千万"
_COUNTERS = "件|条|起|宗|个|项|次|份|篇|期|场|人次|名|例|批"
_YEAR_CN = re.compile(r"([〇零一二三四五六七八九]{4})([ \t]*年)")
# Lookbehinds come after a first literal character, so the scan for that character stays fast.
_MONTH_DAY_CN = re.compile(r"年(?<=\d年)([一二三四五六七八九十]{1,3})月(?:([一二三四五六七八九十]{1,3})日)?")
# a Chinese numeral directly before a counter word: 十五件, 两起, 一百零五条
_COUNTED_CN = re.compile(rf"([{_CN}](?<![第{_CN}][{_CN}])[{_CN}]*)(?=(?:{_COUNTERS}))")
_THOUSANDS = re.compile(r",(?<=\d,)(?=\d{3}(?!\d))")
_ANY_CN = re.compile(f"[{_CN}]")
_INT = re.compile(r"[-−]?\d+")
_FLOAT = re.compile(r"[-−]?\d+\.\d+")
_DIGITS_ONLY = {ord(c): str(i) for i, c in enumerate("〇一二三四五六七八九")} | {ord("零"): "0"}

_OCR_DIGITS = re.compile(r"[0-9OolI]+")
_OCR_AS_DIGIT = str.maketrans("OolI", "0011")

# a figure an OCR read with letters for digits, standing alone in a row ("3ooI", "Io5", "l"); and a figure as printed
_OCR_TOKEN = re.compile(r"(?<![^\s|])[0-9OolI]*[OolI][0-9OolI]*(?![^\s|])")
_DIGIT_TOKEN = re.compile(r"(?<![^\s|])\d+(?![^\s|])")
# the same in a sentence: a figure before its counter word ("公开信息l8条", "申请l件"), letters and all
# the cheap test first: one of those letters beside a space, a digit or a counter word (most reports have none)
_OCR_NEAR = re.compile(rf"[OolI](?<=[\s|\d][OolI])|[OolI](?=[\s|\d]|{_COUNTERS}|條|個|項|場|餘|余)")
_OCR_COUNTED = re.compile(rf"(?<![A-Za-z0-9])[0-9OolI]{{0,8}}[OolI][0-9OolI]{{0,8}}(?=\s?(?:{_COUNTERS}|條|個|項|場|餘|余))")


def ocr_digits(line: str) -> str:
    """Figures an OCR read, its letters for digits put right: a figure before its counter word in a sentence
    ("l8条" -> "18条"), and a word of O, o, l, I and digits standing alone among a row's figures (a letters-only
    word of at most three when the row has two figures or more, or when a column's gap of two spaces or more sets
    it apart)."""
    figures = len(_DIGIT_TOKEN.findall(line))

    def fix(m: re.Match[str]) -> str:
        word = m.group()
        has_digit = any(ch.isdigit() for ch in word)
        gap = line[max(0, m.start() - 2) : m.start()]
        apart = figures >= 2 or (len(gap) == 2 and gap.isspace()) or gap.endswith(("\t", "|", "| "))
        return word.translate(_OCR_AS_DIGIT) if has_digit or (apart and len(word) <= 3) else word

    line = _OCR_COUNTED.sub(lambda m: m.group().translate(_OCR_AS_DIGIT), line)
    return _OCR_TOKEN.sub(fix, line)


def maybe_ocr(text: str) -> bool:
    """Whether ``text`` has a word ``ocr_digits`` may read as a figure."""
    return _OCR_NEAR.search(text) is not None


CELL_NONE = {"", "-", "—", "–", "/", "\\", "——", "--", "空"}
CELL_ZERO = {"无", "零", "0"}


_ONE_CHARACTER = {"〇": 0, "零": 0, "两": 2, "十": 10} | {c: i for i, c in enumerate("一二三四五六七八九", start=1)}


def cn_numeral(text: str) -> int | None:
    """十五 -> 15, 两 -> 2, 一百零五 -> 105; None when it is not a numeral."""
    if text in _ONE_CHARACTER:  # the commonest (一件, 两起): as cn2an reads them, without importing it
        return _ONE_CHARACTER[text]
    import cn2an  # here: importing it costs a quarter of a second, and most builds need it for few files

    try:
        value = cn2an.cn2an(text, "normal")
    except (ValueError, KeyError, IndexError):
        return None
    return int(value) if float(value).is_integer() else None


def _counted(match: re.Match[str]) -> str:
    value = cn_numeral(match.group(1))
    return match.group(0) if value is None else str(value)


def _month_day(match: re.Match[str]) -> str:
    month = cn_numeral(match.group(1))
    day = cn_numeral(match.group(2)) if match.group(2) else None
    if month is None:
        return match.group(0)
    return f"年{month}月" + (f"{day}日" if day is not None else "")


def digits_for_numerals(text: str) -> str:
    """Rewrite the Chinese numerals that count or date something as digits."""
    if not _ANY_CN.search(text):
        return _THOUSANDS.sub("", text)
    text = _YEAR_CN.sub(lambda m: m.group(1).translate(_DIGITS_ONLY) + m.group(2), text)
    text = _MONTH_DAY_CN.sub(_month_day, text)
    text = _COUNTED_CN.sub(_counted, text)
    return _THOUSANDS.sub("", text)


MAX_COUNT_DIGITS = 9  # no office counts a billion of anything: a longer number is a misreading


def count(digits: str) -> int | None:
    """A count as printed ("18") -> 18; a fraction or an implausibly long number is not a count: None."""
    if not digits.isascii() or not digits.isdigit() or len(digits) > MAX_COUNT_DIGITS:
        return None
    return int(digits)


def parse_cell(cell: str) -> int | float | None:
    """A table cell: "12" -> 12, "96171.6" -> 96171.6, "无" -> 0, "" or "—" -> None."""
    if cell.isascii() and cell.isdigit():
        return int(cell) if len(cell) <= MAX_COUNT_DIGITS * 2 else None
    cell = cell.strip().replace(",", "")  # "50 3" is two cells an OCR read as one, not 503
    if cell in CELL_NONE:
        return None
    if cell in CELL_ZERO:
        return 0
    if len(cell) > MAX_COUNT_DIGITS * 2:
        return None
    if _OCR_DIGITS.fullmatch(cell) and any(ch.isdigit() for ch in cell):
        cell = cell.translate(_OCR_AS_DIGIT)  # OCR's O for 0, l or I for 1, in a cell of digits
    if _INT.fullmatch(cell):
        return int(cell.replace("−", "-"))
    if _FLOAT.fullmatch(cell):
        return float(cell.replace("−", "-"))
    return None


def amount(number: str, unit: str) -> int | float:
    """ "3940", "元" -> 3940; "1.5", "万元" -> 15000."""
    value = float(number[:20])
    if unit.startswith("万"):
        value *= 10_000
    return int(value) if value.is_integer() else round(value, 2)
