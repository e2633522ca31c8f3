"""The public calendar, the event page and the iCalendar files (parsed with icalendar)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from icalendar import Calendar
from sqlalchemy import select

from elearn.directory.models import TerritorialUnit
from elearn.extensions import db

from .helpers import make_event


def gmina(code: str) -> TerritorialUnit:
    return db.session.scalar(select(TerritorialUnit).where(TerritorialUnit.code == code))


def test_calendar_is_public_and_filters_by_type_powiat_role_and_month(client):
    lubicz = gmina("0415042")  # powiat toruński
    day = date.today() + timedelta(days=40)
    workshop = make_event(title="Warsztat w Lubiczu", gmina_id=lubicz.id, sessions=[(day, time(9), time(12))])
    webinar = make_event(
        title="Webinarium o mediacji", type="webinarium", city=None, online_url="https://meet.example.org/x", target_roles=["mediator"]
    )
    page = client.get("/events").get_data(as_text=True)
    assert "Warsztat w Lubiczu" in page and "Webinarium o mediacji" in page
    page = client.get("/events?type=webinarium").get_data(as_text=True)
    assert "Webinarium o mediacji" in page and "Warsztat w Lubiczu" not in page
    page = client.get(f"/events?powiat={lubicz.parent_id}").get_data(as_text=True)
    assert "Warsztat w Lubiczu" in page and "Webinarium o mediacji" not in page
    page = client.get("/events?role=mediator").get_data(as_text=True)
    assert "Webinarium o mediacji" in page and "Warsztat w Lubiczu" not in page
    page = client.get(f"/events?month={day:%Y-%m}").get_data(as_text=True)
    assert "Warsztat w Lubiczu" in page
    assert client.get("/events?month=bzdura&powiat=x").status_code == 200
    assert workshop.id and webinar.id


def test_event_page_hides_the_online_link_from_non_participants(client, make_user, login):
    event = make_event(type="webinarium", city=None, online_url="https://meet.example.org/tajny")
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "meet.example.org/tajny" not in page
    assert "meet.example.org/tajny" not in client.get(f"/events/{event.id}/calendar.ics").get_data(as_text=True)
    login(make_user("learner"))
    client.post(f"/events/{event.id}/register", data={})
    assert "meet.example.org/tajny" in client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "meet.example.org/tajny" in client.get(f"/events/{event.id}/calendar.ics").get_data(as_text=True)


def test_event_ics_has_one_entry_per_session_in_utc(client):
    day = date(2027, 1, 14)  # winter: Warsaw is UTC+1
    event = make_event(sessions=[(day, time(9, 0), time(15, 0)), (day + timedelta(days=1), time(9, 0), time(13, 0))])
    response = client.get(f"/events/{event.id}/calendar.ics")
    assert response.mimetype == "text/calendar"
    items = Calendar.from_ical(response.data).walk("VEVENT")
    assert [i.decoded("dtstart") for i in items] == [datetime(2027, 1, 14, 8, 0, tzinfo=UTC), datetime(2027, 1, 15, 8, 0, tzinfo=UTC)]
    assert [i.decoded("dtend") for i in items] == [datetime(2027, 1, 14, 14, 0, tzinfo=UTC), datetime(2027, 1, 15, 12, 0, tzinfo=UTC)]
    assert "Toruń" in str(items[0]["location"])
    # 6 h + 4 h = 10 clock hours = 13.33 teaching hours
    assert event.clock_hours == 10 and event.academic_hours == 13.33
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "10 h zegarowych (13,33 h dydaktycznych" in page
    assert "14 stycznia 2027, 09:00" in page


def test_personal_feed_lists_my_events_and_can_be_revoked(client, make_user, login):
    mine, other = make_event(title="Moje szkolenie"), make_event(title="Cudze szkolenie")
    person = login(make_user("learner"))
    client.post(f"/events/{mine.id}/register", data={})
    client.post("/events/mine", data={"what": "renew"})
    page = client.get("/events/mine").get_data(as_text=True)
    url = page.split('<code class="break">')[1].split("</code>")[0]
    path = url.removeprefix("http://localhost")
    client.post("/logout")
    feed = Calendar.from_ical(client.get(path).data)
    summaries = [str(i["summary"]) for i in feed.walk("VEVENT")]
    assert any("Moje szkolenie" in s for s in summaries) and not any("Cudze" in s for s in summaries)
    assert other.id
    login(person)
    client.post("/events/mine", data={"what": "revoke"})
    assert client.get(path).status_code == 404
