"""Full-text search: a static index of every two-character sequence in the report texts.

Chinese has no spaces, and a word list never knows every street and road name,
so the index does not cut words: it lists, for every pair of adjacent characters
(after NFKC, lower case, whitespace removed), the reports that contain it. The
search page (site_src/site.js) cuts a query the same way, loads only the index
shards its pairs fall in, intersects them, and confirms each phrase in the
report's own page before it shows the report with a snippet. Any phrase of two
or more characters is found, whatever word it is part of.

Files go under ``search/`` through the Writer: ``search/docs.json`` (shard count
and the reports: id, agency, year) and ``search/<n>.json`` (pair -> report
numbers, each a gap from the one before).
"""

from __future__ import annotations

import bisect
import importlib
import itertools
import json
import re
import unicodedata
from typing import TYPE_CHECKING

from nianbao.forked import write_shares
from nianbao.model import Report
from nianbao.parse.lines import nfkc
from nianbao.render.memo import Memo, fingerprint
from nianbao.render.views import label
from nianbao.write import Writer

if TYPE_CHECKING:
    import numpy as np

FOLDER = "search"
SHARD_BYTES = 40_000  # about what one shard file holds: a query loads one for each pair, an edit rewrites a few
_SPACE = re.compile(r"\s+")


_COMMON = tuple((c, unicodedata.normalize("NFKC", c)) for c in "，：；（）！？％")  # NFKC's own mapping


def searchable(text: str) -> str:
    """Text as the index and the query see it: NFKC, lower case, no whitespace."""
    for wide, narrow in _COMMON:  # one replace each is far cheaper than normalising each of thousands of runs
        text = text.replace(wide, narrow)
    return _SPACE.sub("", nfkc(text).lower())


def shard_of(pair: str, shards: int) -> int:
    """The shard a pair is in; site.js computes the same."""
    return (ord(pair[0]) * 31 + ord(pair[1])) % shards


def _pairs(report: Report) -> np.ndarray:
    """The distinct pairs of adjacent characters in a report's text, each as one number (21 bits a character)."""
    import numpy as np  # here: a build with nothing to index need not import it

    codes = np.frombuffer(searchable(report.text).encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    return np.unique((codes[:-1] << np.uint64(21)) | codes[1:])


def _shard_count(postings: int, distinct: int) -> int:
    """Shards enough that each holds about SHARD_BYTES."""
    shards = 1
    while shards * SHARD_BYTES < postings * 2 + (distinct + 1) * 10:
        shards *= 2
    return shards


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _docs(reports: list[Report], shards: int) -> str:
    return _dumps({"shards": shards, "docs": [[r.id, label(r), r.year] for r in reports]})


State = tuple[list[str], int, int]  # files written, postings, distinct pairs


def index_reports(reports: list[Report], writer: Writer, memo: Memo, workers: int) -> None:
    """Write the search index of ``reports``. When the same reports as last time are there and only a
    few changed, only the shards their added or removed pairs fall in are made again; the index is
    the one a full build makes, byte for byte."""
    importlib.import_module("numpy.ma")  # np.unique imports it when first used: not in a preview's first edit
    stamp = tuple(fingerprint(r) for r in reports)
    each = memo.each("pairs", reports, _pairs, workers)  # each report's pairs, from the memo where it is unchanged
    last = memo.last.get(("search",))
    state = _update(reports, stamp, each, last, writer, memo) if last is not None else None
    memo.now[("search",)] = (stamp, state or _full(reports, each, writer, workers))


def _full(reports: list[Report], each: list[np.ndarray], writer: Writer, workers: int) -> State:
    import numpy as np

    pairs = np.concatenate(each) if each else np.zeros(0, np.uint64)
    numbers = np.repeat(np.arange(len(reports), dtype=np.int64), [len(p) for p in each])
    order = np.argsort(pairs, kind="stable")  # stable: each pair's reports stay in order
    pairs, numbers = pairs[order], numbers[order]
    gaps = numbers.copy()
    gaps[1:] -= numbers[:-1]
    starts = np.flatnonzero(np.diff(pairs, prepend=np.uint64(0), append=np.uint64(0)) != 0)
    gaps[starts[:-1]] = numbers[starts[:-1]]  # each list starts from report 0
    codes = pairs[starts[:-1]]
    shards = _shard_count(len(pairs), len(codes))
    # shard_of, for every pair at once; the pairs of a shard stay in code order
    in_shard = ((codes >> np.uint64(21)) * np.uint64(31) + (codes & np.uint64(0x1FFFFF))) % np.uint64(shards)
    by_shard = np.argsort(in_shard, kind="stable")
    bounds = np.searchsorted(in_shard[by_shard], np.arange(shards + 1))
    files = [f"{FOLDER}/docs.json"] + [f"{FOLDER}/{i}.json" for i in range(shards)]
    writer.write(files[0], _docs(reports, shards))

    def write_shards(share: int, shares: int, own: Writer) -> None:
        for n in range(share, shards, shares):
            part = {}
            for j in by_shard[bounds[n] : bounds[n + 1]].tolist():
                part[_pair(int(codes[j]))] = gaps[starts[j] : starts[j + 1]].tolist()
            own.write(files[n + 1], _dumps(part))

    write_shares(write_shards, len(codes) // 1000, workers, writer)  # a thousand pairs weigh about one page
    return files, len(pairs), len(codes)


def _pair(code: int) -> str:
    return chr(code >> 21) + chr(code & 0x1FFFFF)


def _update(
    reports: list[Report],
    stamp: tuple[object, ...],
    each: list[np.ndarray],
    last: tuple[object, object],
    writer: Writer,
    memo: Memo,
) -> State | None:
    """The last index changed where a few reports changed; None when a full index is needed (reports
    added, removed or renumbered, many changed, the shard count changes, or the last files are gone)."""
    import numpy as np

    last_stamp, (files, postings, distinct) = last  # type: ignore[misc]
    if len(last_stamp) != len(stamp) or any(a[2] != b[2] for a, b in zip(last_stamp, stamp, strict=True)):  # type: ignore[index]
        return None  # a report's number is its place among the ids
    changed = [i for i, (a, b) in enumerate(zip(last_stamp, stamp, strict=True)) if a != b]  # type: ignore[call-overload]
    if len(changed) > 50 or not all((writer.root / rel).is_file() for rel in files):
        return None
    shards = len(files) - 1
    edits: list[tuple[str, int, bool]] = []  # pair, report number, added (else removed)
    for i in changed:
        before = memo.last.get(("pairs", reports[i].id))
        if before is None:
            return None
        edits += [(_pair(int(c)), i, True) for c in np.setdiff1d(each[i], before[1])]  # type: ignore[arg-type]
        edits += [(_pair(int(c)), i, False) for c in np.setdiff1d(before[1], each[i])]  # type: ignore[arg-type]
    parts: dict[int, dict[str, list[int]]] = {}
    for pair, number, added in edits:
        n = shard_of(pair, shards)
        if n not in parts:
            try:
                parts[n] = json.loads((writer.root / files[n + 1]).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return None
        numbers = list(itertools.accumulate(parts[n].get(pair, [])))
        if added and number not in numbers:
            bisect.insort(numbers, number)
            postings, distinct = postings + 1, distinct + (len(numbers) == 1)
        elif not added and number in numbers:
            numbers.remove(number)
            postings, distinct = postings - 1, distinct - (not numbers)
        if numbers:
            parts[n][pair] = [numbers[0]] + [b - a for a, b in itertools.pairwise(numbers)]
        else:
            parts[n].pop(pair, None)
    if _shard_count(postings, distinct) != shards:
        return None
    writer.write(files[0], _docs(reports, shards))
    for n in range(shards):
        if n in parts:
            writer.write(files[n + 1], _dumps(dict(sorted(parts[n].items()))))  # pairs in code order, as a full index has them
        else:
            writer.keep(files[n + 1])
    return files, postings, distinct
