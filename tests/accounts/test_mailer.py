"""Mailers: .eml files (default), SMTP (a local aiosmtpd server), Resend (a local fake)."""

from __future__ import annotations

import email
import os
import socket
import stat
from collections.abc import Iterator
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from reelforge.accounts.mailer import FileMailer, ResendMailer, SMTPMailer, mailer_for
from reelforge.config import Settings
from reelforge.errors import ConfigError, ProviderError
from tests.fakes.resend import FakeResend
from tests.fakes.server import serve
from tests.store.support import configured


def test_the_default_mailer_writes_private_eml_files(settings: Settings) -> None:
    mailer = mailer_for(settings)
    assert isinstance(mailer, FileMailer)
    mailer.send(to="sam@example.com", subject="Your code: 123456", text="Code 123456")
    (path,) = mailer.messages()
    assert path.parent == settings.home / "mail" and path.suffix == ".eml"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    message = email.message_from_bytes(path.read_bytes())
    assert message["To"] == "sam@example.com" and message["Subject"] == "Your code: 123456"
    assert "Code 123456" in message.get_payload()


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[Envelope, Message]] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.content if isinstance(envelope.content, bytes) else b""
        self.messages.append((envelope, email.message_from_bytes(raw)))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[_Inbox, int]]:
    inbox = _Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def test_smtp_mailer_delivers_to_an_smtp_server(
    settings: Settings, smtp_server: tuple[_Inbox, int]
) -> None:
    inbox, port = smtp_server
    smtp = configured(
        settings,
        mailer="smtp",
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_security="none",
        mail_from="reelforge <codes@example.org>",
    )
    mailer = mailer_for(smtp)
    assert isinstance(mailer, SMTPMailer)
    mailer.send(to="sam@example.com", subject="Your code", text="123456 works once.")
    ((envelope, message),) = inbox.messages
    assert envelope.mail_from == "codes@example.org"
    assert envelope.rcpt_tos == ["sam@example.com"]
    assert message["Subject"] == "Your code" and "123456" in str(message.get_payload())


def test_smtp_mailer_defaults_to_starttls_and_fails_clearly_without_it(
    settings: Settings, smtp_server: tuple[_Inbox, int]
) -> None:
    inbox, port = smtp_server
    smtp = configured(settings, mailer="smtp", smtp_host="127.0.0.1", smtp_port=port)
    assert smtp.smtp_security == "starttls"
    with pytest.raises(ProviderError) as info:
        mailer_for(smtp).send(to="sam@example.com", subject="s", text="t")
    assert info.value.provider == "smtp"
    assert inbox.messages == []  # nothing went out in clear


def test_smtp_mailer_reports_an_unreachable_server(settings: Settings) -> None:
    smtp = configured(
        settings, mailer="smtp", smtp_host="127.0.0.1", smtp_port=_free_port(), smtp_security="none"
    )
    with pytest.raises(ProviderError) as info:
        mailer_for(smtp).send(to="sam@example.com", subject="s", text="t")
    assert "REELFORGE_SMTP_HOST" in info.value.message and info.value.retryable


def _resend(settings: Settings, base_url: str) -> ResendMailer:
    mailer = mailer_for(
        configured(
            settings, mailer="resend", resend_api_key="re_test_key", resend_base_url=base_url
        )
    )
    assert isinstance(mailer, ResendMailer)
    return mailer


def test_resend_mailer_posts_the_documented_fields(settings: Settings) -> None:
    fake = FakeResend()
    with serve(fake) as server:
        _resend(settings, server.base_url).send(to="sam@example.com", subject="Code", text="123456")
    (sent,) = fake.sent
    assert sent["from"] == settings.mail_from
    assert (sent["to"], sent["subject"], sent["text"]) == (["sam@example.com"], "Code", "123456")
    assert sent["headers"]["idempotency-key"]


def test_resend_mailer_retries_a_rate_limit_with_the_same_idempotency_key(
    settings: Settings,
) -> None:
    fake = FakeResend(fail_next=[429])
    with serve(fake) as server:
        _resend(settings, server.base_url).send(to="sam@example.com", subject="Code", text="1")
        keys = {r.headers["idempotency-key"] for r in server.requests}
    assert len(fake.sent) == 1 and len(keys) == 1


def test_resend_mailer_reports_a_refused_key(settings: Settings) -> None:
    fake = FakeResend(api_key="re_the_real_one")
    with serve(fake) as server, pytest.raises(ProviderError) as info:
        _resend(settings, server.base_url).send(to="sam@example.com", subject="s", text="t")
    assert info.value.status == 403 and not info.value.retryable
    assert "API key is invalid" in info.value.message


def test_resend_without_a_key_names_the_setting(settings: Settings) -> None:
    with pytest.raises(ConfigError) as info:
        mailer_for(configured(settings, mailer="resend"))
    assert "REELFORGE_RESEND_API_KEY" in info.value.message
