"""What the site says to do about a missing agency or year is what the flags' own messages say: the sidecar file."""

from nianbao.check import check_report
from nianbao.model import SourceDoc
from nianbao.parse import parse_report
from nianbao.render import labels


def test_missing_agency_and_year_point_to_the_sidecar():
    report = parse_report(SourceDoc("docs/2023年报告.pdf", "0" * 64, "pdf", "没有机关也没有年度的一段话。\n"))
    flags = {f.code: f.message for f in check_report(report)}
    assert {"MISSING_AGENCY", "MISSING_YEAR"} <= set(flags)
    assert "2023年报告.pdf.yaml" in flags["MISSING_AGENCY"]  # the flag's own message names the sidecar
    for code, key in (("MISSING_AGENCY", "agency:"), ("MISSING_YEAR", "year:")):
        explain = labels.FLAGS[code][1]
        assert "前言" not in explain and "文件开头" not in explain, explain
        assert "报告文件名.yaml" in explain and "任何格式" in explain and key in explain, explain
