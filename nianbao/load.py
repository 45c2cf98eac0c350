"""content/ -> SourceDoc: find the files, hash them, decode them, turn pages into lines.

Encodings are detected, never silently wrong: a BOM is believed, UTF-8 is tried
strictly, then GB18030, then charset-normalizer; a file none of them reads is a
Problem, as is an empty or binary one. A Problem names the file and the reason,
and the rest of the build goes on.
"""

from __future__ import annotations

import codecs
import hashlib
import logging
import os
import re
from pathlib import Path

from nianbao.model import Problem, SourceDoc

log = logging.getLogger(__name__)

TEXT_KINDS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}
KINDS = TEXT_KINDS | {".pdf": "pdf", ".docx": "docx", ".doc": "doc", ".wps": "doc"}
MAX_BYTES = 50 * 1024 * 1024
SIDECAR = ".yaml"  # appended to a report's file name: its sidecar file (SCHEMA.md)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)


class Unreadable(Exception):
    """The file cannot be read as a report; the message says why, in Chinese."""


def find_sources(listing: list[tuple[str, int, int]]) -> tuple[list[tuple[str, tuple[int, ...]]], list[Problem]]:
    """The report files of a content folder's ``listing`` (from ``stamp.scan``), each with its (mtime, size) and its
    sidecar's; the other files are problems."""
    files, problems = [], []
    stats = {rel: (mtime, size) for rel, mtime, size in listing}
    for rel, mtime, size in listing:
        suffix = os.path.splitext(rel)[1]
        if suffix.lower() in KINDS:
            files.append((rel, (mtime, size) + stats.get(rel + SIDECAR, ())))  # a change to its sidecar is seen
        elif rel.endswith(SIDECAR) and rel[: -len(SIDECAR)] in stats:
            continue  # a report's sidecar: read with it
        else:
            what = f"不是可读取的报告格式（{suffix or '无扩展名'}），已跳过"
            problems.append(Problem(rel, "load", f"{what}；支持 .txt .md .html .htm .pdf .docx（.doc .wps 需 LibreOffice）"))
    return files, problems


def decode(data: bytes) -> str:
    """Bytes -> text in the encoding they were written in, or Unreadable."""
    if not data.strip():
        raise Unreadable("文件为空，已跳过；请放入报告全文，或删除该文件")
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _strict(data, codec)
    if b"\x00" in data[:4096]:
        head = data[:4096]
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if odd > len(head) // 4 and even < odd // 4:
            return _strict(data, "utf-16-le")
        if even > len(head) // 4 and odd < even // 4:
            return _strict(data, "utf-16-be")
        raise Unreadable("看起来是二进制文件，不是文本，已跳过；请另存为 .txt、.html 或带文字层的 .pdf")
    for codec in ("utf-8", "gb18030"):
        try:
            return _check_text(data.decode(codec))
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise Unreadable("无法识别文件编码（试过 UTF-8、GB18030、UTF-16）；请另存为 UTF-8")
    return _check_text(str(best))


def _strict(data: bytes, codec: str) -> str:
    try:
        return _check_text(data.decode(codec))
    except UnicodeDecodeError as exc:
        raise Unreadable(f"按 {codec} 解码失败（第 {exc.start} 字节）；请另存为 UTF-8") from exc


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def _check_text(text: str) -> str:
    head = text[:20000]
    if len(_CONTROL.findall(head)) > max(8, len(head) // 50):
        raise Unreadable("含有大量控制字符，看起来是二进制文件，已跳过；请另存为 UTF-8 文本")
    return text


def _front_matter(text: str, source: str) -> tuple[str, dict[str, object], list[Problem]]:
    m = _FRONT_MATTER.match(text)
    if not m:
        return text, {}, []
    body = "\n" * m.group(0).count("\n") + text[m.end() :]  # keep line numbers
    import yaml  # here: only Markdown with front matter needs it

    try:
        meta = yaml.safe_load(m.group(1)) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第{mark.line + 2}行" if mark else ""
        return body, {}, [Problem(source, "load", f"前置元数据（YAML）{where}有误，已忽略：{getattr(exc, 'problem', exc)}")]
    if not isinstance(meta, dict):
        return body, {}, [Problem(source, "load", "前置元数据应为键值对（agency、year、published、region），已忽略")]
    return body, {str(k): v for k, v in meta.items() if k in ("agency", "year", "published", "region")}, []


def load_source(path: Path, content: Path) -> tuple[SourceDoc | None, list[Problem]]:
    """One file -> its SourceDoc, or the problems that stop it being read."""
    rel = path.relative_to(content).as_posix()
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [Problem(rel, "load", f"文件过大（{size // 1048576} MB，上限 50 MB），已跳过；请拆分或只保留报告正文")]
        data = path.read_bytes()
    except OSError as exc:
        return None, [Problem(rel, "load", f"无法读取文件：{exc.strerror or exc}；请检查文件权限或是否已被移走")]
    kind = KINDS[path.suffix.lower()]
    side, side_meta, problems = _sidecar(path, rel)
    digest = hashlib.sha256(data + (b"\0sidecar\0" + side if side else b"")).hexdigest()  # a new sidecar: parsed again
    meta: dict[str, object] = {}
    try:
        if kind == "pdf":
            from nianbao.pdftext import pdf_text

            text = pdf_text(data)
        elif kind == "docx":
            from nianbao.docxtext import docx_text

            text = docx_text(data)
        elif kind == "doc":
            from nianbao.docxtext import legacy_word_text

            text = legacy_word_text(data, path.suffix.lower())
        else:
            text = decode(data)
            if kind == "html":
                from nianbao.htmltext import html_text

                text = html_text(text)
            elif kind == "md":
                text, meta, found = _front_matter(text, rel)
                problems += found
    except Unreadable as exc:
        return None, [Problem(rel, "load", str(exc))]
    if not text.strip():
        return None, [Problem(rel, "load", "没有可读取的正文，已跳过；请确认文件里是报告全文")]
    folders = tuple(Path(rel).parts[:-1])
    return SourceDoc(rel, digest, kind, text, meta | side_meta, folders), problems


def _sidecar(path: Path, rel: str) -> tuple[bytes, dict[str, object], list[Problem]]:
    """The bytes of the report's sidecar (b'' if none), what it sets, and why it cannot be read. Only what the
    corrections need: the sidecar's metadata and its checks are another engineer's (issue 22)."""
    try:
        data = path.with_name(path.name + SIDECAR).read_bytes()
    except FileNotFoundError:
        return b"", {}, []
    except OSError as exc:
        return b"", {}, [Problem(rel + SIDECAR, "load", f"无法读取旁注文件：{exc.strerror or exc}，已忽略")]
    import yaml

    try:
        meta = yaml.safe_load(data.decode("utf-8-sig")) or {}
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:  # a date 2019-13-45 is a ValueError
        return data, {}, [Problem(rel + SIDECAR, "load", f"旁注文件（YAML）有误，已忽略：{getattr(exc, 'problem', exc)}")]
    keys = ("agency", "year", "published", "region", "corrections")
    if not isinstance(meta, dict):
        return data, {}, [Problem(rel + SIDECAR, "load", f"旁注文件应为键值对（{'、'.join(keys)}），已忽略")]
    return data, {str(k): v for k, v in meta.items() if k in keys}, []
