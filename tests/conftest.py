import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


import pytest  # noqa: E402

from nianbao.build.pipeline import build  # noqa: E402
from nianbao.config import Config  # noqa: E402
from tools.corpus import generate  # noqa: E402


def _site_content(content: Path) -> None:
    """The five seeds, one agency over three years, and reports filed by region folders."""
    content.mkdir()
    for seed in (ROOT / "content").iterdir():
        (content / seed.name).write_bytes(seed.read_bytes())
    first = generate(11, "gb2021", "tab")
    agency, year = first.expected["agency"], first.expected["year"]
    for i, (seed, layout) in enumerate(((11, "tab"), (12, "pipe"), (13, "padded"))):
        g = generate(seed, "gb2021", layout)
        text = g.text.replace(g.expected["agency"], agency).replace(str(g.expected["year"]), str(year + i))
        (content / f"series-{i}.txt").write_text(text, encoding="utf-8")
    region = content / "浙江省" / "宁波市"
    region.mkdir(parents=True)
    for seed in (21, 22):
        g = generate(seed, "narrative")
        (region / f"{g.name}.txt").write_text(g.text, encoding="utf-8")


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """A site built once for the tests that read it: (output folder, build result)."""
    base = tmp_path_factory.mktemp("site")
    _site_content(base / "content")
    result = build(Config(base / "content", base / "output", cache=None, jobs=1))
    return base / "output", result


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium for a module's browser tests."""
    from playwright.sync_api import sync_playwright

    from helpers import ARGS, CHROMIUM

    assert CHROMIUM.exists(), "browser tests need Debian's chromium: apt-get install -y chromium"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()
