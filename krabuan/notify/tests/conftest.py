"""Fake outside services for the notification tests: a real SMTP server and a LINE endpoint.

Both listen on 127.0.0.1 on a free port, so the real senders (Django's SMTP backend, httpx) run
unchanged; only the address they talk to is the test's.
"""

from __future__ import annotations

import email
import json
import socket
import threading
import uuid
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from krabuan.org.models import Preference
from krabuan.org.tests.factories import UserFactory

LINE_TOKEN = "test-channel-token-7f3a"
LINE_USER = "U" + "0123456789abcdef" * 2


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- SMTP -------------------------------------------------------------------------------------


@dataclass
class SmtpInbox:
    """What the fake mail server accepted; `refuse` makes it reject these recipients (550)."""

    envelopes: list[Any] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    port: int = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[Message]:
        return [email.message_from_bytes(e.original_content) for e in self.envelopes]

    @property
    def subjects(self) -> list[str]:
        """Subjects decoded as a mail client shows them (RFC 2047 encoded words joined)."""
        return [str(make_header(decode_header(m["Subject"]))).strip() for m in self.messages]


def mail_text(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(message.get_content_charset() or "utf-8")


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) and Django's SMTP backend pointed at it."""
    inbox = SmtpInbox(port=free_port())
    controller = Controller(
        inbox, hostname="127.0.0.1", port=inbox.port, server_hostname="smtp.test"
    )
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = inbox.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "krabuan@ict.example.go.th"
    try:
        yield inbox
    finally:
        controller.stop()


# --- LINE -------------------------------------------------------------------------------------


@dataclass
class LineServer:
    """The fake Messaging API. It answers `responses` in order (then 200) and, like LINE, accepts
    one push per retry key: a repeated key is answered 409 and not delivered again."""

    url: str = ""
    requests: list[dict[str, Any]] = field(default_factory=list)
    delivered: list[dict[str, Any]] = field(default_factory=list)
    responses: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    always: tuple[int, dict[str, Any]] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, path: str, headers: dict[str, str], body: dict[str, Any]) -> tuple[int, dict]:
        with self.lock:
            self.requests.append({"path": path, "headers": headers, "json": body})
            if self.responses:
                return self.responses.pop(0)
            if self.always is not None:
                return self.always
            key = headers.get("x-line-retry-key", "")
            if key and any(d["headers"].get("x-line-retry-key") == key for d in self.delivered):
                return 409, {"message": "The retry key is already accepted"}
            self.delivered.append({"path": path, "headers": headers, "json": body})
            return 200, {"sentMessages": [{"id": str(len(self.delivered))}]}


def _handler(fake: LineServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, body = fake.answer(self.path, headers, json.loads(raw or b"{}"))
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            if status == 409:
                self.send_header("x-line-accepted-request-id", str(uuid.uuid4()))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
            return

    return Handler


@pytest.fixture
def line_server(settings):
    """A fake LINE endpoint on 127.0.0.1, and the LINE settings pointed at it."""
    fake = LineServer()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    settings.LINE_API_BASE = fake.url
    settings.LINE_CHANNEL_ACCESS_TOKEN = LINE_TOKEN
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


# --- people -----------------------------------------------------------------------------------


@pytest.fixture
def line_user(db):
    """A user who chose in-app and LINE (no email) and linked a LINE user id."""
    user = UserFactory(username="somchai", email="somchai@ict.example.go.th")
    Preference.objects.create(
        user=user, notify_in_app=True, notify_email=False, notify_line=True, line_user_id=LINE_USER
    )
    return user


@pytest.fixture
def mail_user(db):
    """A user without a preference row: in-app and email by default."""
    return UserFactory(username="somsri", email="somsri@ict.example.go.th")
