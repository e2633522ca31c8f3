"""Quiz feedback is in the learner's language (issue 9, finding 16)."""

from __future__ import annotations


def test_polish_quiz_feedback_says_dobrze_and_zle(client, login_as, synced_course):
    login_as("learner")
    client.post("/courses/kurs-testowy/enrol")
    page = client.post("/courses/kurs-testowy/modules/pierwszy/quiz", data={"q1": "2", "q2": "1", "q3": "1"}).get_data(as_text=True)
    assert "Dobrze." in page
    assert "Źle." in page
    assert "Correct." not in page
    assert "Incorrect." not in page
