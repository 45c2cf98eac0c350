"""Bad, hostile and huge input: the build keeps working, shows text as text and loses nothing."""

import functools
import http.server
import json
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from helpers import ARGS, CHROMIUM
from nianbao.build.pipeline import build
from nianbao.config import Config
from nianbao.write import STAGED
from tools.corpus import generate

ROOT = Path(__file__).resolve().parent.parent
PAYLOAD = (
    "<script>alert('xss-1')</script> <img src=x onerror=\"alert('xss-2')\"> [点我](javascript:alert('xss-3')) "
    "<!-- 注释 --> {{ 7*7 }} {% if true %}模板{% endif %} <a href=\"javascript:alert('xss-4')\">链接</a> https://example.org/x"
)


def _hostile_content(content: Path) -> None:
    content.mkdir()
    report = generate(5, "narrative").text
    head, rest = report.split("\n", 1)
    (content / "xss.txt").write_text(f"{head}\n{PAYLOAD}\n{rest}", encoding="utf-8")
    front = "---\nagency: \"<script>alert('xss-5')</script>某局\"\nyear: 2020\n---\n"
    (content / "front.md").write_text(front + PAYLOAD + "\n" + generate(6, "gb2021", "tab").text, encoding="utf-8")
    (content / "<img src=x onerror=alert('xss-6')>.txt").write_text(generate(7, "narrative").text, encoding="utf-8")
    page = (
        "<html><body><script>alert('xss-7')</script><p>"
        + generate(8, "narrative").text.replace("\n", "</p><p>")
        + "</p></body></html>"
    )
    (content / "page.html").write_text(page, encoding="utf-8")


def test_hostile_text_shows_literally_and_nothing_runs(tmp_path):
    _hostile_content(tmp_path / "content")
    result = build(Config(tmp_path / "content", tmp_path / "out", cache=None, jobs=1))
    assert len(result.reports) == 4
    out = tmp_path / "out"
    for page in out.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script>alert" not in html and 'onerror="alert' not in html and 'href="javascript:' not in html, page
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(out))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    dialogs, errors = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: errors.append(str(e)))
        reports = json.loads((out / "data/reports.json").read_text(encoding="utf-8"))["reports"]
        for path in ["index.html", "compare.html", "agencies.html", "flags.html"] + [f"report/{r['id']}.html" for r in reports]:
            page.goto(base + path)
            page.wait_for_load_state("load")
            for link in page.locator("a").all()[:400]:
                assert not (link.get_attribute("href") or "").startswith("javascript:")
        xss = next(r for r in reports if r["source"] == "xss.txt")
        page.goto(base + f"report/{xss['id']}.html")
        text = page.locator(".report-text").inner_text()
        assert "<script>alert('xss-1')</script>" in text and "{{ 7*7 }}" in text and "49" not in text.split("{{ 7*7 }}")[0][-5:]
        front = next(r for r in reports if r["source"] == "front.md")
        page.goto(base + f"report/{front['id']}.html")
        assert "<script>alert('xss-5')</script>某局" in page.locator("h1").inner_text()
        browser.close()
    server.shutdown()
    assert dialogs == [] and errors == []


def test_file_names_get_distinct_safe_urls_inside_the_output(tmp_path):
    content = tmp_path / "content"
    (content / "sub").mkdir(parents=True)
    names = ["报告 (2020).txt", "报告（2020）.txt", "a b.txt", "a-b.txt", "A B.txt", "sub/a b.txt", "a..txt", "x..y.txt",
             "名" * 80 + ".txt", "[1] {2} #3 %4 &5.txt", "../escape.txt".replace("../", "dots..")]  # fmt: skip
    for i, name in enumerate(names):
        (content / name).write_text(generate(30 + i, "narrative").text, encoding="utf-8")
    result = build(Config(content, tmp_path / "out", cache=None, jobs=1))
    ids = [r.id for r in result.reports]
    assert len(ids) == len(names) == len(set(ids))
    for report_id in ids:
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]{0,80}", report_id), report_id
        page = (tmp_path / "out" / "report" / f"{report_id}.html").resolve()
        assert page.is_file() and (tmp_path / "out").resolve() in page.parents
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "out"]  # nothing written beside the output


def test_an_interrupted_build_leaves_the_previous_site(tmp_path):
    content, out = tmp_path / "content", tmp_path / "out"
    content.mkdir()
    (content / "one.txt").write_text(generate(1, "narrative").text, encoding="utf-8")
    args = [sys.executable, "build.py", "-q", "--no-cache", "--jobs", "1", "--content", str(content), "--output", str(out)]
    subprocess.run(args, cwd=ROOT, check=True, capture_output=True, timeout=120)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    for seed in range(2, 160):
        g = generate(seed)
        (content / f"{g.name}.txt").write_text(g.text, encoding="utf-8")
    (content / "one.txt").write_text(generate(1, "narrative").text.replace("年", "年 ", 1), encoding="utf-8")
    process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not any(p.name.startswith(STAGED) for p in out.rglob("*")):
        time.sleep(0.01)  # the build is writing its new pages
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file() and not p.name.startswith(STAGED)}
    assert after == before
    result = build(Config(content, out, cache=None, jobs=1))  # the next build finishes and sweeps up
    assert len(result.reports) == 159 and not any(p.name.startswith(STAGED) for p in out.rglob("*"))


def test_an_empty_content_folder_builds_a_site_that_says_so(tmp_path):
    (tmp_path / "content").mkdir()
    result = build(Config(tmp_path / "content", tmp_path / "out", cache=None, jobs=1))
    assert result.reports == []
    assert all(p.stage == "assets" for p in result.problems)
    assert "内容目录中还没有可读的报告" in (tmp_path / "out/index.html").read_text(encoding="utf-8")


def test_huge_and_non_report_files_are_named_and_the_rest_builds(tmp_path):
    content = tmp_path / "content"
    (content / "附件").mkdir(parents=True)
    with open(content / "huge.txt", "wb") as f:
        f.truncate(51 * 1024 * 1024)  # 51 MB
    (content / "附件" / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(200))
    (content / "附件" / "report.docx").write_bytes(b"PK\x03\x04" + bytes(200))
    (content / "ok.txt").write_text(generate(3, "narrative").text, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "build.py", "--no-cache", "--content", str(content), "--output", str(tmp_path / "out")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0 and "读取 1 份报告，3 个问题" in run.stdout
    assert (
        "huge.txt: 文件过大" in run.stderr
        and "photo.jpg: 不是可读取的报告格式" in run.stderr
        and "report.docx: 不是有效的 Word" in run.stderr
    )
    problems = (tmp_path / "out/flags.html").read_text(encoding="utf-8")
    assert problems.count('class="sev-error"><code>') == 3 and "附件/report.docx" in problems


def test_ten_thousand_tiny_files(tmp_path):
    content = tmp_path / "content"
    for folder in range(10):
        (content / f"{folder}").mkdir(parents=True)
        for i in range(1000):
            n = folder * 1000 + i
            (content / f"{folder}" / f"r{n}.txt").write_text(
                f"第{n}局2020年政府信息公开工作年度报告\n2020年主动公开政府信息{n}条。\n", encoding="utf-8"
            )
    result = build(Config(content, tmp_path / "out", cache=None, jobs=2))
    assert len(result.reports) == 10_000 and [p for p in result.problems if p.stage != "assets"] == []
    totals = {r.source: r.get("proactive.total") for r in result.reports}
    assert totals["7/r7123.txt"] == 7123
    assert (tmp_path / "out/report" / f"{next(r.id for r in result.reports if r.source == '7/r7123.txt')}.html").is_file()
