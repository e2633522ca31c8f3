"""Numbers and dates as people write them in each interface language, through Babel (issue 13)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from flask_babel import force_locale

from elearn.core.templating import _localdate, _localdatetime, content, content_lang, format_filesize, format_number

WHEN = datetime(2026, 12, 1, 13, 18)  # naive UTC: 14:18 in Warsaw


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("pl", ["12", "3,3", "0,7", "12\u00a0345,5", "3,3\u00a0KB", "1,5\u00a0MB", "820\u00a0B"]),
        ("en", ["12", "3.3", "0.7", "12,345.5", "3.3\u00a0KB", "1.5\u00a0MB", "820\u00a0B"]),
    ],
)
def test_numbers_have_the_languages_decimal_mark_and_no_trailing_zero(app, locale, expected):
    with app.test_request_context(), force_locale(locale):
        shown = [format_number(12.0), format_number(3.3), format_number(0.7), format_number(12345.5)]
        shown += [format_filesize(3400), format_filesize(1572864), format_filesize(820)]
    assert shown == expected


@pytest.mark.parametrize(
    ("locale", "medium", "long", "day", "time"),
    [
        ("pl", "1 gru 2026, 14:18", "1 grudnia 2026", "wtorek, 1 grudnia 2026, 14:18", "14:18"),
        ("en", "Dec 1, 2026, 2:18\u202fPM", "December 1, 2026", "Tuesday, December 1, 2026, 2:18\u202fPM", "2:18\u202fPM"),
    ],
)
def test_dates_and_times_follow_one_convention_per_language(app, locale, medium, long, day, time):
    with app.test_request_context(), force_locale(locale):
        assert _localdatetime(WHEN) == medium
        assert _localdate(date(2026, 12, 1), "long") == long
        assert _localdatetime(WHEN, "full") == day
        assert _localdatetime(WHEN, "time") == time
        assert "/" not in _localdate(WHEN)  # never "12/1/26"


def test_content_is_marked_polish_only_in_the_english_interface(app):
    with app.test_request_context():
        with force_locale("pl"):
            assert content_lang() == "" and content("Mapa <zasobów>") == "Mapa &lt;zasobów&gt;"
        with force_locale("en"):
            assert content_lang() == ' lang="pl"'
            assert content("Mapa <zasobów>") == '<span lang="pl">Mapa &lt;zasobów&gt;</span>'


def test_dates_stored_in_notifications_are_shown_in_the_readers_language(app):
    from elearn.core.formatting import date_param, render_param

    stored = {"due": date_param(date(2026, 12, 1)), "starts": date_param(WHEN), "title": "Mapa zasobów"}
    with app.test_request_context():
        with force_locale("pl"):
            assert [render_param(v) for v in stored.values()] == ["1 gru 2026", "1 gru 2026, 14:18", "Mapa zasobów"]
        with force_locale("en"):
            assert render_param(stored["due"]) == "Dec 1, 2026"
