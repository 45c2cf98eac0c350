"""content/ -> SourceDoc: find the report files, read their sidecars and front matter, hash them, and hand each
to the reader for its kind (``nianbao.readers``), which gives its text.

A file that cannot be read (too large, a link out of the folder, a reader's ``Unreadable``) is a Problem that names
the file and the reason, and the rest of the build goes on.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from pathlib import Path
from stat import S_ISREG

from nianbao.meta import AGENCIES, MAX_YAML, SIDECAR, read_yaml, validate
from nianbao.model import Problem, SourceDoc
from nianbao.readers.docx import docx_text, legacy_word_text
from nianbao.readers.html import html_text
from nianbao.readers.markdown import markdown_text
from nianbao.readers.pdf import pdf_text
from nianbao.readers.text import Unreadable, decode

log = logging.getLogger(__name__)

TEXT_KINDS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}
KINDS = TEXT_KINDS | {".pdf": "pdf", ".docx": "docx", ".doc": "doc", ".wps": "doc"}
MAX_BYTES = 50 * 1024 * 1024
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)


LINK_OUTSIDE, BAD_NAME = -1, -2  # sizes in a listing that stand for a file not to be read, and why
_GBK = "（常见于 GBK 系统打的压缩包）"
Key = tuple[int, ...]  # a report's (mtime, size), and its sidecar's when it has one: a change to either is seen


def list_content(folder: Path) -> list[tuple[str, int, int]]:
    """(path relative to ``folder``, '/'-separated; mtime in ns; size) of every file under it, in path order,
    but hidden ones and those in hidden folders. A link (file or folder) is followed when its target is inside
    the folder, once: not into a folder it is in (a loop), and a file reached twice is listed under its own path
    (or, if that is not listed, its first link). A link out of the folder is listed with size LINK_OUTSIDE, a
    name that is not UTF-8 with BAD_NAME: ``find_sources`` names them as problems, nothing reads them."""
    root = os.path.realpath(folder)
    found: dict[str, tuple[str, int, int, bool]] = {}  # by real path: path, mtime, size, reached through a link
    out: list[tuple[str, int, int]] = []
    followed: set[str] = set()  # real paths of folders entered through a link

    def visit(path: str, prefix: str, chain: tuple[str, ...], linked: bool) -> None:
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                rel = prefix + entry.name
                try:
                    link = entry.is_symlink()
                    real = os.path.realpath(entry.path) if link else os.path.join(chain[-1], entry.name)
                    if link and os.path.commonpath([root, real]) != root:
                        out.append((rel, 0, LINK_OUTSIDE))
                        continue
                    if entry.is_dir():
                        if link and (real in chain or real in followed):
                            continue  # a loop, or a folder entered already
                        if link:
                            followed.add(real)
                        visit(entry.path, f"{rel}/", (*chain, real), linked or link)
                        continue
                    stat = entry.stat()
                except OSError:  # gone since it was listed, or a broken link
                    continue
                if not S_ISREG(stat.st_mode):
                    continue
                if not _utf8(rel):
                    out.append((rel, 0, BAD_NAME))
                    continue
                through = linked or link
                if real not in found or (found[real][3] and (not through or rel < found[real][0])):
                    found[real] = (rel, stat.st_mtime_ns, stat.st_size, through)

    visit(root, "", (root,), False)
    out += [(rel, mtime, size) for rel, mtime, size, _ in found.values()]
    return sorted(out)


def _utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # os.scandir gave the bytes it could not decode as lone surrogates
        return False
    return True


def shown_name(rel: str) -> str:
    """A path as a message can show it, whatever bytes its name holds."""
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


_NOT_A_REPORT = re.compile(r"(?i)^(?:readme|license|licence|changelog|contributing)(?:\.[a-z]+)?$")


def find_sources(listing: list[tuple[str, int, int]]) -> tuple[list[tuple[str, Key]], list[Problem]]:
    """The report files of a content folder's ``listing`` (from ``list_content``), each with its key: its (mtime,
    size), and its sidecar's (``<name>.yaml``) when it has one; the other files are problems."""
    files, problems = [], []
    stats = {rel: (mtime, size) for rel, mtime, size in listing if size >= 0}
    for rel, mtime, size in listing:
        suffix = os.path.splitext(rel)[1]
        if size == LINK_OUTSIDE:
            problems.append(Problem(shown_name(rel), "load", "链接指向内容目录之外，已跳过；请把报告文件本身放进内容目录"))
        elif size == BAD_NAME:
            problems.append(Problem(shown_name(rel), "load", f"文件名不是有效的 UTF-8 编码{_GBK}，已跳过；请重命名该文件"))
        elif _NOT_A_REPORT.match(rel.rsplit("/", 1)[-1]):
            continue  # a folder's own README or LICENSE: documentation, never published as a report
        elif suffix.lower() in KINDS:
            files.append((rel, (mtime, size) + stats.get(rel + SIDECAR, ())))
        elif rel == AGENCIES:
            continue  # the user's merges of agency names (identity), not a report
        elif rel.endswith(SIDECAR) and os.path.splitext(rel[: -len(SIDECAR)])[1].lower() in KINDS:
            if rel[: -len(SIDECAR)] not in stats:
                problems.append(Problem(rel, "load", f"旁注文件对应的报告 {rel[: -len(SIDECAR)]} 不存在，已忽略"))
        else:
            what = f"不是可读取的报告格式（{suffix or '无扩展名'}），已跳过"
            problems.append(Problem(rel, "load", f"{what}；支持 .txt .md .html .htm .pdf .docx（.doc .wps 需 LibreOffice）"))
    return files, problems


def _front_matter(text: str, source: str) -> tuple[str, dict[str, object], list[Problem]]:
    m = _FRONT_MATTER.match(text)
    if not m:
        return text, {}, []
    body = "\n" * m.group(0).count("\n") + text[m.end() :]  # keep line numbers
    meta, problems = _metadata(m.group(1), source, "前置元数据（YAML）", 1)  # it starts on the file's second line
    return body, meta, problems


def _metadata(yaml_text: str, source: str, what: str, first_line: int = 0) -> tuple[dict[str, object], list[Problem]]:
    """The metadata a front matter or sidecar's YAML text (``what`` it is) gives, checked; problems name ``source``."""
    raw, why = read_yaml(yaml_text, first_line)
    if why is not None:
        return {}, [Problem(source, "load", f"{what}{why}，已忽略")]
    meta, wrong = validate(raw)
    return meta, [Problem(source, "load", f"{what}：{message}") for message in wrong]


def _sidecar(path: Path, content: Path, rel: str) -> tuple[bytes, dict[str, object], list[Problem]]:
    """The sidecar beside the report at ``path``: its bytes (b'' if there is none), metadata and problems."""
    side = path.with_name(path.name + SIDECAR)
    name = rel + SIDECAR
    try:
        if not side.is_file():
            return b"", {}, []
        if not _inside(side, content):  # a link out: find_sources names it
            return b"", {}, []
        with side.open("rb") as f:
            data = f.read(MAX_YAML + 1)
    except OSError as exc:
        return b"", {}, [Problem(name, "load", f"无法读取旁注文件：{exc.strerror or exc}，已忽略")]
    if not data.strip():
        return data, {}, []
    try:
        text = decode(data)
    except Unreadable as exc:
        return data, {}, [Problem(name, "load", f"旁注文件：{exc}")]
    meta, problems = _metadata(text, name, "旁注文件（YAML）")
    return data, meta, problems


def _inside(path: Path, content: Path) -> bool:
    """Whether ``path``, its links followed, is in the content folder (it may have been linked out since it was listed)."""
    root = os.path.realpath(content)
    return os.path.commonpath([root, os.path.realpath(path)]) == root


def load_source(path: Path, content: Path) -> tuple[SourceDoc | None, list[Problem]]:
    """One file -> its SourceDoc, or the problems that stop it being read. Its sidecar's metadata wins over its
    front matter's; the document's hash covers the sidecar too, so that changing the sidecar parses it again."""
    rel = path.relative_to(content).as_posix()
    try:
        if not _inside(path, content):
            return None, [Problem(rel, "load", "链接指向内容目录之外，已跳过；请把报告文件本身放进内容目录")]
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [Problem(rel, "load", f"文件过大（{size // 1048576} MB，上限 50 MB），已跳过；请拆分或只保留报告正文")]
        data = path.read_bytes()
    except OSError as exc:
        return None, [Problem(rel, "load", f"无法读取文件：{exc.strerror or exc}；请检查文件权限或是否已被移走")]
    kind = KINDS[path.suffix.lower()]
    side, side_meta, side_problems = _sidecar(path, content, rel)
    digest = hashlib.sha256(data + (b"\0sidecar\0" + side if side else b"")).hexdigest()
    problems: list[Problem] = []
    meta: dict[str, object] = {}
    try:
        if kind == "pdf":
            text = pdf_text(data)
        elif kind == "docx":
            text = docx_text(data)
        elif kind == "doc":
            text = legacy_word_text(data, path.suffix.lower())
        else:
            text = decode(data)
            if kind == "html":
                text = html_text(text)
            elif kind == "md":
                text, meta, problems = _front_matter(text, rel)
                text = markdown_text(text)
    except Unreadable as exc:
        return None, [Problem(rel, "load", str(exc)), *side_problems]
    if not text.strip():
        return None, [Problem(rel, "load", "没有可读取的正文，已跳过；请确认文件里是报告全文"), *side_problems]
    folders = tuple(Path(rel).parts[:-1])
    return SourceDoc(rel, digest, kind, text, meta | side_meta, folders), problems + side_problems
