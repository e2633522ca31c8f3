"""Lists shown to people are in Polish alphabetical order (pyuca + the CLDR Polish tailoring)."""

from __future__ import annotations

from elearn.core.collation import polish_sort_key, sorted_pl


def test_polish_letters_follow_their_base_letter():
    assert sorted_pl(["Bytoń", "Bądkowo"]) == ["Bądkowo", "Bytoń"]
    assert sorted_pl(["Łódź", "Lubicz"]) == ["Lubicz", "Łódź"]
    assert sorted_pl(["Żnin", "Źródła", "Zielona"]) == ["Zielona", "Źródła", "Żnin"]


def test_every_tailored_letter_sits_between_its_base_and_the_next_letter():
    for base, letter, following in [("a", "ą", "b"), ("c", "ć", "d"), ("e", "ę", "f"), ("l", "ł", "m"), ("n", "ń", "o"),
                                     ("o", "ó", "p"), ("s", "ś", "t"), ("z", "ź", "ż")]:  # fmt: skip
        words = [f"{following}a", f"{letter}a", f"{base}z"]
        assert sorted_pl(words) == [f"{base}z", f"{letter}a", f"{following}a"]
        upper = [w.capitalize() for w in words]
        assert sorted_pl(upper) == [f"{base}z".capitalize(), f"{letter}a".capitalize(), f"{following}a".capitalize()]


def test_case_decides_only_ties_and_key_function_is_used():
    assert sorted_pl(["ósemka", "Osiek", "osa"]) == ["osa", "Osiek", "ósemka"]
    people = [("Żaneta Ćwik", 1), ("Łukasz Lis", 2), ("Adam Ąbc", 3)]
    assert [p[1] for p in sorted_pl(people, key=lambda p: p[0])] == [3, 2, 1]
    assert polish_sort_key(None) == polish_sort_key("")
