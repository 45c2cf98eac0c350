"""Command line: build (default), serve, bench; exit codes; the summary line."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from nianbao.config import Config


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="build.py", description="把政府信息公开工作年度报告生成静态网站")
    p.add_argument("command", nargs="?", default="build", choices=["build", "bench"], help="build（默认）或 bench")
    p.add_argument("--content", type=Path, default=Path("content"), help="报告所在目录（默认 content/）")
    p.add_argument("--output", type=Path, default=Path("output"), help="输出目录（默认 output/）")
    p.add_argument("--strict", action="store_true", help="有任何文件读取失败时以非零状态退出")
    p.add_argument("--jobs", type=int, default=0, help="并行解析进程数（默认每核一个）")
    p.add_argument("--base-url", help="网站发布地址，如 https://user.github.io/repo/（用于 sitemap.xml 和 404 页）")
    p.add_argument("--no-cache", action="store_true", help="不使用解析缓存 .cache/")
    p.add_argument("-q", "--quiet", action="store_true", help="只输出汇总行")
    p.add_argument("-v", "--verbose", action="store_true", help="输出每个阶段的耗时")
    p.add_argument("--reports", type=int, default=300, help="bench: 生成的报告数")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING, format="%(message)s")
    if args.command == "bench":
        from nianbao.bench import run_bench

        return run_bench(args.reports, args.jobs)
    if not args.content.is_dir():
        print(f"错误：内容目录 {args.content} 不存在", file=sys.stderr)
        return 2
    config = Config(
        args.content,
        args.output,
        None if args.no_cache else Path(".cache"),
        args.jobs,
        args.strict,
        0 if args.quiet else 2 if args.verbose else 1,
        args.base_url,
    )
    from nianbao.pipeline import build
    from nianbao.write import UnsafeOutput

    start = time.perf_counter()
    try:
        result = build(config)
    except UnsafeOutput as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    for problem in result.problems:
        print(f"{args.content.as_posix().rstrip('/')}/{problem}", file=sys.stderr)
    if config.verbose >= 2:
        print("  " + "  ".join(f"{k} {v:.2f}s" for k, v in result.timings.items()))
    flags = sum(len(r.flags) for r in result.reports)
    print(
        f"{len(result.reports)} reports read, {len(result.problems)} problems, {flags} flags; "
        f"{result.written} written, {result.unchanged} unchanged, {result.removed} removed; "
        f"{time.perf_counter() - start:.2f}s"
    )
    return 1 if config.strict and result.problems else 0
