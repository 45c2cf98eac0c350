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
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from nianbao import compact
from nianbao.build.cache import UNREADABLE, code_digest, sealed, unsealed, unwritable
from nianbao.forked import fork_map, write_shares
from nianbao.model import Report
from nianbao.parse.lines import nfkc
from nianbao.render.memo import Kind, Memo
from nianbao.render.views import label
from nianbao.write import Writer, replace_file

if TYPE_CHECKING:
    import numpy as np

FOLDER = "search"
SHARD_BYTES = 40_000  # about what one shard file holds: a query loads one for each pair, an edit rewrites a few


def searchable(text: str) -> str:
    """Text as the index and the query see it: NFKC, lower case, no whitespace."""
    return "".join(nfkc(text).lower().split())  # split() drops the whitespace r"\s+" matches, at a quarter of the cost


def shard_of(pair: str, shards: int) -> int:
    """The shard a pair is in; site.js computes the same."""
    return (ord(pair[0]) * 31 + ord(pair[1])) % shards


def _pairs(report: Report) -> np.ndarray:
    return text_pairs(report.text)


def text_pairs(text: str) -> np.ndarray:
    """The distinct pairs of adjacent characters in a report's text, each as one number (21 bits a character)."""
    import numpy as np  # here: a build with nothing to index need not import it

    codes = np.frombuffer(searchable(text).encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    pairs = np.sort((codes[:-1] << np.uint64(21)) | codes[1:])
    return pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))] if len(pairs) else pairs  # np.unique, at half the cost


def _pair_set(text: str) -> set[int]:
    """The numbers of _pairs, without numpy (for a few reports, cheaper than importing it)."""
    text = searchable(text)
    return {(ord(a) << 21) | ord(b) for a, b in itertools.pairwise(text)}


class Pairs:
    """Each report's pairs, by its file and content. Kept under the cache folder between runs, and
    read only when a whole index is made: an update needs only the edited reports', from their texts."""

    def __init__(self, folder: Path | None):
        self.path = folder / "search" / f"{code_digest()}.pickle" if folder else None
        self.known: dict[tuple[str, str], np.ndarray] | None = None
        self.fresh: dict[tuple[str, str], np.ndarray] = {}  # found while parsing, not yet with the known ones

    def learn(self, source: str, sha256: str, pairs: np.ndarray) -> None:
        """Keep the pairs of a content, found where it was parsed (its text was at hand there)."""
        self.fresh[(source, sha256)] = pairs

    def of(self, reports: list[Report], workers: int) -> list[np.ndarray]:
        """The pairs of every report: from what is known, the others found (in forked workers when many)."""
        if self.known is None:
            self.known = self._read()
        learnt, self.fresh = self.fresh, {}
        self.known.update(learnt)
        todo = [r for r in reports if (r.source, r.sha256) not in self.known]
        for report, pairs in zip(todo, fork_map(_pairs, todo, workers), strict=True):
            self.known[(report.source, report.sha256)] = pairs
        each = [self.known[(r.source, r.sha256)] for r in reports]
        if todo or learnt:
            self.known = {(r.source, r.sha256): p for r, p in zip(reports, each, strict=True)}  # the reports of now only
            self._write()
        return each

    def known_set(self, source: str, sha256: str) -> set[int] | None:
        """The pairs of a report's content if this process knows them."""
        pairs = self.known.get((source, sha256)) if self.known is not None else None
        return set(pairs.tolist()) if pairs is not None else None

    def _read(self) -> dict[tuple[str, str], np.ndarray]:
        if self.path is None:
            return {}
        try:
            known = unsealed(self.path.read_bytes())
        except UNREADABLE:
            return {}
        return known if isinstance(known, dict) else {}

    def _write(self) -> None:
        if self.path is None:
            return
        try:
            replace_file(self.path, sealed(self.known))
        except OSError as exc:  # a cache that cannot be written only costs time
            unwritable(self.path.parent, exc)


def _shard_count(postings: int, distinct: int) -> int:
    """Shards enough that each holds about SHARD_BYTES."""
    shards = 1
    while shards * SHARD_BYTES < postings * 2 + (distinct + 1) * 10:
        shards *= 2
    return shards


def _dumps(value: object) -> bytes:
    return compact.dumps(value)


def _docs(reports: list[Report], shards: int) -> bytes:
    return _dumps({"shards": shards, "docs": [[r.id, label(r), r.year] for r in reports]})


class State(NamedTuple):
    """An index as written: what the next build updates it from."""

    files: list[str]  # docs.json, then the shards
    postings: int
    distinct: int  # pairs


def index_reports(
    reports: list[Report], writer: Writer, memo: Memo, pairs: Pairs, workers: int, text_of: Callable[[str, str], str | None]
) -> None:
    """Write the search index of ``reports``. When the same reports as last time are there and only a
    few changed, only the shards their added or removed pairs fall in are made again (the pairs an edit
    removed found from the last text, by ``text_of(source, sha256)``); the index is the one a full build
    makes, byte for byte.

    The memo keeps the reports' ids in order (their numbers), what each was indexed from (file and
    content), and the index's files and counts."""
    ids = tuple(r.id for r in reports)
    last_ids = memo.last.get((Kind.SEARCH_IDS,), (None, None))[1]
    last = memo.last.get((Kind.SEARCH,))
    state = None
    made_of = [(r.source, r.sha256) for r in reports]
    was = [memo.last.get((Kind.INDEXED, r.id)) for r in reports]
    if last is not None and last_ids == ids and None not in was:  # each indexed by the last build: what changed is updated
        changed = [(i, *w[1]) for i, w in enumerate(was) if w[1] != made_of[i]]  # type: ignore[index,misc]
        state = update(changed, last[1], pairs, text_of, lambda i: reports[i].text, writer)  # type: ignore[arg-type]
    if state is not None:
        writer.write(state.files[0], _docs(reports, len(state.files) - 1))
    else:
        importlib.import_module("numpy.ma")  # np.unique imports it when first used: not in a worker
        state = _full(reports, pairs.of(reports, workers), writer, workers)
    memo.put((Kind.SEARCH_IDS,), (None, ids))
    for r, hit, made in zip(reports, was, made_of, strict=True):
        memo.now[(Kind.INDEXED, r.id)] = hit if hit is not None and hit[1] == made else (None, made)
    memo.put((Kind.SEARCH,), (None, state))


def _full(reports: list[Report], each: list[np.ndarray], writer: Writer, workers: int) -> State:
    import numpy as np

    # each (pair, report number) as one key, pair above number: one plain sort puts the pairs in order and
    # each pair's reports in order. A pair takes 42 bits, so 22 are left: four million reports
    bits = np.uint64(max(1, (len(reports) - 1).bit_length()))
    keys = np.concatenate(each) << bits if each else np.zeros(0, np.uint64)
    keys |= np.repeat(np.arange(len(reports), dtype=np.uint64), [len(p) for p in each])
    keys.sort()
    pairs, numbers = keys >> bits, (keys & ((np.uint64(1) << bits) - np.uint64(1))).astype(np.int64)
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
    return State(files, len(pairs), len(codes))


def _pair(code: int) -> str:
    return chr(code >> 21) + chr(code & 0x1FFFFF)


def update(
    changed: list[tuple[int, str, str]],
    last: State,
    pairs: Pairs,
    text_of: Callable[[str, str], str | None],
    new_text: Callable[[int], str],
    writer: Writer,
) -> State | None:
    """The ``last`` index's shards changed where a few reports changed: ``changed`` has each one's
    number and the file and content it was indexed from, ``new_text(number)`` its text now. None when
    a full index is needed (many changed, the shard count changes, or the last files are gone). Not
    docs.json: the caller's."""
    files, postings, distinct = last
    if len(changed) > 50 or not all((writer.root / rel).is_file() for rel in files):
        return None
    shards = len(files) - 1
    edits: list[tuple[str, int, bool]] = []  # pair, report number, added (else removed)
    for i, source, sha256 in changed:
        before = pairs.known_set(source, sha256)
        if before is None:
            text = text_of(source, sha256)
            if text is None:
                return None
            before = _pair_set(text)
        now = _pair_set(new_text(i))
        edits += [(_pair(c), i, True) for c in sorted(now - before)]
        edits += [(_pair(c), i, False) for c in sorted(before - now)]
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
    for n in range(shards):
        if n in parts:
            writer.write(files[n + 1], _dumps(dict(sorted(parts[n].items()))))  # pairs in code order, as a full index has them
        else:
            writer.keep(files[n + 1])
    return State(files, postings, distinct)
