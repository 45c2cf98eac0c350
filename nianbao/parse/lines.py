"""Normalised lines that keep their source line numbers.

Full-width digits and punctuation become ASCII (NFKC), ideographic and
non-breaking spaces become spaces, zero-width characters go, Traditional characters become Simplified,
Chinese numerals that count or date something become digits, thousands
separators go. The printed line is kept beside the normalised one for evidence.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from typing import NamedTuple

from nianbao.model import Line
from nianbao.parse.numbers import digits_for_numerals, maybe_ocr, ocr_digits

# characters common in Traditional reports and absent from Simplified ones
_TRADITIONAL_HINTS = re.compile("[開請報與國務處會記資條機關個數說構錄辦當電總統審議執結轉類對應屬]")
# a run of spaces of any kind but one plain space (the only run that needs no change)
_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u3000][ \u00a0\u2000-\u200a\u3000]*| [ \u00a0\u2000-\u200a\u3000]+")
# characters of no width a page's editor or a crawler leaves inside words (予以公\u200b开): they are nothing, not a space
_ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060\ufeff]")
_DOTS = (("○", "〇"), ("Ｏ", "〇"), ("．", "."), ("﹒", "."))  # str.translate is slow on CJK text
_converter = None


def _to_simplified(text: str) -> str:
    global _converter
    if _converter is None:
        import opencc

        _converter = opencc.OpenCC("t2s")
    return str(_converter.convert(text))


# NFKC leaves ASCII, CJK Unified Ideographs and the common Chinese punctuation below as they
# are. Normalising only the runs of other characters is several times faster on a report; it
# gives an equivalent text, so when that text is in NFKC form it is the NFKC form (otherwise,
# say a combining mark after a letter, the whole text is normalised).
_MAYBE_NOT_NFKC = re.compile(r"[^\x00-\x7f\u4e00-\u9fff。、“”‘’《》〈〉「」『』【】〔〕—·]+")


# full-width punctuation common in every report: one replace each is far cheaper than normalising
# each of the hundreds of runs they would otherwise be
_COMMON = tuple((c, unicodedata.normalize("NFKC", c)) for c in "，：；（）！？％")


def nfkc(text: str) -> str:
    """NFKC of ``text``, normalising only the runs that may change."""
    for wide, narrow in _COMMON:
        text = text.replace(wide, narrow)
    runs = _MAYBE_NOT_NFKC.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    return runs if unicodedata.is_normalized("NFKC", runs) else unicodedata.normalize("NFKC", text)


_LINE_BREAK = re.compile(r"\r\n|\r|\n|\u2028|\u2029")
# Tesseract's text of a Chinese scan puts a space between every two characters ("本 年 新 收"): in a line where
# spaced pairs outnumber touching ones, a single space between two Chinese characters (or their punctuation) goes
_HAN = "\u4e00-\u9fff\u3001-\u3011()"
_SPACED_RUN = re.compile(f"[{_HAN}] [{_HAN}] [{_HAN}]")
_SPACED_PAIR = re.compile(f"(?<=[{_HAN}]) (?=[{_HAN}])")
_TOUCHING_PAIR = re.compile("[\u4e00-\u9fff](?=[\u4e00-\u9fff])")


def _unspaced(line: str) -> str:
    """A line of Chinese with a space between every two characters, the spaces gone; any other line as it is."""
    spaced = len(_SPACED_PAIR.findall(line))
    if spaced and spaced > len(_TOUCHING_PAIR.findall(line)):
        return digits_for_numerals(_SPACED_PAIR.sub("", line))  # "申 请 一 件" is "申请1件" once it is "申请一件"
    return line


# pinyin a mirror site injects inside words: 數(shù)據(jù) -> 數據 (a syllable with a tone mark, in brackets, after a character)
_PINYIN = re.compile(r"(?<=[\u4e00-\u9fff])\((?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]{1,7}\)")


def normalise(text: str, traditional: bool = False) -> str:
    """Printed text -> the form the parse rules read; line breaks are left where they are."""
    if traditional:
        text = _to_simplified(text)
    for old, new in _DOTS:
        if old in text:
            text = text.replace(old, new)
    text = nfkc(text)
    if _ZERO_WIDTH.search(text):
        text = _ZERO_WIDTH.sub("", text)
    if "(" in text:
        text = _PINYIN.sub("", text)
    text = _SPACES.sub(" ", text)
    return digits_for_numerals(text)


def source_lines(text: str) -> list[str]:
    """The printed lines of a text, split the way line numbers count them (from 1)."""
    return _LINE_BREAK.split(text)


def split_lines(text: str) -> list[Line]:
    """The text of a report -> its lines, numbered from 1, blank lines kept out.

    The whole text is normalised at once (the rules never join or break lines),
    then split the same way as the printed text so the two stay aligned.
    """
    traditional = len(set(_TRADITIONAL_HINTS.findall(text))) >= 2
    raws = source_lines(text)
    if maybe_ocr(text):  # an OCR's letters for digits in a row of figures ("3ooI  53  0"), read where its gaps are
        text = "\n".join(ocr_digits(raw) if maybe_ocr(raw) else raw for raw in raws)
    norms = _LINE_BREAK.split(normalise(text, traditional))
    if len(norms) != len(raws):  # a normalisation that moved a break: fall back line by line
        norms = [normalise(raw, traditional) for raw in _LINE_BREAK.split(text)]
    if _SPACED_RUN.search("\n".join(norms)):  # cheap test on the whole text first
        norms = [_unspaced(norm) for norm in norms]
    if "\f" in text:
        _drop_page_numbers(raws, norms)
    out = []
    for number, (raw, norm) in enumerate(zip(raws, norms, strict=True), start=1):
        norm = norm.strip()
        if norm:
            out.append(Line(number, norm, raw.strip()))
    return out


_BARE_PAGE_NUMBER = re.compile(r"\s*\d{1,3}\s*")


def _drop_page_numbers(raws: list[str], norms: list[str]) -> None:
    """pdftotext's text: a form feed starts each page, and a number alone on the last line before it or the first
    line after it is the page's number, not a cell of the table the page break cut ("行政许可  447228" / "3")."""
    filled = [i for i, norm in enumerate(norms) if norm.strip()]
    for i, raw in enumerate(raws):
        if "\f" in raw:  # the nearest line with text above the page break, and the first from it on
            k = bisect.bisect_left(filled, i)
            for j in filled[max(0, k - 1) : k + 1]:
                if _BARE_PAGE_NUMBER.fullmatch(norms[j]):
                    norms[j] = ""


def runs_on(before: Line, line: Line) -> bool:
    """``line`` goes on the paragraph ``before`` (printed right above it) left open inside a word or a figure."""
    text = before.text
    if line.number != before.number + 1 or len(text) < 20 or not ("\u4e00" <= text[-1] <= "\u9fff" or text[-1].isdigit()):
        return False
    return "\t" not in text and "|" not in text


class Paragraph(NamedTuple):
    """Lines of one paragraph joined: its text, its lines, and where each line after the first starts in it."""

    text: str
    lines: tuple[Line, ...]
    starts: tuple[int, ...] = ()

    def line_at(self, pos: int) -> Line:
        return self.lines[bisect.bisect_right(self.starts, pos)] if self.starts else self.lines[0]


def paragraphs(lines: list[Line]) -> list[Paragraph]:
    """Lines joined where a paragraph wraps (a line of 20 or more characters, no table row, that ends inside a word
    or a figure, and the next line printed right below it). A name an OCR or a PDF wrapped ("官洲街" /
    "道办事处认真…") is read whole, not from the second line's start."""
    out: list[Paragraph] = []
    i = 0
    while i < len(lines):
        j = i + 1
        while j < len(lines) and runs_on(lines[j - 1], lines[j]):
            j += 1
        if j == i + 1:
            out.append(Paragraph(lines[i].text, (lines[i],)))
        else:
            group = tuple(lines[i:j])
            starts = tuple(itertools.accumulate(len(line.text) for line in group[:-1]))
            out.append(Paragraph("".join(line.text for line in group), group, starts))
        i = j
    return out
