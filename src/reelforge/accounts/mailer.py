"""Outgoing mail (sign-in and email-change codes), chosen by ``REELFORGE_MAILER``.

* ``file`` (default): each message is an ``.eml`` file in ``$REELFORGE_HOME/mail/``
  (0600) — a self-hosted install works with no mail server; open the newest
  file to read the code.
* ``smtp``: any SMTP server; STARTTLS by default (``REELFORGE_SMTP_SECURITY``).
* ``resend``: the Resend HTTP API (``POST /emails`` with a Bearer key), sent
  through the shared provider client so it gets the same retries and errors.

Mailers never log message bodies: a body may carry a code (promise P10).
"""

from __future__ import annotations

import email.utils
import os
import smtplib
import ssl
import uuid
from abc import ABC, abstractmethod
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import httpx

from reelforge.config import Settings
from reelforge.errors import ConfigError, ProviderError
from reelforge.providers.http import client_for


def build_message(*, sender: str, to: str, subject: str, text: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = email.utils.formatdate(localtime=False)
    message["Message-ID"] = email.utils.make_msgid(domain="reelforge.local")
    message.set_content(text)
    return message


class Mailer(ABC):
    name: str

    def __init__(self, settings: Settings) -> None:
        self.sender = settings.mail_from

    @abstractmethod
    def send(self, *, to: str, subject: str, text: str) -> None:
        """Deliver one plain-text message (or raise ProviderError)."""


class FileMailer(Mailer):
    name = "file"

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.directory = settings.home / "mail"

    def send(self, *, to: str, subject: str, text: str) -> None:
        message = build_message(sender=self.sender, to=to, subject=subject, text=text)
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Microsecond UTC time first: names sort in the order the mails were written.
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
        msgid = str(message["Message-ID"]).strip("<>").split("@")[0].replace(".", "")[-12:]
        path = self.directory / f"{stamp}-{msgid}.eml"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(message.as_bytes())

    def messages(self) -> list[Path]:
        """Written messages, oldest first."""
        return sorted(self.directory.glob("*.eml"))


class SMTPMailer(Mailer):
    name = "smtp"

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.settings = settings

    def send(self, *, to: str, subject: str, text: str) -> None:
        s = self.settings
        message = build_message(sender=self.sender, to=to, subject=subject, text=text)
        context = ssl.create_default_context()
        timeout = s.http_timeout_s
        try:
            if s.smtp_security == "ssl":
                client: smtplib.SMTP = smtplib.SMTP_SSL(
                    s.smtp_host, s.smtp_port, timeout=timeout, context=context
                )
            else:
                client = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=timeout)
            with client:
                if s.smtp_security == "starttls":
                    client.starttls(context=context)
                if s.smtp_username:
                    password = s.smtp_password.get_secret_value() if s.smtp_password else ""
                    client.login(s.smtp_username, password)
                client.send_message(message)
        except smtplib.SMTPAuthenticationError as exc:
            raise ProviderError(
                "The SMTP server refused the login; check REELFORGE_SMTP_USERNAME and "
                "REELFORGE_SMTP_PASSWORD.",
                provider="smtp",
                status=exc.smtp_code,
            ) from exc
        except smtplib.SMTPResponseException as exc:
            raise ProviderError(
                f"The SMTP server answered {exc.smtp_code}: {exc.smtp_error!r}.",
                provider="smtp",
                status=exc.smtp_code,
                retryable=400 <= exc.smtp_code < 500,
            ) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise ProviderError(
                f"Could not send mail through {s.smtp_host}:{s.smtp_port} ({exc}). Check "
                "REELFORGE_SMTP_HOST, REELFORGE_SMTP_PORT and REELFORGE_SMTP_SECURITY.",
                provider="smtp",
                retryable=True,
            ) from exc


class ResendMailer(Mailer):
    name = "resend"

    def __init__(self, settings: Settings, *, transport: httpx.BaseTransport | None = None) -> None:
        super().__init__(settings)
        if settings.resend_api_key is None or not settings.resend_api_key.get_secret_value():
            raise ConfigError(
                "REELFORGE_MAILER=resend needs REELFORGE_RESEND_API_KEY (a key starting re_).",
                details={"setting": "REELFORGE_RESEND_API_KEY"},
            )
        self.http = client_for(
            settings,
            provider="resend",
            base_url=settings.resend_base_url,
            headers={"Authorization": f"Bearer {settings.resend_api_key.get_secret_value()}"},
            transport=transport,
        )

    def send(self, *, to: str, subject: str, text: str) -> None:
        body = {"from": self.sender, "to": [to], "subject": subject, "text": text}
        # One idempotency key per message: a retried POST never sends the mail twice.
        headers = {"Idempotency-Key": uuid.uuid4().hex}
        answer = self.http.post_json("/emails", json=body, headers=headers)
        if not isinstance(answer, dict) or "id" not in answer:
            raise ProviderError(
                "Resend accepted the request but returned no message id.", provider="resend"
            )


def mailer_for(settings: Settings, *, transport: httpx.BaseTransport | None = None) -> Mailer:
    """The mailer ``REELFORGE_MAILER`` names."""
    if settings.mailer == "smtp":
        return SMTPMailer(settings)
    if settings.mailer == "resend":
        return ResendMailer(settings, transport=transport)
    return FileMailer(settings)
