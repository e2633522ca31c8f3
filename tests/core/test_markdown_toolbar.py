"""Every textarea whose content is rendered as Markdown carries the one formatting toolbar (form_field adds it to a
core.forms.MarkdownField); plain textareas (reasons, notes, comments) do not."""

from __future__ import annotations

import importlib
import inspect

import pytest
from flask import render_template_string
from flask_wtf import FlaskForm
from wtforms import TextAreaField

from elearn.core.forms import MarkdownField

# (module, form, field) whose text goes through core.markdown.render_markdown where it is shown
RENDERED_AS_MARKDOWN = [
    ("elearn.advisory.forms", "CaseForm", "description"),
    ("elearn.advisory.forms", "MessageForm", "body"),
    ("elearn.advisory.forms", "CloseForm", "outcome"),
    ("elearn.advisory.forms", "TemplateForm", "body"),
    ("elearn.advisory.forms", "CandidateForm", "summary"),
    ("elearn.events.forms", "EventForm", "description"),
    ("elearn.events.forms", "EventForm", "programme"),
    ("elearn.discussion.forms", "ThreadForm", "body"),
    ("elearn.discussion.forms", "ReplyForm", "body"),
    ("elearn.discussion.forms", "EditForm", "body"),
    ("elearn.discussion.forms", "MessageForm", "body"),
    ("elearn.courses.forms", "ModuleForm", "intro"),
    ("elearn.courses.forms", "AssignmentForm", "instructions"),
    ("elearn.knowledge.forms", "ResourceForm", "body"),
]
DOMAINS = ("accounts", "advisory", "analytics", "certificates", "competencies", "courses", "discussion", "events", "knowledge", "practice")


@pytest.mark.parametrize(("module", "form", "field"), RENDERED_AS_MARKDOWN)
def test_markdown_fields_are_marked(module, form, field):
    unbound = getattr(getattr(importlib.import_module(module), form), field)
    assert unbound.field_class is MarkdownField


def _textareas():
    for domain in DOMAINS:
        module = importlib.import_module(f"elearn.{domain}.forms")
        for name, form in inspect.getmembers(module, inspect.isclass):
            if issubclass(form, FlaskForm) and form.__module__ == module.__name__:
                for field_name, unbound in inspect.getmembers(form):
                    if getattr(unbound, "field_class", None) and issubclass(unbound.field_class, TextAreaField):
                        yield f"{domain}.{name}.{field_name}", unbound


def test_a_textarea_that_says_markdown_has_the_toolbar(app):
    """A label or hint promising Markdown is a promise the toolbar keeps (the lesson editor places its own)."""
    with app.test_request_context():
        promised = {
            where: unbound.field_class
            for where, unbound in _textareas()
            if "Markdown" in str(unbound.args[0] if unbound.args else "") + str(unbound.kwargs.get("description", ""))
        }
    assert promised, "no textarea promises Markdown: the test would not check anything"
    plain = sorted(where for where, cls in promised.items() if cls is not MarkdownField and where != "courses.LessonForm.source")
    assert plain == []


def test_form_field_renders_the_toolbar_only_over_markdown(app):
    class Sample(FlaskForm):
        class Meta:
            csrf = False

        text = MarkdownField("Tekst")
        reason = TextAreaField("Powód")

    with app.test_request_context():
        html = render_template_string(
            '{% from "macros.html" import form_field %}{{ form_field(form.text) }}{{ form_field(form.reason) }}', form=Sample()
        )
    assert html.count('role="toolbar"') == 1
    assert 'data-md-toolbar="text"' in html and 'aria-controls="text"' in html
    assert html.index('role="toolbar"') < html.index('<textarea id="text"')  # before its textarea: Shift+Tab reaches it
