"""The Pages workflow publishes the site and none of the build's bookkeeping (issue 22, item 10)."""

import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


def _steps() -> list[dict]:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["build"]["steps"]


def test_bookkeeping_is_removed_before_the_upload(site, tmp_path):
    output, _ = site
    steps = _steps()
    upload = next(i for i, s in enumerate(steps) if str(s.get("uses", "")).startswith("actions/upload-pages-artifact"))
    build = next(i for i, s in enumerate(steps) if "build.py" in str(s.get("run", "")))
    cleanups = [s["run"] for s in steps[build + 1 : upload] if "run" in s]
    assert cleanups, "no step between the build and the upload removes the build's bookkeeping"
    work = tmp_path / "checkout"
    shutil.copytree(output, work / "output")
    assert (work / "output" / ".nianbao-manifest.json").is_file()
    (work / "output" / "reports").mkdir(exist_ok=True)
    (work / "output" / "reports" / ".nianbao-staged-1-x.html").write_text("left by a killed build")
    (work / "output" / ".tmp-2-y").write_text("half written")
    (work / "output" / "CNAME").write_text("example.org\n")  # the user's own file stays
    site_before = {p.relative_to(work).as_posix() for p in (work / "output").rglob("*") if p.is_file()}
    for script in cleanups:
        subprocess.run(["bash", "-e", "-c", script], cwd=work, check=True)
    left = {p.relative_to(work).as_posix() for p in (work / "output").rglob("*") if p.is_file()}
    assert not [p for p in left if Path(p).name.startswith((".nianbao-", ".tmp-"))]
    assert left == {p for p in site_before if not Path(p).name.startswith((".nianbao-", ".tmp-"))}
    assert "output/index.html" in left and "output/CNAME" in left
    assert upload > build and steps[upload]["with"]["path"] == "output"
