"""Command line: build (default), serve, bench; exit codes; the summary line."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from nianbao.config import PROJECT, Config

CACHE = Path(".cache")  # parse cache, render memo, last-build records: beside where the build runs


class _Chinese(argparse.HelpFormatter):
    """argparse's help, with its own words (usage:) in Chinese too."""

    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, prefix or "用法：")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="build.py", description="把政府信息公开工作年度报告生成静态网站", add_help=False, formatter_class=_Chinese
    )
    p._positionals.title, p._optionals.title = "命令", "选项"
    p.add_argument("-h", "--help", action="help", help="显示本帮助并退出")
    p.add_argument(
        "command", nargs="?", default="build", choices=["build", "serve", "bench"], help="build（默认）、serve 或 bench"
    )
    p.add_argument("--content", type=Path, default=Path("content"), help="报告所在目录（默认 content/）")
    p.add_argument("--output", type=Path, default=Path("output"), help="输出目录（默认 output/）")
    p.add_argument("--strict", action="store_true", help="有任何文件读取失败时以非零状态退出")
    p.add_argument("--jobs", type=int, default=0, help="并行解析进程数（默认每核一个）")
    p.add_argument("--base-url", help="网站发布地址，如 https://user.github.io/repo/（用于 sitemap.xml 和 404 页）")
    p.add_argument("--no-cache", action="store_true", help="不使用解析缓存 .cache/")
    p.add_argument("--overwrite", action="store_true", help="允许写入非本工具生成的非空输出目录（其中同名文件会被覆盖）")
    p.add_argument("-q", "--quiet", action="store_true", help="只输出汇总行")
    p.add_argument("-v", "--verbose", action="store_true", help="输出每个阶段的耗时")
    p.add_argument("--templates", type=Path, default=PROJECT / "templates", help="Jinja 模板目录（默认 templates/）")
    p.add_argument("--site-src", type=Path, default=PROJECT / "site_src", help="样式、脚本、图标目录（默认 site_src/）")
    p.add_argument("--host", default="127.0.0.1", help="serve: 监听地址（默认 127.0.0.1）")
    p.add_argument("--port", type=int, default=8000, help="serve: 端口（默认 8000；0 表示自动选择）")
    p.add_argument("--poll", action="store_true", help="serve: 用轮询代替文件系统通知（网络盘、容器挂载）")
    p.add_argument("--reports", type=int, default=300, help="bench: 生成的报告数")
    p.add_argument("--latency-reports", type=int, default=1000, help="bench: 测预览延迟时 content/ 中的报告数（0 跳过）")
    p.add_argument("--scale", type=int, default=10_000, help="bench: 规模测试的报告数，按省/市/县目录存放（0 跳过）")
    return p


def _config(args: argparse.Namespace) -> Config:
    return Config(
        args.content,
        args.output,
        None if args.no_cache else CACHE,
        args.jobs,
        args.strict,
        0 if args.quiet else 2 if args.verbose else 1,
        args.base_url,
        args.templates,
        args.site_src,
        args.overwrite,
    )


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    logging.getLogger("nianbao").setLevel(logging.DEBUG if args.verbose else logging.WARNING)  # not the libraries' debug chatter
    if args.command == "bench":
        from tools.bench import run_bench

        return run_bench(args.reports, args.jobs, args.latency_reports, args.scale)
    if not args.content.is_dir():
        print(f"错误：内容目录 {args.content} 不存在", file=sys.stderr)
        return 2
    config = _config(args)
    from nianbao.write import UnsafeOutput, check_output

    try:
        check_output(config)
    except UnsafeOutput as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    if args.command == "serve":
        from nianbao.serve import serve

        return serve(config, args.host, args.port, args.poll)
    return _build(args, config)


def _build(args: argparse.Namespace, config: Config) -> int:
    """One build from the command line: problems on stderr, the summary line last; the exit status."""
    from nianbao.build.pipeline import BuildError, build
    from nianbao.write import UnsafeOutput

    if args.no_cache:  # what .cache/ says of this output folder will not hold after this build
        from nianbao.build.state import Saved

        Saved(CACHE, config.output).forget()

    start = time.perf_counter()
    try:
        result = build(config)
    except UnsafeOutput as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except BuildError as exc:
        print(f"错误：{exc}（网站未更新）", file=sys.stderr)
        return 1
    for problem in result.problems:
        where = problem.source if problem.stage == "assets" else f"{args.content.as_posix().rstrip('/')}/{problem.source}"
        print(f"{where}: {problem.message}", file=sys.stderr)
    if result.replaced:
        shown = "、".join(result.replaced[:10]) + (f" 等 {len(result.replaced)} 个" if len(result.replaced) > 10 else "")
        print(f"注意：输出目录中原有的这些文件不是本工具上次写的，已被替换：{shown}", file=sys.stderr)
    if config.verbose >= 2:
        print("  " + "  ".join(f"{k} {v:.2f}s" for k, v in result.timings.items()))
    done = (
        f"自上次构建以来没有改动：{args.output} 已是最新"
        if result.up_to_date
        else f"写入 {result.written} 个文件，未变 {result.unchanged} 个，删除 {result.removed} 个"
        + ("（只重写了所改报告自己的页面）" if result.changed else "")
    )
    print(
        f"读取 {len(result.reports)} 份报告，{len(result.problems)} 个问题，{result.flags} 条数据提示；{done}；"
        f"用时 {time.perf_counter() - start:.2f} 秒"
    )
    return 1 if config.strict and result.problems else 0
