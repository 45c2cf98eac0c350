"""python build.py bench: parse throughput and peak memory over a generated corpus,
plus a full build of the same corpus, cold and warm. Prints figures; asserts nothing."""

from __future__ import annotations

import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path
from typing import Any

from nianbao import weight
from nianbao.config import PROJECT, Config
from nianbao.model import SourceDoc
from nianbao.parse import parse_report
from tools.corpus import Generated, generate

_PROSE = (
    "一是进一步提高重视程度，实行一把手负责制，各科室负责人主动及时提供信息，加强队伍建设，充实工作人员，"
    "保障必要的工作经费，进一步完善信息公开平台，提高群众的认知度和认可度。二是进一步完善工作制度，落实审批程序，"
    "扩大政务公开范围，不断提高信息公开的时效性、政策性和技术性，在规范化、制度化、程序化等方面取得新进展。\n"
)


def _corpus(n: int, size: int = 10_000, folders: bool = False) -> list[tuple[str, str]]:
    """Generated reports padded with the kind of prose real ones carry, to about ``size`` bytes;
    (name, text), the name under the report's 省/市/县 folder if ``folders``."""
    return [(name, text) for name, text, _ in _generated(n, size, folders)]


BIG = ("浙江省/宁波市/北仑区", "宁波市北仑区人民政府办公室")  # one agency with a fifth of the reports: its pages are long


def _generated(n: int, size: int, folders: bool) -> list[tuple[str, str, dict[str, object]]]:
    out = []
    for seed, g in enumerate(generate(seed) for seed in range(n)):
        if folders and seed % 5 == 0:  # one agency's (2,000 of 10,000): its list, trend and data are the heaviest
            g = _moved(g)
        head, sep, tail = g.text.partition("存在的主要问题")
        pad = max(0, (size - len(g.text.encode("utf-8"))) // len(_PROSE.encode("utf-8")) + 1)
        text = head + sep + tail.replace("\n", "\n" + _PROSE * pad, 1) if sep else g.text + _PROSE * pad
        out.append((f"{g.folder}/{g.name}.txt" if folders else f"{g.name}.txt", text, g.expected))
    return out


def _moved(g: Generated) -> Generated:
    """A generated report as the big agency's: its name in the text, its folder and the region expected."""
    folder, agency = BIG
    expected = dict(g.expected, agency=agency)
    if "region.city" in expected:
        expected.update({"region.city": "宁波市", "region.county": "北仑区"})
    return replace(g, text=g.text.replace(str(g.expected["agency"]), agency), expected=expected, folder=folder)


def run_bench(n: int, jobs: int, latency_reports: int = 1000, scale: int = 10_000) -> int:
    from nianbao.build.pipeline import build

    # the interpreter every figure below is measured with (the builds it times run on it too): a CPython
    # built without profile-guided and link-time optimisation runs this code about a third slower
    build_info = f"{platform.python_implementation()} {platform.python_version()}, {platform.python_compiler()}"
    print(f"python: {sys.executable} ({build_info})", flush=True)
    if scale:  # first: on ext4 without a journal (as here), making files is several times slower for minutes
        # after many were deleted (the kernel looks at each inode freed lately), and the parts below delete theirs.
        # In a process of its own, which reads the 10,000 reports' data back: this one's peak memory is the small build's
        script = f"from tools.bench import bench_scale; bench_scale({scale}, {jobs})"
        if subprocess.run([sys.executable, "-c", script], cwd=PROJECT).returncode:
            return 1  # what failed is printed above
    corpus = _corpus(n)
    size = sum(len(text.encode("utf-8")) for _, text in corpus) / len(corpus)
    docs = [SourceDoc(name, str(i), "txt", text) for i, (name, text) in enumerate(corpus)]
    parse_report(docs[0])  # imports and first-use costs out of the timing
    passes = []
    for _ in range(3):  # the best of three: other load on a shared machine only ever adds time
        start = time.process_time()
        for doc in docs:
            parse_report(doc)
        passes.append(time.process_time() - start)
    parse_seconds = min(passes)
    tracemalloc.start()  # a second pass: tracing slows parsing, so it is not timed
    for doc in docs[:50]:
        parse_report(doc)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"parse, one core: {n} reports of {size / 1024:.1f} KB avg in {parse_seconds:.2f}s CPU (best of 3; "
        f"all {', '.join(f'{p:.2f}' for p in passes)}) = {n / parse_seconds:.0f} reports/s; "
        f"parser peak memory {peak / 1048576:.1f} MB"
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
            stages = ", ".join(f"{k} {v:.2f}s" for k, v in result.timings.items()) or "stopped: nothing changed"
            print(f"{label}: {time.perf_counter() - start:.2f}s ({stages}); {result.written} written")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {rss:.0f} MB")
    bench_pdf()
    if latency_reports:
        bench_latency(latency_reports, jobs)
    return 0


def bench_pdf(n: int = 30) -> None:
    """PDF reading: pages/s through the text layer, and reports/s to parsed data, on generated report PDFs."""
    from nianbao.readers.pdf import pdf_text
    from tools.corpus_pdf import make_pdf

    with tempfile.TemporaryDirectory() as tmp:
        pdfs, pages = [], 0
        for seed in range(n):
            g = generate(seed, ("gb2021", "gb2019", "narrative")[seed % 3], "tab")
            pages += make_pdf(g.text, Path(tmp, "r.pdf"))
            pdfs.append(Path(tmp, "r.pdf").read_bytes())
    pdf_text(pdfs[0])  # the library's import and first-use costs out of the timing
    start = time.process_time()
    texts = [pdf_text(data) for data in pdfs]
    read = time.process_time() - start
    for i, text in enumerate(texts):
        parse_report(SourceDoc(f"r{i}.pdf", str(i), "pdf", text))
    total = time.process_time() - start
    rates = f"text layer {pages / read:.0f} pages/s; to parsed data {n / total:.0f} reports/s"
    print(f"pdf, one core: {n} reports, {pages} pages: {rates}")


def bench_latency(n: int, jobs: int, edits: int = 7) -> None:
    """Save-to-visible with the preview server: from writing one report to its served page showing the edit.

    Counts the watcher, the quiet spell, the rebuild, the reload event and the page fetch.
    """
    import threading
    import urllib.request

    from nianbao.serve import Server

    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp, "content")
        content.mkdir()
        corpus = _corpus(n)
        for name, text in corpus:
            (content / name).write_text(text, encoding="utf-8")
        server = Server(Config(content, Path(tmp, "output"), Path(tmp, "cache"), jobs, verbose=0), "127.0.0.1", 0)
        start = time.perf_counter()
        server.start()
        print(f"serve, {n} reports: first build {time.perf_counter() - start:.2f}s")
        reloads = threading.Event()

        def listen() -> None:
            with urllib.request.urlopen(f"{server.url}__nianbao/events?since={server.live.version}", timeout=120) as stream:
                for line in stream:
                    if line.startswith(b"event: reload"):
                        reloads.set()

        threading.Thread(target=listen, daemon=True).start()
        time.sleep(0.5)
        name, text = corpus[n // 2]
        report = next(r for r in server.last.reports if r.source == name) if server.last else None
        page = f"{server.url}report/{report.id}.html" if report else server.url
        timings = []
        for i in range(edits):
            reloads.clear()
            marker = f"本段为第{i}次修改。"
            start = time.perf_counter()
            (content / name).write_text(text + "\n" + marker + "\n", encoding="utf-8")
            reloads.wait(30)
            with urllib.request.urlopen(page, timeout=30) as r:
                shown = marker in r.read().decode("utf-8")
            timings.append((time.perf_counter() - start) * 1000)
            if not shown:
                print(f"  edit {i}: the page did not show the edit")
            time.sleep(0.3)
        server.stop()
        timings.sort()
        print(
            f"serve, {n} reports, one report edited {edits} times: save-to-visible median {timings[len(timings) // 2]:.0f} ms, "
            f"max {timings[-1]:.0f} ms (target < 300 ms)"
        )


def _tree_memory(pid: int) -> int:
    """Bytes a process and its descendants hold (proportional set size: pages shared after a fork count once)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total


def _build_py(args: list[str]) -> list[str]:
    """The command line of ``python build.py`` with ``args``, on this interpreter."""
    return [sys.executable, str(PROJECT / "build.py"), *args]


def _timed_build(args: list[str], cwd: Path) -> tuple[float, str]:
    """(wall seconds, last line printed) of one ``python build.py``; its memory is not read meanwhile (see _peak_build)."""
    start = time.perf_counter()
    done = subprocess.run(_build_py(args), cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seconds = time.perf_counter() - start
    out = done.stdout.strip().splitlines()
    if done.returncode != 0:
        raise RuntimeError("\n".join(out[-5:]))
    return seconds, out[-1] if out else ""


def _peak_build(args: list[str], cwd: Path, every: float = 0.4) -> int:
    """Peak memory in bytes of the process tree of one ``python build.py``, read every ``every`` seconds (more
    often in the first two: a short build is small, and would end unread). Not timed: a reading of a 2 GB tree
    takes ~0.1 s of a core (smaps_rollup walks the page tables), which slowed a 10,000-report build by 5% when
    read every 2 s."""
    start = time.perf_counter()
    process = subprocess.Popen(_build_py(args), cwd=cwd, stdout=subprocess.DEVNULL)
    peak = 0
    while True:
        peak = max(peak, _tree_memory(process.pid))
        try:
            process.wait(timeout=0.05 if time.perf_counter() - start < 2 else every)
            break
        except subprocess.TimeoutExpired:
            continue
    if process.returncode != 0:
        raise RuntimeError(f"build.py {' '.join(args)} failed in {cwd}")
    return peak


def _known_values(output: Path, corpus: list[tuple[str, str, dict[str, Any]]]) -> tuple[int, int]:
    """(values that came back, values known) of a generated corpus in a built site."""
    import json

    data = json.loads((output / "data/reports.json").read_text(encoding="utf-8"))
    by_source = {r["source"]: r for r in data["reports"]}
    right = total = 0
    for name, _, expected in corpus:
        for key, value in expected.items():
            found = by_source.get(name)
            for part in key.split("."):
                found = found.get(part) if isinstance(found, dict) else None
            total += 1
            right += found == value
    return right, total


def bench_scale(n: int, jobs: int) -> None:
    """A province: ``n`` generated reports in 省/市/县 folders, built by ``python build.py`` as a user would:
    cold, again with nothing changed, and with one report edited. Checks the known values come back."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        corpus = _generated(n, 10_000, folders=True)
        for name, text, _ in corpus:
            (root / "content" / name).parent.mkdir(parents=True, exist_ok=True)
            (root / "content" / name).write_text(text, encoding="utf-8")
        args = ["--content", "content", "--output", "output", "--jobs", str(jobs)]
        county = Path("../content", corpus[0][0]).parent.as_posix()  # a county's reports, built first and not timed:
        (root / "warm-up").mkdir()  # the bytecode of what a build imports is made then (see build.py), as by any earlier run
        _timed_build(["--content", county, *args[2:]], root / "warm-up")
        colds, lines = [], []
        for k in range(3):  # the median of three, as this VM's speed varies by 15%: each its own output and cache
            where = root if k == 0 else root / f"cold-{k + 1}"
            where.mkdir(exist_ok=True)
            os.sync()  # what was just written (the corpus, the last build) goes to disk now, not while this one is timed
            seconds, line = _timed_build(args if k == 0 else ["--content", "../content", *args[2:]], where)
            colds.append(seconds)
            lines.append(line)
        cold = sorted(colds)[1]
        each = ", ".join(f"{t:.1f}" for t in colds)
        print(f"scale, {n} reports in folders: cold build median {cold:.1f}s of {each} (target ≤ 60 s)")
        print(f"  {lines[colds.index(cold)]}")
        same, line = _timed_build(args, root)
        print(f"  nothing changed: {same:.2f}s (target ≤ 3 s) — {line}")
        times = []
        for k in range(3):  # three reports edited in turn, in their text: the median
            name, text, _ = corpus[(n // 2 + k * 997) % n]
            (root / "content" / name).write_text(text + "\n本段为修改后新增的内容。\n", encoding="utf-8")
            seconds, line = _timed_build(args, root)
            times.append(seconds)
        median = f"median {sorted(times)[1]:.2f}s of {', '.join(f'{t:.2f}' for t in times)}"
        print(f"  one report's text changed: {median} (target ≤ 1 s) — {line}")
        pages = sorted((p.stat().st_size, p.relative_to(root / "output")) for p in (root / "output").rglob("*.html"))
        print(f"  {len(pages)} HTML pages; largest {pages[-1][0] / 1024:.0f} KB ({pages[-1][1]}; target ≤ 500 KB)")
        print(f"  {weight.summary(root / 'output')}")
        right, total = _known_values(root / "output", corpus)
        print(f"  accuracy at scale: {right}/{total} known values came back ({right / total:.2%})")
        name, text, expected = next(
            g for g in corpus[n // 3 :] if isinstance(v := g[2].get("proactive.total"), int) and g[1].count(str(v)) == 1
        )
        total_before = expected["proactive.total"]
        assert isinstance(total_before, int)  # as the generator above chose it
        (root / "content" / name).write_text(text.replace(str(total_before), str(total_before + 1)), encoding="utf-8")
        seconds, line = _timed_build(args, root)
        print(f"  one report's headline figure changed (lists, charts and totals change too): {seconds:.2f}s — {line}")
        name, text, _ = corpus[n // 2]
        (root / "content" / name).write_text(text + "\n再次修改。\n", encoding="utf-8")
        one_peak = _peak_build(args, root)
        (root / "again").mkdir()  # a second cold build, of its own (output and cache), for its memory
        cold_peak = _peak_build(["--content", "../content", "--output", "output", "--jobs", str(jobs)], root / "again")
        print(
            f"  peak memory (a build's process tree, read every 0.4 s in builds of their own, not timed): cold build "
            f"{cold_peak / 2**30:.2f} GB (target ≤ 2 GB), one report's text changed {one_peak / 2**30:.2f} GB"
        )
