"""A report's lines joined into sentences and clauses (PDF text wraps mid-sentence), each offset traceable to its
line and to the section (numbered heading) it sits in: what the prose rules read."""

from __future__ import annotations

import bisect
import re
from typing import NamedTuple

from nianbao.model import Evidence, Line

_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}\s*[、.\s]|\d{1,2}\s*、|\(\s*[一二三四五六七八九十]{1,3}\s*\)|第[一二三四五六七八九十]+[部分章节])"
)
# a statistics table's row as the 2008-2018 reports print it, unit before the figure: "收到申请数（件） 15" -> "收到申请数15件"
_UNIT_FIRST = re.compile(r"([\u4e00-\u9fff])\s*\((条|件|项|个|次|宗|万元|元)\)\s*[:：|]?\s*(\d+(?:\.\d+)?)(?![\d.])")
_OPENING_YEAR = re.compile(r"^\s*(?:\(?[一二三四五六七八九十\d]{1,2}[).、]\s*)?((?:19|20)\d\d)\s*年")
_SENTENCE = re.compile(r"[^。!?]+")
_CLAUSE = re.compile(r"[^,;]+")


class Clause(NamedTuple):  # a tuple: made ~200 times per report, and cheap to make
    text: str
    start: int  # offset in the joined document
    sentence: str
    heading: int  # index of the section the clause sits in


_clause = tuple.__new__  # Clause(...) runs a __new__ written in Python: a quarter of making the clauses


_RUN_ON = re.compile(r"[。!?;].")  # a full stop with more after it: a sentence goes on, the line is no heading


def _is_heading(text: str) -> bool:
    """ "(一)主动公开情况": short and numbered, and not the first line of a paragraph wrapped after a run-in heading
    ("(二)公开的数量。截止到2017年12月31日,兴隆街道主动公开" / "政府信息总数88条。")."""
    return bool(_HEADING.match(text)) and len(text) <= 45 and not _RUN_ON.search(text)


class Document:
    """Lines joined into sentences and clauses, each offset traceable to its line."""

    def __init__(self, lines: list[Line], year: int | None = None):
        self.lines = lines
        self.year = year  # the report's: a clause about another year ("2021年主动公开…65条" in 2022's) is not read
        parts: list[str] = []
        self.starts: list[int] = []
        self.headings: list[int] = []
        self.titles = [""]
        pos = 0
        section = 0
        for i, line in enumerate(lines):
            text = _UNIT_FIRST.sub(r"\1\3\2", line.text.replace("\t", " "))
            heading = _is_heading(text)  # a heading is a sentence of its own
            if heading:
                section += 1
                self.titles.append(text)
                # a heading ends the sentence before it
                if parts and not parts[-1].endswith("。"):
                    parts[-1] += "。"
                    pos += 1
            self.starts.append(pos)
            self.headings.append(section)
            boundary = i + 1 < len(lines) and (heading or len(text) < 20 or _HEADING.match(lines[i + 1].text))
            if boundary and not text.endswith(("。", ";", ":", ",")):
                text += "。"
            parts.append(text)
            pos += len(text)
        self.text = "".join(parts)
        self._clauses: list[Clause] | None = None

    def line_at(self, offset: int) -> Line:
        return self.lines[max(0, bisect.bisect_right(self.starts, offset) - 1)]

    def section_at(self, offset: int) -> int:
        return self.headings[max(0, bisect.bisect_right(self.starts, offset) - 1)]

    def evidence(self, offset: int) -> Evidence:
        line = self.line_at(offset)
        return Evidence(line.number, line.raw)

    def clauses(self) -> list[Clause]:
        if self._clauses is None:
            self._clauses = []
            for s in _SENTENCE.finditer(self.text):
                sentence = s.group()  # one string shared by the sentence's clauses
                base = s.start()
                heading = self.section_at(base)  # a heading always starts a sentence
                found = _CLAUSE.finditer(sentence)
                self._clauses += [_clause(Clause, (c.group(), base + c.start(), sentence, heading)) for c in found]
            self._clauses = self._of_the_year(self._clauses)
        return self._clauses

    def _of_the_year(self, clauses: list[Clause]) -> list[Clause]:
        """The clauses but those a clause opening with another year leads ("2021年主动公开政府信息65条,2022年…80条"
        in 2022's report): where the report opens clauses with its own year too, the other year's figures are that
        year's. (Where it never does, its year may be misread or its sentences undated: all are kept.)"""
        opening = [_OPENING_YEAR.match(c.text) for c in clauses]
        if self.year is None or not any(m and int(m.group(1)) == self.year for m in opening):
            return clauses
        kept, other, sentence = [], False, None
        for c, m in zip(clauses, opening, strict=True):
            if c.sentence is not sentence:
                sentence, other = c.sentence, False
            if m:
                other = int(m.group(1)) != self.year
            if not other:
                kept.append(c)
        return kept
