#!/bin/sh
# The whole test suite: installs what it needs, lints, runs every test, checks the seed score.
set -eu
cd "$(dirname "$0")/.."
python3 -m pip install -q -r requirements.txt
npm ci --prefix site_src --no-audit --no-fund --loglevel=error
# browser tests drive Debian's chromium (Playwright never downloads a browser here);
# LibreOffice converts .doc/.wps (its test is skipped where it is not installed)
if [ ! -x /usr/bin/chromium ] || ! command -v soffice >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "tests/run.sh: installing with apt-get: chromium and fonts-noto-cjk (the browser tests drive Chromium;" >&2
    echo "  the fonts draw Chinese in screenshots), and libreoffice-writer-nogui (about 260 MB: the .doc/.wps test converts with it)" >&2
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-cjk
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends libreoffice-writer-nogui
  elif [ ! -x /usr/bin/chromium ]; then
    echo "tests/run.sh: the browser tests need /usr/bin/chromium: sudo apt-get install -y chromium fonts-noto-cjk" >&2
    exit 1
  fi
fi
python3 -m ruff check nianbao tests build.py
python3 -m mypy --strict --ignore-missing-imports nianbao
python3 -m pytest -q tests
if [ -f ../shared/eval/score.py ]; then
  out=$(mktemp -d)
  python3 build.py -q --no-cache --output "$out"
  python3 ../shared/eval/score.py "$out" ../shared/eval/gold --min 1.0 --quiet
  rm -rf "$out"
fi
