"""build(config) -> BuildResult: load -> parse -> check -> render -> write, each stage timed."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import re
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from nianbao import identity
from nianbao.build.cache import ParseCache, digest, usable
from nianbao.build.reading import checked, parse_all, read_all, text, whole
from nianbao.build.records import Seen, StoredReport, stored
from nianbao.build.state import Saved, checks, dirty, setup
from nianbao.config import Config
from nianbao.load import Key, find_sources, list_content
from nianbao.model import Problem, Report, SourceDoc
from nianbao.render import render_site
from nianbao.render.memo import Kind, Memo
from nianbao.search import Pairs, index_reports
from nianbao.write import Writer, check_output, output_lock

log = logging.getLogger(__name__)


@dataclass
class BuildResult:
    reports: list[Report] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    changed: frozenset[str] | None = None  # the reports whose own pages alone were planned; None: the whole site was
    replaced: list[str] = field(default_factory=list)  # files in the output folder not of the last build, written over

    @property
    def flags(self) -> int:
        return sum(len(r.flags) for r in self.reports)

    @property
    def up_to_date(self) -> bool:
        """Nothing had changed since the last build: nothing was written."""
        return self.changed == frozenset() and not self.written and not self.removed


def slug(source: str) -> str:
    """A stable, URL-safe id for a source path; non-ASCII names get a short hash."""
    stem = source.rsplit(".", 1)[0] if "." in source.rsplit("/", 1)[-1] else source
    ascii_part = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:60].strip("-")
    if ascii_part and stem.isascii():
        return ascii_part
    digest = hashlib.sha1(source.encode("utf-8")).hexdigest()[:10]
    return f"{ascii_part}-{digest}" if ascii_part else f"r-{digest}"


def assign_ids(reports: list[Report], memo: Memo) -> list[Report]:
    """Each report with its id, in order of source; the ids are made again only when the sources changed."""
    ordered = sorted(reports, key=lambda r: r.source)
    ids = memo.get((Kind.IDS,), tuple(r.source for r in ordered), functools.partial(_ids, [r.source for r in ordered]))
    return [report if report.id == id_ else report.renamed(id_) for report, id_ in zip(ordered, ids, strict=True)]


def _ids(sources: list[str]) -> tuple[str, ...]:
    ids: dict[str, None] = {}
    for source in sources:
        base = slug(source)
        candidate, n = base, 2
        while candidate in ids:
            candidate, n = f"{base}-{n}", n + 1
        ids[candidate] = None
    return tuple(ids)


class BuildError(Exception):
    """A build that could not finish (a template error): the output folder is left as it was."""

    def __init__(self, source: str, line: int | None, reason: str):
        super().__init__(f"{source}{f':{line}' if line else ''}: {reason}")
        self.source, self.line, self.reason = source, line, reason


class Builder:
    """Builds the site, keeping what it read, parsed and rendered for the next build.

    One build from the command line uses a fresh Builder, which reads the last build's memo; the preview
    server keeps one, so a rebuild re-reads only files whose size or time changed, re-parses only new
    content, and re-renders only the pages whose inputs changed. Either way, what changed decides what is
    planned (``state.dirty``): the pages of a few edited reports, or the whole site.
    """

    def __init__(self, config: Config, keep_memo: bool = False):
        self.config = config
        self.saved = Saved(config.cache, config.output)
        self.keep_memo = keep_memo  # save what was rendered for the next run
        self.cleaned = False  # leftovers of a killed build removed
        self.loaded: dict[str, tuple[Key, SourceDoc | None, list[Problem]]] = {}  # by path in content/
        self.parsed: dict[tuple[str, str], Report] = {}
        self.memo = self.saved.load()  # what the last build made, and from what: the part every build reads
        self.whole = False  # self.memo holds the pages' part too
        self.pairs = Pairs(config.cache)  # what the search index is made of
        if not keep_memo:  # the preview: it keeps the whole memo in memory (and forgets the saved one as it writes)
            self._whole_memo()

    def _whole_memo(self) -> None:
        """The pages' part of the memo too: the whole site is planned."""
        if not self.whole:
            self.memo.update(self.saved.load("pages", self.memo.get((Kind.GENERATION,))))
            self.whole = True

    def _load(self, listing: list[tuple[str, int, int]] | None) -> tuple[list[SourceDoc], list[Problem], int]:
        """The documents of the content folder (its ``listing`` by ``list_content``, or a new one); when many are new, those
        the parse cache does not hold are parsed by the workers that read them (``read_all``), and kept as parsed:
        how many, third."""
        files, problems = find_sources(list_content(self.config.content) if listing is None else listing)
        last_run = {} if self.loaded else self.memo  # what the last run read
        content = self.config.content
        seen = {}
        todo = []  # files to read: in forked workers when there are many
        for rel, key in files:
            hit = self.loaded.get(rel)
            if hit is None or hit[0] != key:
                hit = self._unchanged(key, last_run.get((Kind.SOURCE, rel), (None, None))[1])
            if hit is None:
                todo.append((rel, key))
            else:
                seen[rel] = hit
        cache = ParseCache.of(self.config.cache)
        read, reports, failed = read_all([content / rel for rel, _ in todo], content, cache, self.config.workers, self.pairs)
        seen.update((rel, (key, doc, found)) for (rel, key), (doc, found) in zip(todo, read, strict=True))
        self.parsed.update(((r.source, r.sha256), r) for r in reports)  # parsed by the workers that read them
        self.loaded = {rel: seen[rel] for rel, _ in files}  # in the order of the files
        problems += [problem for _, _, found in self.loaded.values() for problem in found]
        not_parsed = {problem.source for problem in failed}  # in this build: the next one (the preview's) tries again
        problems += sorted(failed, key=lambda problem: problem.source)
        docs = [doc for _, doc, _ in self.loaded.values() if doc is not None and doc.source not in not_parsed]
        return docs, problems, len(reports)

    def _unchanged(self, key: Key, last: object) -> tuple[Key, SourceDoc, list[Problem]] | None:
        """A file of the last run with the same time and size: not read again (trusted as make trusts
        times). The document stands in without its text, the report as the last run stored it, with the
        problems reading it met (a bad front matter is named by every build, not only the first)."""
        if not isinstance(last, Seen) or last.key != key:
            return None
        load = functools.partial(whole, self.config, last.sha256, last.source)
        self.parsed[(last.source, last.sha256)] = StoredReport(last.report, load)
        return key, SourceDoc(last.source, last.sha256, last.kind, ""), list(last.problems)

    def _parse(self, docs: list[SourceDoc]) -> tuple[list[Report], list[Problem]]:
        keys = [(d.source, d.sha256) for d in docs]
        new = [d for d, key in zip(docs, keys, strict=True) if key not in self.parsed]
        reports, problems = parse_all(new, ParseCache.of(self.config.cache), self.config.workers, self.pairs)
        parsed = {key: report for key in keys if (report := self.parsed.get(key)) is not None}  # this build's only
        parsed.update(((r.source, r.sha256), r) for r in reports)
        self.parsed = parsed
        return [parsed[key] for key in keys if key in parsed], problems

    def build(self, listing: list[tuple[str, int, int]] | None = None) -> BuildResult:
        """Build the site from config.content (``listing``: its ``scan``, if made) into config.output: the pages
        of the reports whose own pages alone changed, or the whole site (each page rendered if its stamp changed)."""
        result = BuildResult()
        check_output(self.config)
        listing = list_content(self.config.content) if listing is None else listing
        t = time.perf_counter()
        docs, result.problems, parsed_too = self._load(listing)
        result.timings["load and parse" if parsed_too else "load"] = time.perf_counter() - t
        with _timed(result, "parse"):
            reports, problems = self._parse(docs)
            result.problems += problems
        memo = Memo(self.memo)
        with _timed(result, "check"):
            result.reports = self._check(reports, memo, result.problems)
        writer = self._writer()
        made_of = setup(self.config, listing)
        if writer.complete() and not (self.keep_memo and self.saved.journal_full()):
            result.changed = dirty(memo, made_of, self.parsed, result.reports, result.problems)
        if result.changed is None:
            self._whole_memo()
        memo.put((Kind.SETUP,), (None, made_of))
        memo.put((Kind.PROBLEMS,), (None, tuple(result.problems)))
        with _timed(result, "render"):
            self._render(result, memo, writer)
        with _timed(result, "write"):
            pending = self._write(writer, whole=result.changed is None)
        self._keep(memo, whole=result.changed is None, closing=pending)
        result.written, result.unchanged, result.removed = writer.written, writer.unchanged, writer.removed
        result.replaced = writer.replaced
        return result

    def _write(self, writer: Writer, whole: bool) -> bool:
        """Swap the staged files in (after a whole-site plan, removing what the last build wrote and this one did
        not). From here the saved memo may not tell what is on disk until it is saved again: it is forgotten first
        (a whole-site plan, or a build that keeps no memo), or its journal marked pending: True if it was."""
        if whole or not self.keep_memo:
            self.saved.forget()
        if whole:
            writer.finish()
            return False
        pending = self.keep_memo and writer.changing()
        if pending:
            self.saved.pending(self.memo.get((Kind.GENERATION,)))
        writer.commit()  # the same files as the last build's: none to remove
        return pending

    def _keep(self, memo: Memo, whole: bool, closing: bool = False) -> None:
        """The memo for the next build: what this one used, if it planned the whole site; else the last with
        this one's changes over it (saved as a journal of them; ``closing``: after the journal's pending mark)."""
        if whole:
            self.memo = memo.now
            if self.keep_memo:
                self.saved.save(self.memo)
            return
        changes = memo.changes()
        if self.keep_memo and (changes or closing):
            self.saved.append(self.memo.get((Kind.GENERATION,)), changes)
        self.memo.update(changes)

    def _writer(self) -> Writer:
        """A writer into the output folder; the first of this process looks at what is there (``clean_staged``)."""
        self.config.output.mkdir(parents=True, exist_ok=True)
        writer = Writer(self.config.output, trusted=self.cleaned)  # after this process's first build
        if not self.cleaned:
            writer.clean_staged()
            self.cleaned = True
        return writer

    def _check(self, reports: list[Report], memo: Memo, problems: list[Problem]) -> list[Report]:
        """The reports named (ids), merged where content/ says two agencies are one, with the flags across reports."""
        named = assign_ids(reports, memo)
        self.parsed.update({(r.source, r.sha256): r for r in named})  # ids kept: the next build need not copy them
        groups, found = identity.read_merges(self.config.content)
        merged, clashes = identity.merged(named, groups)  # made again each build: the merges may have changed
        problems += found + clashes
        out = checked(merged, memo)
        _say_bad_corrections(out)
        return out

    def _render(self, result: BuildResult, memo: Memo, writer: Writer) -> None:
        """The site rendered into ``writer`` (not yet swapped in); the search index and the next run's records
        of the content files are made here while workers render."""
        config = self.config

        def records() -> None:  # what the next run keeps of each file it need not read: while the data files are made
            shapes: dict[tuple[str, ...], tuple[str, ...]] = {}
            only = result.changed  # the reports whose records may differ from the last build's (dirty() saw to the rest)
            for rel, (key, doc, found) in self.loaded.items():
                report = self.parsed.get((doc.source, doc.sha256)) if doc is not None else None
                if report is None or doc is None:
                    continue
                if only is not None and report.id not in only and isinstance(report, StoredReport):  # as last read
                    continue
                last = memo.last.get((Kind.SOURCE, rel), (None, None))
                was = last[1].report.fingerprint if isinstance(last[1], Seen) else None
                if isinstance(report, StoredReport) and was == report.fingerprint:
                    memo.now[(Kind.SOURCE, rel)] = last  # read as the last build left it: the same record
                else:
                    seen = Seen(key, doc.sha256, doc.source, doc.kind, stored(report, shapes), tuple(found))
                    memo.put((Kind.SOURCE, rel), (None, seen))
            for report in result.reports if only is None else (r for r in result.reports if r.id in only):
                memo.put((Kind.SHOWN, report.id), (None, checks(report)))
                review, reviewed = memo.now.get((Kind.REVIEW, report.id)), memo.last.get((Kind.REVIEWED, report.id))
                if review is not None and (reviewed is None or review is not memo.last.get((Kind.REVIEW, report.id))):
                    reviewed = (None, digest(review[1]))  # what the review pages show of it, made anew: for dirty()
                if reviewed is not None:
                    memo.put((Kind.REVIEWED, report.id), reviewed)

        def search() -> None:  # while the pages' workers work: this process would wait for them else
            started = time.perf_counter()
            index_reports(result.reports, writer, memo, self.pairs, 1, functools.partial(text, config))
            result.timings["search (while rendering)"] = time.perf_counter() - started

        try:
            site_problems = render_site(
                result.reports, result.problems, writer, config.rendering, memo, result.changed, search, records
            )
        except jinja2.TemplateError as exc:
            writer.discard()
            raise _template_error(exc, config.templates) from exc
        except BaseException:
            writer.discard()
            raise
        result.problems += site_problems


@contextlib.contextmanager
def _timed(result: BuildResult, stage: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    result.timings[stage] = time.perf_counter() - start


# Jinja's messages, said in Chinese for the reader (Jinja's own words follow in brackets)
_JINJA_WORDS = (
    (re.compile(r"unexpected end of template"), "模板意外结束（可能少了 endif/endfor/endblock）"),
    (re.compile(r"Encountered unknown tag '([^']+)'"), "不认识的标签 {0}"),
    (re.compile(r"expected token '([^']+)', got '([^']+)'"), "这里应是 {0}，却是 {1}"),
    (re.compile(r"unexpected '([^']+)'"), "多余或放错的 {0}"),
    (re.compile(r"'([^']+)' is undefined"), "{0} 没有定义"),
    (re.compile(r"no filter named '([^']+)'"), "没有名为 {0} 的过滤器"),
    (re.compile(r"has no attribute '([^']+)'"), "没有属性 {0}"),
)


def _in_chinese(message: str) -> str:
    for pattern, words in _JINJA_WORDS:
        if m := pattern.search(message):
            return f"{words.format(*m.groups())}（{message}）"
    return f"模板出错（{message}）"


def _say_bad_corrections(reports: list[Report]) -> None:
    """Each correction that did not take (a CORRECTION flag), on stderr: where the build names its problems."""
    for flag in (f for r in reports for f in r.flags if f.code == "CORRECTION"):
        log.warning("%s", flag.message)


def _template_error(exc: jinja2.TemplateError, templates: Path) -> BuildError:
    """The template file, line and reason of an error, from the exception or its traceback."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        name = exc.filename or exc.name or "?"
        return BuildError(_shown(name, templates), exc.lineno, _in_chinese(exc.message or str(exc)))
    frame = next((f for f in reversed(traceback.extract_tb(exc.__traceback__)) if f.filename.endswith(".html")), None)
    if frame is not None:
        return BuildError(_shown(frame.filename, templates), frame.lineno, _in_chinese(str(exc)))
    return BuildError("templates/", None, _in_chinese(str(exc)))


def _shown(filename: str, templates: Path) -> str:
    path = Path(filename)
    try:
        return f"templates/{path.resolve().relative_to(templates.resolve()).as_posix()}"
    except ValueError:
        return filename


def build(config: Config) -> BuildResult:
    """Build the site once (the command line's build), keeping its memo for the next. The output folder is
    checked first (``check_output``) and held while this build writes it (``output_lock``)."""
    check_output(config)
    with output_lock(config.output):
        return Builder(usable(config), keep_memo=True).build()
