"""Register numbers: one gap-free sequence per issuer prefix and year, each starting at 1."""

from __future__ import annotations

from elearn.certificates import numbering
from elearn.extensions import db


def test_each_prefix_and_year_counts_on_its_own():
    taken = [
        numbering.allocate_number(db.session, prefix, year)
        for prefix, year in [("ROPS-T", 2026), ("ROPS-T", 2026), ("INNY-T", 2026), ("ROPS-T", 2027), ("ROPS-T", 2026), ("INNY-T", 2026)]
    ]
    assert taken == [1, 2, 1, 1, 3, 2]


def test_numbers_format_and_parse_back():
    assert numbering.format_number("ROPS-T", 2026, 7) == "ROPS-T/2026/000007"
    assert numbering.parse_number(" rops-t/2026/000007 ") == ("ROPS-T", 2026, 7)
    assert numbering.parse_number("ROPS-T/26/000007") is None


def test_a_batch_takes_a_consecutive_block_and_single_numbers_continue_after_it():
    assert numbering.allocate_number(db.session, "BLOK-T", 2026) == 1
    assert list(numbering.allocate_numbers(db.session, "BLOK-T", 2026, 5)) == [2, 3, 4, 5, 6]
    assert list(numbering.allocate_numbers(db.session, "BLOK-T", 2026, 0)) == []
    assert numbering.allocate_number(db.session, "BLOK-T", 2026) == 7
