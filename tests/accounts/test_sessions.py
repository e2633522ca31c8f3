"""Sessions and remember-me cookies die with logout, password changes and resets, role changes and deactivation."""

from __future__ import annotations

from elearn.accounts import services
from elearn.extensions import db
from tests.helpers import PASSWORD


def _device(app, email: str, *, remember: bool = False):
    device = app.test_client()
    data = {"email": email, "password": PASSWORD} | ({"remember": "y"} if remember else {})
    assert device.post("/login", data=data).status_code == 302
    assert device.get("/dashboard").status_code == 200
    return device


def _copy(app, source, *names: str):
    """A second browser holding copies of some of the first one's cookies (a stolen cookie, say)."""
    thief = app.test_client()
    for name in names:
        thief.set_cookie(name, source.get_cookie(name).value)
    return thief


def _logged_in(device) -> bool:
    return device.get("/dashboard").status_code == 200


def test_copied_session_cookie_stops_working_after_logout(app, make_user):
    make_user(email="kopia@example.org")
    device = _device(app, "kopia@example.org")
    thief = _copy(app, device, "session")
    assert _logged_in(thief)
    device.post("/logout")
    assert thief.get("/dashboard").headers["Location"].startswith("/login")


def test_password_change_on_one_device_logs_out_the_others(app, make_user):
    make_user(email="dwa@example.org")
    phone, laptop = _device(app, "dwa@example.org"), _device(app, "dwa@example.org", remember=True)
    remembered = _copy(app, laptop, "remember_token")
    response = phone.post(
        "/account/password", data={"current_password": PASSWORD, "password": "nowe-haslo-2026!", "password_confirm": "nowe-haslo-2026!"}
    )
    assert response.status_code == 302
    assert _logged_in(phone)
    assert not _logged_in(laptop)
    assert not _logged_in(remembered)


def test_remember_me_cookie_is_worthless_after_logging_out_other_devices(app, make_user):
    make_user(email="pamietaj@example.org")
    here = _device(app, "pamietaj@example.org", remember=True)
    remembered = _copy(app, here, "remember_token")
    assert _logged_in(remembered)  # the cookie alone logs in, as remember-me should
    stale = _copy(app, here, "remember_token")
    assert here.post("/account/sessions").status_code == 302
    assert _logged_in(here)  # the device that asked stays in, with a fresh remember-me cookie
    assert not _logged_in(stale)
    assert _logged_in(_copy(app, here, "remember_token"))


def test_password_reset_role_change_and_deactivation_end_sessions(app, make_user):
    user = make_user(email="rotacja@example.org")

    device = _device(app, "rotacja@example.org")
    services.reset_password(db.session, user, PASSWORD)
    db.session.commit()
    assert not _logged_in(device)

    device = _device(app, "rotacja@example.org")
    services.set_roles(db.session, user, {"learner", "trainer"}, actor_id=None)
    db.session.commit()
    assert not _logged_in(device)

    device = _device(app, "rotacja@example.org")
    services.set_active(db.session, user, False, actor_id=None)
    db.session.commit()
    assert not _logged_in(device)
