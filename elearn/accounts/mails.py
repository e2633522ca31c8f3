"""The messages the accounts domain sends; all go through the job queue (core.mail.queue_mail)."""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import gettext as _

from ..core.mail import queue_mail
from ..core.urls import external_url
from . import services
from .models import User


def send_reset_link(user: User) -> None:
    link = external_url("accounts.reset_password", token=services.make_reset_token(user))
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    queue_mail(
        user.email, _("Password reset in elearn"), render_template("accounts/email/reset.txt", user=user, link=link, minutes=minutes)
    )


def send_confirmation_link(user: User) -> None:
    link = external_url("accounts.confirm_email", token=services.make_confirmation_token(user))
    days = current_app.config["EMAIL_CONFIRM_MAX_AGE"] // (24 * 3600)
    queue_mail(
        user.email,
        _("Confirm your e-mail address in elearn"),
        render_template("accounts/email/confirm.txt", user=user, link=link, days=days),
    )


def send_already_registered(user: User) -> None:
    body = render_template(
        "accounts/email/already_registered.txt",
        user=user,
        login_link=external_url("accounts.login"),
        reset_link=external_url("accounts.reset_request"),
    )
    queue_mail(user.email, _("Your elearn account"), body)
