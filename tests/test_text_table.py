"""TEXT_TABLE compares like with like: a sentence's figure against the table's only when the sentence
states that figure (its words), and the flag quotes both the sentence and the table's row."""

import pytest

from helpers import parse_text
from tools.corpus import generate

TABLE = generate(11, "gb2021", "tab")  # its table: 予以公开 12, 本年新收 116
AFTER = "均在法定期限内答复。"


def _text_table(sentence: str) -> list[str]:
    report = parse_text(TABLE.text.replace(AFTER, AFTER + sentence, 1))
    return [f["message"] for f in report["flags"] if f["code"] == "TEXT_TABLE"]


@pytest.mark.parametrize("sentence", ["全年办理依申请公开20件。", "本年度依申请公开工作共办理20件。"])
def test_a_sentence_that_states_another_figure_is_not_compared(sentence):
    assert _text_table(sentence) == []


def test_a_sentence_that_states_the_same_figure_otherwise_is_flagged_with_both_quoted():
    assert _text_table("全年共收到申请116件，其中予以公开99件。") == [
        "正文与表格数字不一致：予以公开：正文第6行“其中予以公开99件”写99，"
        "表格第30行“三、本年度办理结果 (一)予以公开 1 0 0 9 2 0 12”为12"
    ]


def test_a_sentence_that_agrees_with_the_table_raises_nothing():
    assert _text_table("全年共收到申请116件，其中予以公开12件。") == []
