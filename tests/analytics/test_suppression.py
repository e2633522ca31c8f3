"""Statistical confidentiality on hand-computed tables: primary "< 5" and the complements that protect it."""

from elearn.analytics.services.suppression import SUPPRESSED, Table, show, suppress


def grid(rows, cols, data):
    return Table(rows, cols, {(r, c): data[i][j] for i, r in enumerate(rows) for j, c in enumerate(cols)})


def test_single_numbers_under_five_are_hidden_but_zero_and_five_are_not():
    assert [show(n) for n in (0, 1, 4, 5, 12)] == [0, SUPPRESSED, SUPPRESSED, 5, 12]
    assert show(3 * 0, base=3) == SUPPRESSED  # 0 of 3 people is still about 3 people


def test_a_table_with_no_small_cell_is_published_whole():
    table = suppress(grid("ab", "xy", [[10, 7], [6, 9]]))
    assert table.hidden == set() and table.grand_cell() == 32


def test_a_lone_small_cell_takes_the_smallest_cells_of_its_row_and_column_with_it():
    #        x   y   z  | total
    #   a    3  10  20  |  33      a·x = 3 is primary; row a: smallest other is a·y (10);
    #   b    8   6  30  |  44      column x: smallest other is b·x (8); column y now has a·y hidden alone → b·y (6);
    #   c    9  12   7  |  28      row b has b·x and b·y hidden: stable. Column totals and row totals stay published.
    table = suppress(grid("abc", "xyz", [[3, 10, 20], [8, 6, 30], [9, 12, 7]]))
    assert table.hidden == {("a", "x"), ("a", "y"), ("b", "x"), ("b", "y")}
    assert [table.cell("a", c) for c in "xyz"] == [SUPPRESSED, SUPPRESSED, 20]
    assert table.row_cell("a") == 33 and table.col_cell("x") == 20


def test_zero_cells_are_the_last_choice_of_complement():
    #   a: 2, 0, 9   → a·x primary; zero a·y is passed over for a·z (9)
    #   b: 7, 8, 6   → column x: b·x (7); column z: b·z (6); row b now has two hidden: stable
    table = suppress(grid("ab", "xyz", [[2, 0, 9], [7, 8, 6]]))
    assert table.hidden == {("a", "x"), ("a", "z"), ("b", "x"), ("b", "z")}
    assert table.cell("a", "y") == 0


def test_a_line_with_nothing_left_to_hide_hides_its_total_and_small_margins_are_hidden():
    # one column only: the row total would equal the hidden cell, so the row total goes; column total 3+12 = 15
    table = suppress(grid("ab", "x", [[3], [12]]))
    assert ("a", "x") in table.hidden and table.row_cell("a") == SUPPRESSED
    assert ("b", "x") in table.hidden  # column x held a·x alone
    assert table.row_cell("b") == SUPPRESSED and table.col_cell("x") == 15
    small = suppress(grid("a", "xy", [[1, 2]]))
    assert small.row_cell("a") == SUPPRESSED and small.grand_cell() == SUPPRESSED


def test_cells_over_a_population_under_five_are_hidden():
    table = Table("ab", "xy", {("a", "x"): 0, ("a", "y"): 7, ("b", "x"): 8, ("b", "y"): 9}, bases={("a", "x"): 4})
    suppress(table)
    assert ("a", "x") in table.hidden
    assert {("a", "y"), ("b", "x"), ("b", "y")} <= table.hidden  # each line needed its complement


def test_without_column_totals_only_rows_take_complements():
    #   a: 3, 10  → a·y complements a·x in its row;  b: 8, 6 untouched (no column total is published)
    table = suppress(grid("ab", "xy", [[3, 10], [8, 6]]), column_totals=False)
    assert table.hidden == {("a", "x"), ("a", "y")}
