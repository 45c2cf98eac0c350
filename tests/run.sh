#!/bin/sh
# The whole test suite: installs what it needs, lints, runs every test, checks the seed score.
set -eu
cd "$(dirname "$0")/.."
python3 -m pip install -q -r requirements.txt
python3 -m ruff check nianbao tests build.py
python3 -m pytest -q tests
if [ -f ../shared/eval/score.py ]; then
  out=$(mktemp -d)
  python3 build.py -q --no-cache --output "$out"
  python3 ../shared/eval/score.py "$out" ../shared/eval/gold --min 1.0 --quiet
  rm -rf "$out"
fi
