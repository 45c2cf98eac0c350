"""Files into output/: write only bytes that changed; prune only our own.

A build's changed files are staged beside their targets and swapped in together
by ``finish``, so a build that fails or is killed midway leaves the previous
site as it was. A manifest in the output folder lists what the last build
wrote, so files a user put there (a CNAME, say) are never deleted.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import functools
import itertools
import json
import logging
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

from nianbao.config import PACKAGE, PROJECT, Config

log = logging.getLogger(__name__)

MANIFEST = ".nianbao-manifest.json"
STAGED = ".nianbao-staged-"  # prefix of a file waiting to be swapped in
BIG = 1 << 24  # bytes: a file this big is freed in the background when replaced


_made: set[str] = set()  # folders this process made or found: asking the file system again costs more than writing
_serial = itertools.count()


def write_new(path: str | Path, payload: bytes, prefix: str = STAGED) -> str:
    """Write ``payload`` to a new file beside ``path``, named for this process (never one that
    exists: the next number is tried), and return its name for the caller to move into place."""
    fd, tmp = _new_file(path, prefix)
    try:
        write_all(fd, payload)
    finally:
        os.close(fd)
    return tmp


def write_all(fd: int, data: bytes) -> None:
    """Write all of ``data`` to ``fd`` (os.write may take only part of it)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def replace_file(path: Path, payload: bytes) -> None:
    """Make ``path`` hold ``payload`` at once (a reader finds the old file or the new one, whole):
    written beside it under a name of this process's, then moved over it. Raises OSError."""
    os.replace(write_new(path, payload, ".tmp-"), path)


def _new_file(path: str | Path, prefix: str) -> tuple[int, str]:
    """A new file beside ``path``, open for writing: (descriptor, name)."""
    folder, name = os.path.split(path)
    suffix = os.path.splitext(name)[1]
    if folder not in _made:
        os.makedirs(folder, exist_ok=True)
        _made.add(folder)
    while True:
        tmp = os.path.join(folder, f"{prefix}{os.getpid()}-{next(_serial)}{suffix}")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644), tmp
        except FileExistsError:
            continue
        except FileNotFoundError:  # the folder went away since this process made it
            _made.discard(folder)
            os.makedirs(folder, exist_ok=True)
            _made.add(folder)


_replaced: list[int] = []  # big files that commits replaced, held open: see free_replaced


def free_replaced(detached: bool = False) -> None:
    """Free the big files that commits replaced. The kernel takes its time over it (a third of a second
    for 250 MB), which nobody need wait for: a thread does it, or (``detached``, as this process ends) a
    process of its own (``sleep``) that holds them past this one's end and frees them as it ends."""
    fds = sorted(_replaced)
    _replaced.clear()
    if not fds:
        return
    sleep = shutil.which("sleep") if detached else None
    if sleep is None:
        threading.Thread(target=_close_all, args=(fds,), daemon=True).start()
        return
    null = subprocess.DEVNULL  # no pipe of the caller's is held open by it
    subprocess.Popen([sleep, "2"], pass_fds=fds, stdin=null, stdout=null, stderr=null)  # spawned, not forked: at once
    _close_all(fds)  # not the last hold on them: at once


def _close_all(fds: list[int]) -> None:
    for fd in fds:
        os.close(fd)


def _exchange(new: str, old: str) -> bool:
    """Have ``new`` and ``old`` trade names at once (Linux renameat2); False where that cannot be."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError, TypeError):  # not Linux
        return False
    return bool(renameat2(-100, os.fsencode(new), -100, os.fsencode(old), 2) == 0)  # AT_FDCWD, RENAME_EXCHANGE


class _Copying(threading.Thread):
    error: BaseException | None = None

    def run(self) -> None:
        try:
            super().run()
        except BaseException as exc:  # raised again by the writer, in the build's thread
            self.error = exc


def _splice(old: int | None, fd: int, parts: list[bytes | tuple[int, int]]) -> None:
    """Write ``parts`` to ``fd``: bytes, or ranges of ``old`` (None if there are none); both closed after."""
    try:
        for part in parts:
            if isinstance(part, bytes):
                write_all(fd, part)
            else:
                assert old is not None
                _copy(old, fd, *part)
    finally:
        os.close(fd)
        if old is not None:
            os.close(old)


def _copy(source: int, target: int, start: int, end: int) -> None:
    """Append bytes ``start:end`` of the file ``source`` to ``target``."""
    while start < end:
        try:
            done = os.copy_file_range(source, target, end - start, start)
        except (OSError, AttributeError):  # a file system or a system that cannot: through memory
            done = os.write(target, os.pread(source, min(end - start, 1 << 24), start))
        if done <= 0:
            raise OSError(f"copying bytes {start}-{end} stopped: the file is shorter")
        start += done


class UnsafeOutput(Exception):
    """An output folder the build must not write into; the message says why, in Chinese."""


def check_output(config: Config) -> None:
    """Refuse an output folder that would overwrite the content, the project's own files, or files a user put
    in a folder this tool did not make (unless ``config.overwrite``)."""
    output = config.output
    out = output.resolve()
    for name, other in (("内容目录", config.content.resolve()), ("项目根目录", PROJECT)):
        if out == other or out in other.parents:
            raise UnsafeOutput(f"输出目录 {output} 是{name}或其上级目录，拒绝写入；请换一个输出目录")
    if out in (Path("/"), Path.home().resolve()):
        raise UnsafeOutput(f"输出目录 {output} 不安全，拒绝写入")
    protected = (
        ("内容目录", config.content),
        ("模板目录", config.templates),
        ("样式与脚本目录", config.site_src),
        ("程序包", PACKAGE),
        *(("项目中受版本管理的目录", PROJECT / folder) for folder in _tracked_folders()),
    )
    for name, folder in protected:
        inside = folder.resolve()
        if out == inside or inside in out.parents:
            shown = name if name.startswith("项目") else f"{name} {folder}"
            raise UnsafeOutput(f"输出目录 {output} 在{shown}之内，构建会覆盖其中的文件，拒绝写入；请换一个输出目录（如 output/）")
    if out.exists() and not out.is_dir():
        raise UnsafeOutput(f"输出目录 {output} 已存在，但不是目录，拒绝写入")
    if config.overwrite or not out.is_dir() or (out / MANIFEST).is_file():
        return
    with os.scandir(out) as entries:
        foreign = sorted(e.name for e in entries if not e.name.startswith(STAGED))
    if foreign:
        raise UnsafeOutput(
            f"输出目录 {output} 不是空的，也不是本工具生成的（其中没有 {MANIFEST}，已有 {'、'.join(foreign[:5])}"
            f"{' 等' if len(foreign) > 5 else ''}），为免覆盖其中的文件，拒绝写入；请换一个空目录，或确认可以覆盖后加 --overwrite"
        )


@functools.cache
def _tracked_folders() -> frozenset[str]:
    """The folders of the project that git tracks files in ('/'-separated, relative), if it is a git checkout."""
    try:
        listed = subprocess.run(
            ["git", "-C", str(PROJECT), "ls-files", "-z"], capture_output=True, timeout=30, check=True
        ).stdout.decode("utf-8", "surrogateescape")
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    folders = set()
    for name in listed.split("\0"):
        while "/" in name:  # each folder a tracked file is in, and theirs
            name = name.rsplit("/", 1)[0]
            folders.add(name)
    return frozenset(folders)


@contextlib.contextmanager
def output_lock(output: Path) -> Iterator[None]:
    """Hold the output folder (made if need be) for one build: a second build into it waits until the first is done.
    The lock is the kernel's (flock on the folder), so a build that is killed holds it no more."""
    output.mkdir(parents=True, exist_ok=True)
    fd = os.open(output, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.warning("另一个构建正在写入 %s，等它结束后再继续…", output)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


class Writer:
    def __init__(self, root: Path, trusted: bool = False):
        self.root = root
        self.trusted = trusted  # this process wrote the last build here: kept files need no checking
        self.resolved = str(root.resolve())
        self.produced: set[str] = set()
        self.present: set[str] | None = None  # the files there were before this build, if it looked
        self.copying: list[tuple[_Copying, str, str]] = []  # files being spliced: thread, staged name, target
        self.staged: list[tuple[str, str]] = []  # (temporary file, target)
        self.written = self.unchanged = self.removed = 0
        self.replaced: list[str] = []  # files there were, not of the last build, that this one wrote over
        self._ours: frozenset[str] | None = None

    def _target(self, rel: str) -> str:
        if rel.startswith("/") or "\\" in rel or any(p in ("", ".", "..") for p in rel.split("/")):
            raise UnsafeOutput(f"{rel}: 路径超出输出目录")
        return os.path.join(self.resolved, rel)

    def write(self, rel: str, data: str | bytes, changed: bool = False) -> None:
        """Stage ``rel`` under the output folder if its bytes changed (``changed``: the caller knows they did)."""
        payload = data.encode("utf-8") if isinstance(data, str) else data
        target = self._target(rel)
        self.produced.add(rel)
        try:
            if not changed and os.stat(target).st_size == len(payload) and Path(target).read_bytes() == payload:
                self.unchanged += 1
                return
        except OSError:
            pass
        self.staged.append((write_new(target, payload), target))

    def splice(self, rel: str, parts: list[bytes | tuple[int, int]]) -> None:
        """Stage ``rel`` made of ``parts``: bytes, or (start, end) ranges of the file ``rel`` is now. It is
        written in a thread (the kernel's copying and writing hold no lock of Python's) while the build goes
        on, and the ranges are copied by the kernel: a file of hundreds of megabytes, mostly as it was, is not read."""
        path = self._target(rel)
        self.produced.add(rel)
        fd, tmp = _new_file(path, STAGED)
        old = os.open(path, os.O_RDONLY) if any(isinstance(part, tuple) for part in parts) else None
        copying = _Copying(target=_splice, args=(old, fd, parts), daemon=True)
        copying.start()
        self.copying.append((copying, tmp, path))

    def wait(self) -> None:
        """Wait for the files being spliced; stage them (or raise what stopped one)."""
        copying, self.copying = self.copying, []
        failed = None
        for thread, tmp, path in copying:
            thread.join()
            if thread.error is None:
                self.staged.append((tmp, path))
            else:
                os.unlink(tmp)
                failed = failed or thread.error
        if failed is not None:
            raise failed

    def adopt(self, staged: list[tuple[str, str]], unchanged: int, produced: set[str]) -> None:
        """Take on what another process's writer staged, found unchanged and produced under this root."""
        self.staged += staged
        self.unchanged += unchanged
        self.produced |= produced

    def keep(self, rel: str) -> bool:
        """Keep ``rel`` as the last build left it, if it is there; False if it must be written."""
        if not self.trusted and (rel not in self.present if self.present is not None else not os.path.isfile(self._target(rel))):
            return False
        self.produced.add(rel)
        self.unchanged += 1
        return True

    def clean_staged(self) -> int:
        """Remove staged files a killed build left behind (only ours: they carry our prefix), and note
        the files there are: one walk costs less than asking for each file to keep."""
        removed = 0
        self.present = set()
        for folder, _, names in os.walk(self.resolved):
            prefix = os.path.relpath(folder, self.resolved).replace(os.sep, "/") + "/"
            for name in names:
                if name.startswith(STAGED):
                    Path(folder, name).unlink(missing_ok=True)
                    removed += 1
                else:
                    self.present.add((prefix + name).removeprefix("./"))
        return removed

    def changing(self) -> bool:
        """Whether a commit would change the output: a file is staged or being spliced."""
        return bool(self.staged or self.copying)

    def complete(self) -> bool:
        """The last build's manifest and every file it lists are still here (as far as ``clean_staged`` saw: if it
        did not look, the manifest)."""
        if self.present is None:
            return (self.root / MANIFEST).is_file()
        return MANIFEST in self.present and self._last_written() <= self.present

    def discard(self) -> None:
        """Drop everything staged: the output folder stays as the last build left it."""
        with contextlib.suppress(Exception):  # what stopped it is being raised already
            self.wait()
        for tmp, _ in self.staged:
            Path(tmp).unlink(missing_ok=True)
        self.staged.clear()

    def commit(self) -> None:
        """Swap the files staged so far in (those being spliced once they are). A big file is swapped
        with the one it replaces, which is held open, to be freed by ``free_replaced``: ext4 writes a
        file out at once when it is renamed over another (a tenth of a second for 250 MB), not when
        the two trade places."""
        self.wait()
        if self.present is not None:  # it looked at what there was: files a user put there are named
            ours = self._last_written()
            for _, path in self.staged:
                rel = os.path.relpath(path, self.resolved).replace(os.sep, "/")
                if rel in self.present and rel not in ours:
                    self.replaced.append(rel)
        for tmp, path in self.staged:
            if os.stat(tmp).st_size >= BIG and _exchange(tmp, path):
                _replaced.append(os.open(tmp, os.O_RDONLY))  # the old file, under the staged name now
                os.unlink(tmp)
            else:
                os.replace(tmp, path)
        self.written += len(self.staged)
        self.staged.clear()

    def _last_written(self) -> frozenset[str]:
        """What the last build wrote here, by its manifest (read once: ``finish`` writes this build's)."""
        if self._ours is None:
            try:
                listed = json.loads((self.root / MANIFEST).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                listed = []
            self._ours = frozenset(rel for rel in listed if isinstance(rel, str)) if isinstance(listed, list) else frozenset()
        return self._ours

    def prune(self, spare: str = "\0") -> set[str]:
        """Remove what the last build wrote and this one did not (but what starts with ``spare``); the last build's list."""
        before = set(self._last_written())
        for rel in sorted(before - self.produced):
            if rel.startswith(spare):
                continue
            path = (self.root / rel).resolve()
            if self.root.resolve() in path.parents and path.is_file():
                path.unlink()
                self.removed += 1
                parent = path.parent
                while parent != self.root.resolve() and parent.is_dir() and not any(parent.iterdir()):
                    parent.rmdir()
                    parent = parent.parent
        return before

    def finish(self) -> None:
        """Swap the staged files in, remove what the last build wrote and this one did not, record the manifest."""
        self.commit()
        manifest = self.root / MANIFEST
        before = self.prune()
        if before != self.produced or not manifest.exists():
            manifest.write_text(json.dumps(sorted(self.produced), ensure_ascii=False, indent=0), encoding="utf-8")
