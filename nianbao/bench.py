"""python build.py bench: parse throughput and peak memory over a generated corpus,
plus a full build of the same corpus, cold and warm. Prints figures; asserts nothing."""

from __future__ import annotations

import resource
import tempfile
import time
import tracemalloc
from pathlib import Path

from nianbao.config import Config
from nianbao.corpus import generate
from nianbao.model import SourceDoc
from nianbao.parse import parse_report


def _corpus(n: int) -> list[tuple[str, str]]:
    return [(f"{g.name}.txt", g.text) for g in (generate(seed) for seed in range(n))]


def run_bench(n: int, jobs: int) -> int:
    from nianbao.pipeline import build

    corpus = _corpus(n)
    size = sum(len(text.encode("utf-8")) for _, text in corpus) / len(corpus)
    docs = [SourceDoc(name, str(i), "txt", text) for i, (name, text) in enumerate(corpus)]
    parse_report(docs[0])  # imports and first-use costs out of the timing
    start = time.perf_counter()
    for doc in docs:
        parse_report(doc)
    parse_seconds = time.perf_counter() - start
    tracemalloc.start()  # a second pass: tracing slows parsing, so it is not timed
    for doc in docs[:50]:
        parse_report(doc)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"parse, one core: {n} reports of {size / 1024:.1f} KB avg in {parse_seconds:.2f}s = "
        f"{n / parse_seconds:.0f} reports/s; parser peak memory {peak / 1048576:.1f} MB"
    )
    with tempfile.TemporaryDirectory() as tmp:
        content, output, cache = Path(tmp, "content"), Path(tmp, "output"), Path(tmp, "cache")
        content.mkdir()
        for name, text in corpus:
            (content / name).write_text(text, encoding="utf-8")
        config = Config(content, output, cache, jobs)
        for label in ("cold build", "warm build (nothing changed)"):
            start = time.perf_counter()
            result = build(config)
            stages = ", ".join(f"{k} {v:.2f}s" for k, v in result.timings.items())
            print(f"{label}: {time.perf_counter() - start:.2f}s ({stages}); {result.written} written")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {rss:.0f} MB")
    return 0
