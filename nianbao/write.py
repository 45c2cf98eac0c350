"""Files into output/: write only bytes that changed, atomically; prune only our own.

A manifest in the output folder lists what the last build wrote, so files a
user put there (a CNAME, say) are never deleted.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

MANIFEST = ".nianbao-manifest.json"


class UnsafeOutput(Exception):
    pass


def check_output(output: Path, content: Path, project: Path) -> None:
    """Refuse an output folder that would overwrite the content or the project."""
    out = output.resolve()
    for name, other in (("内容目录", content.resolve()), ("项目根目录", project.resolve())):
        if out == other or out in other.parents:
            raise UnsafeOutput(f"输出目录 {output} 是{name}或其上级目录，拒绝写入；请换一个输出目录")
    if out in (Path("/"), Path.home().resolve()):
        raise UnsafeOutput(f"输出目录 {output} 不安全，拒绝写入")


class Writer:
    def __init__(self, root: Path):
        self.root = root
        self.produced: set[str] = set()
        self.written = self.unchanged = self.removed = 0

    def write(self, rel: str, data: str | bytes) -> None:
        """Write ``rel`` under the output folder if its bytes changed."""
        payload = data.encode("utf-8") if isinstance(data, str) else data
        path = (self.root / rel).resolve()
        if self.root.resolve() not in path.parents:
            raise UnsafeOutput(f"{rel}: 路径超出输出目录")
        self.produced.add(rel)
        try:
            if path.stat().st_size == len(payload) and path.read_bytes() == payload:
                self.unchanged += 1
                return
        except OSError:
            pass
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
        os.replace(tmp, path)
        self.written += 1

    def finish(self) -> None:
        """Remove what the last build wrote and this one did not; record the manifest."""
        manifest = self.root / MANIFEST
        try:
            before = set(json.loads(manifest.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            before = set()
        for rel in sorted(before - self.produced):
            path = (self.root / rel).resolve()
            if self.root.resolve() in path.parents and path.is_file():
                path.unlink()
                self.removed += 1
                parent = path.parent
                while parent != self.root.resolve() and parent.is_dir() and not any(parent.iterdir()):
                    parent.rmdir()
                    parent = parent.parent
        text = json.dumps(sorted(self.produced), ensure_ascii=False, indent=0)
        if not manifest.exists() or manifest.read_text(encoding="utf-8") != text:
            manifest.write_text(text, encoding="utf-8")
