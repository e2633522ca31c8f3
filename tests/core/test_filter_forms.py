"""GET search and filter forms: a first visit or a stale value shows the list with no error message."""

import pytest

PAGES = [
    ("learner", "/courses?role=nieznana"),
    ("admin", "/admin/users?role=nieznana"),
    ("admin", "/admin/institutions/?type=nieznany"),
    ("admin", "/admin/audit"),
    ("issuer", "/certificates/register?status=nieznany"),
]


@pytest.mark.parametrize(("role", "url"), PAGES)
def test_filter_pages_show_no_choice_error(client, login_as, role, url):
    login_as(role)
    for address in (url.split("?")[0], url):
        response = client.get(address)
        assert response.status_code == 200, address
        html = response.get_data(as_text=True)
        assert "Nieprawidłowy wybór" not in html and "Not a valid choice" not in html
        assert 'aria-invalid="true"' not in html
