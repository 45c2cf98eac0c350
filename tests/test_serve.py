"""python build.py serve: a real server in a subprocess, edited under its feet.

Each test gets its own content, templates and site_src copies, so breaking a
template never touches the project's own.
"""

import json
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from helpers import ARGS, CHROMIUM
from nianbao.build.pipeline import Builder, build
from nianbao.config import Config

ROOT = Path(__file__).resolve().parent.parent
SEED = "001_8fa4d51aba8f0a18.txt"  # 主动公开政府信息总数88条
OTHER = "000_ec54cc23732cb7e6.txt"


@pytest.fixture
def project(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    for name in (SEED, OTHER):
        shutil.copy(ROOT / "content" / name, content / name)
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    shutil.copytree(ROOT / "site_src", tmp_path / "site_src", ignore=shutil.ignore_patterns("node_modules"))
    return tmp_path


class Served:
    def __init__(self, project: Path):
        self.project = project
        args = [sys.executable, "build.py", "serve", "--port", "0", "--no-cache"]
        for flag, name in (
            ("--content", "content"),
            ("--output", "output"),
            ("--templates", "templates"),
            ("--site-src", "site_src"),
        ):
            args += [flag, str(project / name)]
        self.process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            self.lines.append(line)
            if m := re.search(r"http://127\.0\.0\.1:\d+/", line):
                self.url = m.group()
                break
        else:
            raise AssertionError("".join(self.lines))
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        for line in self.process.stdout:
            self.lines.append(line)

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as r:
                return r.status, r.read().decode("utf-8")
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode("utf-8")

    def report_path(self) -> str:
        data = json.loads(self.get("data/reports.json")[1])
        report = next(r for r in data["reports"] if r["source"] == SEED)
        return f"report/{report['id']}.html"

    def events(self, since: int) -> "queue.Queue[tuple[str, str]]":
        """The server's event stream, from version ``since``, as (event, data) pairs."""
        out: queue.Queue[tuple[str, str]] = queue.Queue()

        def read():
            with urllib.request.urlopen(f"{self.url}__nianbao/events?since={since}", timeout=60) as stream:
                event = None
                for raw in stream:
                    line = raw.decode("utf-8").rstrip("\n")
                    if line.startswith("event: "):
                        event = line[7:]
                    elif line.startswith("data: ") and event:
                        out.put((event, line[6:]))

        threading.Thread(target=read, daemon=True).start()
        return out

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(10)


@pytest.fixture
def served(project):
    server = Served(project)
    yield server
    if server.process.poll() is None:
        server.process.kill()


def _version(html: str) -> int:
    return int(re.search(r'data-version="(\d+)"', html).group(1))


def _next(events, timeout=15):
    return events.get(timeout=timeout)


def test_editing_a_report_updates_its_page_and_fires_reload(served, project):
    path = served.report_path()
    status, html = served.get(path)
    mark = '<mark id="f-proactive-total" class="fig" title="主动公开政府信息（proactive.total）">88</mark>'
    assert status == 200 and mark in html
    assert '<script src="/__nianbao/live.js"' in html
    assert "__nianbao" not in (project / "output" / path).read_text(encoding="utf-8")  # the built file never carries it
    events = served.events(_version(html))
    seed = project / "content" / SEED
    seed.write_text(seed.read_text(encoding="utf-8").replace("总数88条", "总数99条"), encoding="utf-8")
    assert _next(events)[0] == "reload"
    html = served.get(path)[1]
    assert '<mark id="f-proactive-total" class="fig" title="主动公开政府信息（proactive.total）">99</mark>' in html
    assert served.get("compare.html")[1].count('data-value="99"') == 1  # the pages that aggregate it follow


def test_a_broken_template_shows_an_error_until_fixed(served, project):
    path = served.report_path()
    before = served.get(path)[1]
    events = served.events(_version(before))
    template = project / "templates" / "report.html"
    good = template.read_text(encoding="utf-8")
    template.write_text(good.replace("<h1>", "{% if %}<h1>", 1), encoding="utf-8")
    kind, data = _next(events)
    problem = json.loads(data)
    assert kind == "problem" and problem["items"][0]["where"].startswith("templates/report.html:")
    assert served.get(path)[1].split('<script src="/__nianbao')[0] == before.split('<script src="/__nianbao')[0]
    template.write_text(good.replace("<h1>", '<h1 class="fixed">', 1), encoding="utf-8")
    assert _next(events)[0] == "reload"
    assert '<h1 class="fixed">' in served.get(path)[1]


def test_an_unreadable_report_is_named_and_the_rest_is_served(served, project):
    events = served.events(_version(served.get("index.html")[1]))
    (project / "content" / "broken.txt").write_bytes(b"")
    kind, data = _next(events)
    assert kind == "problem" and "broken.txt" in data
    (project / "content" / "broken.txt").unlink()
    assert _next(events)[0] == "reload"
    assert served.get("index.html")[0] == 200


def test_deleting_a_report_removes_its_page(served, project):
    path = served.report_path()
    events = served.events(_version(served.get(path)[1]))
    (project / "content" / SEED).unlink()
    assert _next(events)[0] == "reload"
    assert served.get(path)[0] == 404
    assert not (project / "output" / path).exists()


def test_a_save_burst_is_one_rebuild(served, project):
    events = served.events(_version(served.get("index.html")[1]))
    seed = project / "content" / SEED
    text = seed.read_text(encoding="utf-8")
    for i in range(5):  # an editor: temp file, rename, several writes
        tmp = project / "content" / f".{SEED}.swp{i}"
        tmp.write_text(text.replace("总数88条", f"总数{90 + i}条"), encoding="utf-8")
        tmp.replace(seed)
    assert _next(events)[0] == "reload"
    time.sleep(1)
    assert events.empty()
    assert sum("已重新构建" in line for line in served.lines) == 1


def test_ctrl_c_stops_cleanly_and_a_busy_port_is_named(served, project):
    port = int(served.url.rsplit(":", 1)[1].strip("/"))
    busy = subprocess.run(
        [
            sys.executable,
            "build.py",
            "serve",
            "--port",
            str(port),
            "--content",
            str(project / "content"),
            "--output",
            str(project / "o2"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert busy.returncode == 2 and f"端口 {port} 已被占用" in busy.stdout
    assert served.stop() == 0
    assert any("已停止" in line for line in served.lines)
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))  # the port is free again


def test_incremental_build_equals_clean_build_byte_for_byte(project):
    content = project / "content"
    config = Config(content, project / "inc", cache=None, jobs=1, templates=project / "templates", site_src=project / "site_src")
    builder = Builder(config)
    builder.build()
    seed = content / SEED
    seed.write_text(seed.read_text(encoding="utf-8").replace("总数88条", "总数77条"), encoding="utf-8")
    (content / OTHER).rename(content / "renamed.txt")
    second = builder.build()
    assert second.written > 0 and second.removed > 0
    assert builder.build().written == 0  # nothing changed: nothing written
    clean = Config(content, project / "clean", cache=None, jobs=1, templates=project / "templates", site_src=project / "site_src")
    build(clean)
    inc = {p.relative_to(project / "inc"): p.read_bytes() for p in (project / "inc").rglob("*") if p.is_file()}
    ref = {p.relative_to(project / "clean"): p.read_bytes() for p in (project / "clean").rglob("*") if p.is_file()}
    assert inc.keys() == ref.keys()
    assert [k for k in inc if inc[k] != ref[k]] == []


def test_an_open_tab_shows_the_new_figure_by_itself(served, project):
    path = served.report_path()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(served.url + path)
        assert page.locator("mark#f-proactive-total").text_content() == "88"
        page.wait_for_timeout(300)  # the event stream is open
        seed = project / "content" / SEED
        seed.write_text(seed.read_text(encoding="utf-8").replace("总数88条", "总数123条"), encoding="utf-8")
        page.wait_for_function("() => document.querySelector('mark#f-proactive-total')?.textContent === '123'", timeout=15000)
        template = project / "templates" / "report.html"
        good = template.read_text(encoding="utf-8")
        template.write_text(good.replace("<h1>", "{% if %}<h1>", 1), encoding="utf-8")
        overlay = page.locator("#nianbao-problem")
        overlay.wait_for(timeout=15000)
        assert "templates/report.html" in overlay.text_content()
        template.write_text(good, encoding="utf-8")
        page.wait_for_function("() => !document.getElementById('nianbao-problem')", timeout=15000)
        assert errors == []
        browser.close()


def test_a_template_error_in_a_build_names_the_line_and_leaves_the_site(project):
    args = [sys.executable, "build.py", "--no-cache", "--content", str(project / "content"), "--output", str(project / "out")]
    args += ["--templates", str(project / "templates"), "--site-src", str(project / "site_src")]
    assert subprocess.run(args, cwd=ROOT, capture_output=True, timeout=120).returncode == 0
    before = {p: p.read_bytes() for p in (project / "out").rglob("*") if p.is_file()}
    template = project / "templates" / "compare.html"
    template.write_text(template.read_text(encoding="utf-8").replace("<h1>", "<h1>{{ broken(", 1), encoding="utf-8")
    seed = project / "content" / SEED
    seed.write_text(seed.read_text(encoding="utf-8").replace("总数88条", "总数99条"), encoding="utf-8")
    failed = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert failed.returncode == 1 and re.search(r"templates/compare\.html:\d+: ", failed.stderr), failed.stderr
    after = {p: p.read_bytes() for p in (project / "out").rglob("*") if p.is_file()}
    assert after == before  # not one page of the half-built site was swapped in
