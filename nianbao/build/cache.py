"""Parse cache: parsed reports, keyed by (file hash, parser digest), as pickles of our own
(reading 10,000 of them back is several times faster than JSON).

Every pickle a cache file holds is sealed: it follows a keyed checksum (HMAC-SHA256) whose key is
this user's secret (kept outside the cache folder, under ~/.config/nianbao/) mixed with this checkout's
path. A flipped bit, a file written over, or a cache folder copied from elsewhere fails the check and
is never unpickled: what it held is made again. A cache that cannot be written is named once and the
build goes on without it.

The pickles are appended to pack files and found through an index: a cold build of 10,000
reports makes one file, not 10,000 (making a file costs the file system far more than its bytes).
Editing any parser module changes the digest, so stale entries are never read.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import hmac
import logging
import os
import pickle
from functools import cache
from pathlib import Path
from typing import Any

from nianbao.config import PROJECT, Config
from nianbao.model import Report
from nianbao.write import replace_file, write_all, write_new

log = logging.getLogger(__name__)
# what reading back a pickle of ours can raise: a missing or broken file, or one made by other code
UNREADABLE = (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError)
MAC = 16  # bytes of checksum before each sealed pickle


@cache
def _key() -> bytes:
    """This checkout's key: the user's secret (made once, readable by the user only) with the project's path."""
    folder = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "nianbao"
    path = folder / "cache-key"
    try:
        if not path.is_file():
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            with (
                contextlib.suppress(FileExistsError),
                os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as f,
            ):
                f.write(os.urandom(32))
        secret = path.read_bytes()
    except OSError as exc:
        secret = b""
        log.warning("警告：无法读取或保存缓存密钥 %s（%s），本次构建不使用以前的缓存", path, exc.strerror or exc)
    if len(secret) < 32:  # none to be had: a key of this process only (nothing cached before is trusted)
        secret = os.urandom(32)
    return hmac.digest(secret, os.fsencode(PROJECT), "sha256")


def sealed(value: object) -> bytes:
    """``value`` pickled, after its checksum."""
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return hmac.digest(_key(), data, "sha256")[:MAC] + data


def unsealed(blob: bytes) -> Any:
    """The value ``sealed`` made ``blob`` of; ValueError if its checksum fails (nothing is unpickled then)."""
    data = memoryview(blob)[MAC:]
    if len(blob) < MAC or not hmac.compare_digest(blob[:MAC], hmac.digest(_key(), data, "sha256")[:MAC]):
        raise ValueError("cache entry fails its checksum")
    return pickle.loads(data)


_warned: set[str] = set()


def usable(config: Config) -> Config:
    """``config``, or (named once) the same without a cache if its cache folder cannot be written: the build goes on."""
    if config.cache is None:
        return config
    try:
        config.cache.mkdir(parents=True, exist_ok=True)
        probe = write_new(config.cache / "probe", b"", ".tmp-")
        os.unlink(probe)
    except OSError as exc:
        unwritable(config.cache, exc)
        return dataclasses.replace(config, cache=None)
    return config


def unwritable(folder: Path | None, exc: OSError) -> None:
    """Say once (for each cache folder) that it cannot be written: the build goes on, only slower next time."""
    name = str(folder)
    if name not in _warned:
        _warned.add(name)
        log.warning("警告：缓存目录 %s 无法写入（%s），本次构建不保存缓存，其余照常", folder, exc.strerror or exc)


Entry = tuple[str, int, int]  # pack file's name, offset, length


class ParseCache:
    """Parsed reports under ``folder``: ``get`` one by its content and path, ``put`` new ones (appended to
    this process's pack file), ``save`` the index. One per folder in a process (``ParseCache.of``): the
    index is read once, and what the process adds is found again at once."""

    def __init__(self, folder: Path | None):
        self.folder = folder / "parse" / code_digest() if folder else None
        self._index: dict[bytes, Entry] | None = None
        self._added: dict[bytes, Entry] = {}  # not in the index file yet
        self._pack: tuple[str, int] | None = None  # the pack file this process appends to, open: name, descriptor
        self._readers: dict[str, int] = {}  # pack files open for reading, by name

    @staticmethod
    def of(folder: Path | None) -> ParseCache:
        return _cache_in(folder.resolve() if folder else None)

    @staticmethod
    def _key(sha256: str, source: str) -> bytes:
        return hashlib.sha256(f"{sha256}\0{source}".encode()).digest()[:16]

    def _read_index(self) -> dict[bytes, Entry]:
        try:
            index = unsealed((self.folder / INDEX).read_bytes())  # type: ignore[operator]
        except UNREADABLE:
            return {}
        return index if isinstance(index, dict) else {}

    def _entries(self) -> dict[bytes, Entry]:
        if self._index is None:
            self._index = self._read_index() | self._added
        return self._index

    def holds(self, sha256: str, source: str) -> bool:
        """Whether ``get`` may find this report (it is not read)."""
        return self.folder is not None and self._key(sha256, source) in self._entries()

    def get(self, sha256: str, source: str) -> Report | None:
        if self.folder is None:
            return None
        entry = self._entries().get(self._key(sha256, source))
        if entry is None:
            return None
        name, offset, length = entry
        try:
            fd = self._readers.get(name)
            if fd is None:
                fd = self._readers[name] = os.open(self.folder / name, os.O_RDONLY)
            data = os.pread(fd, length, offset)  # not the descriptor's position: forked workers share it
            report = unsealed(data) if len(data) == length else None
        except UNREADABLE:  # a bad entry: the report is parsed again
            return None
        if not isinstance(report, Report) or report.sha256 != sha256 or report.source != source:
            return None  # not what the index says: a pack written over, say
        return report

    def put(self, report: Report, data: bytes) -> None:
        """Keep ``report``, pickled as ``data`` (found by ``get`` at once, by other processes after ``save``)."""
        if self.folder is None:
            return
        data = hmac.digest(_key(), data, "sha256")[:MAC] + data  # as ``sealed`` would: it is pickled already
        try:
            if self._pack is None:
                self.folder.mkdir(parents=True, exist_ok=True)
                name = f"{os.getpid()}-{os.urandom(6).hex()}.pack"
                self._pack = (name, os.open(self.folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
            name, fd = self._pack
            offset = os.lseek(fd, 0, os.SEEK_END)
            write_all(fd, data)
        except OSError as exc:  # a cache that cannot be written only costs time
            unwritable(self.folder, exc)
            return
        entry = (name, offset, len(data))
        key = self._key(report.sha256, report.source)
        self._added[key] = entry
        self._entries()[key] = entry

    def save(self) -> None:
        """Add what this process put to the index file (as the file is now: another process may have saved too)."""
        if not self._added or self.folder is None:
            return
        try:
            replace_file(self.folder / INDEX, sealed(self._read_index() | self._added))
            self._added = {}
        except OSError as exc:  # a cache that cannot be written only costs time
            unwritable(self.folder, exc)


INDEX = "index.pickle"


@cache
def _cache_in(folder: Path | None) -> ParseCache:
    return ParseCache(folder)


@cache
def code_digest() -> str:
    """A digest of all of the package's code: the one code version every cache entry is keyed by (the parse
    cache, the search pairs, the render memo), so no edit to any module can leave a stale entry behind."""
    return package_digest(Path(__file__).parent.parent)


def digest(value: object) -> bytes:
    """A digest of a value made of tuples, lists, strings, numbers and dataclasses of them (by its repr): a stamp."""
    return hashlib.blake2b(repr(value).encode("utf-8"), digest_size=16).digest()


def package_digest(package: Path) -> str:
    """A digest of every module under ``package``, by its path in the package and its bytes."""
    h = hashlib.sha256()
    for file in sorted(package.rglob("*.py")):
        h.update(file.relative_to(package).as_posix().encode())
        h.update(file.read_bytes())
    return h.hexdigest()[:16]
