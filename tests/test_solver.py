"""The run-together cell solver: unique, ambiguous and impossible rows; a 15-cell review row; a
table whose column rules decide what one row cannot; bounded time on hostile rows."""

import time

from nianbao.parse.solver import agreed, rejoined, row_splits, solve_table

EQUATIONS = [(("received", "carried_over"), ("processed_total", "carried_forward"))]


def test_a_unique_split_is_taken():
    assert row_splits(["5000005"], 7) == [(5, 0, 0, 0, 0, 0, 5)]
    assert row_splits(["3100206"], 7) == [(3, 1, 0, 0, 2, 0, 6)]
    assert row_splits(["0000000"], 7) == [(0,) * 7]


def test_a_printed_gap_is_a_cut():
    assert row_splits(["140", "000014"], 7) == [(14, 0, 0, 0, 0, 0, 14)]
    assert row_splits(["1", "10000011"], 7) == [(1, 10, 0, 0, 0, 0, 11)]  # the gap rules out 11 0 0 …


def test_an_ambiguous_row_keeps_only_what_every_way_agrees_on():
    assert row_splits(["110000011"], 7) == [(1, 10, 0, 0, 0, 0, 11), (11, 0, 0, 0, 0, 0, 11)]
    assert agreed(row_splits(["110000011"], 7), 7) == [None, None, 0, 0, 0, 0, 11]


def test_no_split_is_no_value():
    assert row_splits(["1234567"], 7) == []
    assert agreed([], 7) == [None] * 7


def test_a_review_row_of_fifteen_cells():
    assert row_splits(["100011000100000"], 15, groups=3) == [(1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0)]
    assert row_splits(["0" * 15], 15, groups=3) == [(0,) * 15]


def test_the_column_rules_decide_between_a_rows_ways():
    received = [(1, 10, 0, 0, 0, 0, 11), (11, 0, 0, 0, 0, 0, 11)]
    rows = {
        "received": received,
        "carried_over": [(0,) * 7],
        "processed_total": [(11, 0, 0, 0, 0, 0, 11)],
        "carried_forward": [(0,) * 7],
    }
    assert solve_table(rows, EQUATIONS, 7)["received"] == [11, 0, 0, 0, 0, 0, 11]
    # without the rule's other rows the row keeps only what its own ways agree on: the total
    alone = solve_table({"received": received}, EQUATIONS, 7)["received"]
    assert alone == [None, None, 0, 0, 0, 0, 11]


def test_an_inconsistent_table_falls_back_to_each_row():
    rows = {
        "received": [(1, 10, 0, 0, 0, 0, 11), (11, 0, 0, 0, 0, 0, 11)],
        "carried_over": [(0,) * 7],
        "processed_total": [(5, 0, 0, 0, 0, 0, 5)],
        "carried_forward": [(0,) * 7],
    }
    assert solve_table(rows, EQUATIONS, 7)["received"][-1] == 11


def test_hostile_rows_take_no_time():
    start = time.perf_counter()
    for digits in ("9" * 200, "1" * 49, "10" * 24, "1234567890" * 5, "0" * 80):
        for groups, width in ((1, 7), (3, 15)):
            row_splits([digits], width, groups)
    assert time.perf_counter() - start < 1.0


def test_a_figure_split_by_a_stray_space_is_joined_where_the_sum_rule_says():
    assert rejoined(["1", "288", "21", "0", "0", "50", "3", "1362"], 7) == [(1288, 21, 0, 0, 50, 3, 1362)]
    assert rejoined(["3", "0", "1", "0", "0", "0", "0", "31"], 7) == [(30, 1, 0, 0, 0, 0, 31)]  # never "01"
    assert rejoined(["2", "932", "53", "0", "0", "61", "4", "3050"], 7) == [(2932, 53, 0, 0, 61, 4, 3050)]


def test_a_row_whose_joins_are_ambiguous_or_impossible_gives_every_way_or_none():
    ways = rejoined(["1", "1", "1", "0", "0", "0", "0", "12"], 7)
    assert (11, 1, 0, 0, 0, 0, 12) in ways and (1, 11, 0, 0, 0, 0, 12) in ways
    assert (1, 1, 10, 0, 0, 0, 12) in ways and len(ways) == 3
    assert agreed(ways, 7) == [None, None, None, 0, 0, 0, 12]
    assert rejoined(["5", "5", "5", "5", "5", "5", "5", "5"], 7) == []
    assert rejoined(["1"] * 12, 7) == []  # five figures too many: not a split figure
