"""Tell people that something waits for them: reviewers when variants enter review, compliance officers when the
gate blocks one.

:func:`notify_waiting` finds the active users of the role on the item's brand (a user of every brand, ``*``,
included) and tells them, after the stage that made the item wait has committed:

* by webhook, when ``notify_webhook_url`` is set: one POST per event, JSON
  ``{"type": "review.waiting" | "compliance.waiting", "timestamp", "data": {role, brand, brief_id, variant_ids,
  summary, links, recipients: [{username, email}]}}``, signed per Standard Webhooks exactly as publishing signs
  (``webhook-id`` "ntf_...", ``webhook-timestamp``, ``webhook-signature``; secret ``notify_webhook_secret``, else
  ``webhook_secret``); :func:`app.publishing.signing.verify` checks it;
* by e-mail, when ``smtp_host`` is set: one message per recipient with an address (``user.email``).

A notification is a courtesy, not a stage: a receiver or mail server that fails is logged and recorded in the audit
log (``notification.sent`` lists what went out and what failed), and the pipeline goes on. Nothing is retried.
"""

from __future__ import annotations

import json
import logging
import smtplib
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage

import httpx
from sqlmodel import Session, col, select

from app import audit
from app.auth.models import User
from app.auth.roles import ALL_BRANDS, Role
from app.db import session_scope
from app.pipeline.deps import Deps
from app.publishing import signing
from app.settings import Settings

log = logging.getLogger("factory")
EVENTS = {Role.reviewer: "review.waiting", Role.compliance: "compliance.waiting"}


@dataclass(frozen=True)
class Waiting:
    """Items of one brief that start waiting for ``role``; ``summary`` says what in one line."""

    role: Role
    brand: str
    brief_id: str
    variant_ids: list[str]
    summary: str


@dataclass
class Sent:
    """What one notification reached: usernames told by webhook and by e-mail, and the failures in words."""

    recipients: list[str] = field(default_factory=list)
    webhook: bool = False
    emailed: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def recipients(session: Session, *, role: Role, brand: str) -> list[User]:
    """Active users holding ``role`` on ``brand`` (or on every brand), by username."""
    users = session.exec(select(User).where(col(User.active).is_(True)).order_by(col(User.username))).all()
    return [u for u in users if role.value in u.roles and (brand in u.brands or ALL_BRANDS in u.brands)]


def notify_waiting(deps: Deps, waiting: Waiting) -> Sent:
    """Tell the role's users of the brand that ``waiting`` waits for them; never raises for a failed channel."""
    with Session(deps.engine) as session:
        users = recipients(session, role=waiting.role, brand=waiting.brand)
    sent = Sent(recipients=[u.username for u in users])
    settings = deps.settings
    if not users or not (settings.notify_webhook_url or settings.smtp_host):
        return sent
    links = [_link(settings.desk_url, waiting.role, v) for v in waiting.variant_ids]
    data = {"role": waiting.role.value, "brand": waiting.brand, "brief_id": waiting.brief_id,
            "variant_ids": waiting.variant_ids, "summary": waiting.summary, "links": links,
            "recipients": [{"username": u.username, "email": u.email} for u in users]}
    event: dict[str, object] = {"type": EVENTS[waiting.role], "timestamp": datetime.now(UTC).isoformat(),
                                "data": data}
    if settings.notify_webhook_url:
        _post(settings, event, sent)
    if settings.smtp_host:
        _mail(settings, users, waiting, links, sent)
    with session_scope(deps.engine) as session:
        audit.record(session, action="notification.sent", actor="system:notify", subject_type="brief",
                     subject_id=waiting.brief_id, brief_id=waiting.brief_id, event=event["type"],
                     recipients=sent.recipients, webhook=sent.webhook, emailed=sent.emailed, failures=sent.failures)
    return sent


def notify_safely(deps: Deps, waiting: Waiting) -> None:
    """:func:`notify_waiting`, logging instead of raising for anything unexpected: a stage never fails for it."""
    try:
        notify_waiting(deps, waiting)
    except Exception:
        log.exception("notification %s for brief %s failed", EVENTS[waiting.role], waiting.brief_id)


def _link(desk_url: str, role: Role, variant_id: str) -> str:
    base = desk_url.rstrip("/")
    return f"{base}/ui/review/{variant_id}" if role is Role.reviewer else f"{base}/ui/compliance#variant-{variant_id}"


def _post(settings: Settings, event: dict[str, object], sent: Sent) -> None:
    assert settings.notify_webhook_url
    secret = (settings.notify_webhook_secret or settings.webhook_secret).get_secret_value()
    body = json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()
    headers = {"content-type": "application/json",
               **signing.signed_headers(secret=secret, msg_id=f"ntf_{uuid.uuid4().hex}", body=body)}
    try:
        response = httpx.post(settings.notify_webhook_url, content=body, headers=headers,
                              timeout=settings.notify_timeout_s, follow_redirects=False)
    except httpx.HTTPError as exc:
        sent.failures.append(f"webhook: {type(exc).__name__}: {exc}")
        return
    if 200 <= response.status_code < 300:
        sent.webhook = True
    else:
        sent.failures.append(f"webhook: HTTP {response.status_code}")


def _mail(settings: Settings, users: list[User], waiting: Waiting, links: list[str], sent: Sent) -> None:
    assert settings.smtp_host
    addressed = [u for u in users if u.email]
    if not addressed:
        return
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.notify_timeout_s) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_user and settings.smtp_password:
                smtp.login(settings.smtp_user, settings.smtp_password.get_secret_value())
            for user in addressed:
                smtp.send_message(_message(settings, user, waiting, links))
                sent.emailed.append(user.username)
    except (OSError, smtplib.SMTPException) as exc:
        sent.failures.append(f"e-mail: {type(exc).__name__}: {exc}")


def _message(settings: Settings, user: User, waiting: Waiting, links: list[str]) -> EmailMessage:
    what = "review" if waiting.role is Role.reviewer else "the compliance desk"
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = user.email
    message["Subject"] = f"[{waiting.brand}] waiting for {what}: {waiting.summary}"
    message.set_content(
        f"Hello {user.display_name or user.username},\n\n{waiting.summary} on brand {waiting.brand} "
        f"wait{'s' if len(waiting.variant_ids) == 1 else ''} for {what}.\n\n" + "\n".join(links)
        + "\n\n-- the Content Factory\n")
    return message
