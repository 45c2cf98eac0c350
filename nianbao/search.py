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

import itertools
import json
import re
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING

from nianbao.model import Report
from nianbao.parse.lines import nfkc
from nianbao.render.views import label
from nianbao.write import Writer

if TYPE_CHECKING:
    import numpy as np

FOLDER = "search"
SHARD_BYTES = 120_000  # about what one shard file holds
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


def index_reports(
    reports: list[Report],
    writer: Writer,
    stamp: object,
    last: tuple[object, list[str]] | None,
    pairs: Callable[[Callable[[Report], np.ndarray]], list[np.ndarray]] | None = None,
) -> tuple[object, list[str]]:
    """Write the index of ``reports`` unless ``stamp`` is that of the last index; (stamp, files written).

    ``pairs(find)`` gives each report's pairs, using ``find`` for those it does not remember (the
    render memo: one changed report need not have every text read again)."""
    if last is not None and last[0] == stamp and all(writer.keep(rel) for rel in last[1]):
        return last
    import numpy as np

    each = pairs(_pairs) if pairs else [_pairs(r) for r in reports]
    pairs = np.concatenate(each) if each else np.zeros(0, np.uint64)
    numbers = np.repeat(np.arange(len(reports), dtype=np.int64), [len(p) for p in each])
    order = np.argsort(pairs, kind="stable")  # stable: each pair's reports stay in order
    pairs, numbers = pairs[order], numbers[order]
    gaps = numbers.copy()
    gaps[1:] -= numbers[:-1]
    starts = np.flatnonzero(np.diff(pairs, prepend=np.uint64(0), append=np.uint64(0)) != 0) if len(pairs) else []
    shards = 1
    while shards * SHARD_BYTES < len(pairs) * 2 + len(starts) * 10:
        shards *= 2
    parts: list[dict[str, list[int]]] = [{} for _ in range(shards)]
    for start, end in itertools.pairwise(starts):
        code = int(pairs[start])
        pair = chr(code >> 21) + chr(code & 0x1FFFFF)
        gaps[start] = numbers[start]  # each list starts from report 0
        parts[shard_of(pair, shards)][pair] = gaps[start:end].tolist()
    docs = {"shards": shards, "docs": [[r.id, label(r), r.year] for r in reports]}
    files = [f"{FOLDER}/docs.json"] + [f"{FOLDER}/{i}.json" for i in range(shards)]
    writer.write(files[0], json.dumps(docs, ensure_ascii=False, separators=(",", ":")))
    for rel, part in zip(files[1:], parts, strict=True):
        writer.write(rel, json.dumps(part, ensure_ascii=False, separators=(",", ":")))
    return stamp, files
