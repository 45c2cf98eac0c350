"""Normalised lines that keep their source line numbers.

Full-width digits and punctuation become ASCII (NFKC), ideographic and
non-breaking spaces become spaces, Traditional characters become Simplified,
Chinese numerals that count or date something become digits, thousands
separators go. The printed line is kept beside the normalised one for evidence.
"""

from __future__ import annotations

import re
import unicodedata

from nianbao.model import Line
from nianbao.parse.numbers import digits_for_numerals

# characters common in Traditional reports and absent from Simplified ones
_TRADITIONAL_HINTS = set("開請報與國務處會記資條機關個數說構錄辦當電總統審議執結轉類對應屬")
_MARKUP = re.compile(r"\*\*|__|^#{1,6}\s+|^>\s?")
_SPACES = re.compile(r"[ \u00a0\u2000-\u200b\u3000\ufeff]+")
_DOTS = str.maketrans({"○": "〇", "Ｏ": "〇", "．": ".", "﹒": ".", "·": "·"})
_converter = None


def _to_simplified(text: str) -> str:
    global _converter
    if _converter is None:
        import opencc

        _converter = opencc.OpenCC("t2s")
    return _converter.convert(text)


def normalise(line: str, traditional: bool = False) -> str:
    """One printed line -> the form the parse rules read."""
    if traditional:
        line = _to_simplified(line)
    text = unicodedata.normalize("NFKC", line.translate(_DOTS))
    text = _MARKUP.sub("", text.strip())
    text = _SPACES.sub(" ", text.replace("\t", "\x00")).replace("\x00", "\t")
    return digits_for_numerals(text)


def split_lines(text: str) -> list[Line]:
    """The text of a report -> its lines, numbered from 1, blank lines kept out."""
    out = []
    traditional = len(_TRADITIONAL_HINTS.intersection(text)) >= 2
    for number, raw in enumerate(re.split(r"\r\n|\r|\n|\u2028|\u2029", text), start=1):
        norm = normalise(raw, traditional)
        if norm.strip():
            out.append(Line(number, norm, raw.strip()))
    return out
