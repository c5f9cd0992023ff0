"""The one Markdown table writer."""
import pytest

from tillit.core import markdown


def test_table_has_header_rule_and_rows():
    assert markdown.table(["A", "B"], [[1, "x"], ["2", "y"]]) == "| A | B |\n|---|---|\n| 1 | x |\n| 2 | y |"


def test_table_without_rows_is_header_and_rule():
    assert markdown.table(["Tabell"], []) == "| Tabell |\n|---|"


def test_a_row_of_the_wrong_width_is_refused():
    with pytest.raises(ValueError, match="2 cells, the header 3"):
        markdown.table(["a", "b", "c"], [["1", "2"]])
