"""Compact JSON as the data files, charts and search index are written: orjson, and the standard
library where orjson stops; either way the same bytes as ``json.dumps`` writes compactly."""

import json

import pytest

from nianbao.compact import dumps


def _standard(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@pytest.mark.parametrize(
    "value",
    [
        {"agency": "深圳市南山区城关镇人民政府", "year": 2022, "fees": {"collected_yuan": 1234.5}, "flags": []},
        {"text": '第12行："引号"、反斜杠\\、制表\t、换行\n、控制字符\x01\x1f、\u2028', "none": None, "yes": True},
        [1, 2.0, -3, 0.30000000000000004, 2**63, [], {}],
        {"big": 2**70},  # beyond 64 bits: orjson refuses it, the standard library writes it
        {1: "a", 2: "b"},  # keys that are not strings: written as the standard library writes them
    ],
)
def test_same_bytes_as_the_standard_library(value):
    assert dumps(value) == _standard(value)


def test_a_default_serialises_what_json_cannot():
    class Opts:
        def __init__(self, opts):
            self.opts = opts

    assert dumps({"legend": Opts({"show": False})}, default=lambda o: o.opts) == b'{"legend":{"show":false}}'
