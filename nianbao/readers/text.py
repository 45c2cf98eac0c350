"""Bytes -> text in the encoding they were written in, and ``Unreadable``, which every reader raises.

Encodings are detected, never silently wrong: a BOM is believed, UTF-8 is tried strictly, then GB18030, then
charset-normalizer; bytes none of them reads are Unreadable, as are empty or binary ones.
"""

from __future__ import annotations

import codecs
import re

_STRAY_NULS = 8  # NUL bytes a text may hold (one a tool left in a front matter, say) before it is taken for binary


class Unreadable(Exception):
    """The file cannot be read as a report; the message says why, in Chinese."""


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
        if head.count(0) > _STRAY_NULS:
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
