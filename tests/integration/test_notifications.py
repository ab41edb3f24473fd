"""People are told that something waits for them: an item entering review notifies the reviewers of its brand by
a signed webhook (verified by a receiver on loopback, independently of app.publishing) and by e-mail through a
real SMTP server on loopback (aiosmtpd); a variant blocked at the gate notifies compliance the same way.

The pipeline stages run inline with a fake LLM (the seams of the unit tests); the receivers are real servers.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message

import pytest
from sqlmodel import Session, select

from app.auth import users
from app.db import session_scope
from app.models import Variant
from app.pipeline import review
from app.pipeline.deps import Deps
from app.schemas import BriefCreate
from app.settings import Settings
from app.states import VariantState
from app.wiring import build_deps
from tests.conftest import private_settings
from tests.fakes import FakeLLM, HashingEmbedder, RecordingEnqueue
from tests.integration.servers import FlakyCMS
from tests.unit.helpers import drafted
from tests.unit.test_api import PASSING_DRAFT, block_at_gate

aiosmtpd = pytest.importorskip("aiosmtpd.controller")
pytestmark = [pytest.mark.integration]
SECRET = "whsec_" + "bm90aWZpY2F0aW9ucy10ZXN0LXNlY3JldA=="


class Inbox:
    """aiosmtpd handler: keeps every message it is given, with its envelope recipients."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # type: ignore[no-untyped-def]
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    with socket.socket() as probe:  # aiosmtpd's readiness check connects to the port it was given: not 0
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = aiosmtpd.Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def receiver() -> Iterator[FlakyCMS]:
    with FlakyCMS(SECRET, failures=0) as cms:
        yield cms


@pytest.fixture
def world(tmp_path, smtp, receiver) -> Iterator[tuple[Deps, FakeLLM, RecordingEnqueue]]:
    _inbox, port = smtp
    base = private_settings(tmp_path / "var")
    settings = Settings(**{**base.model_dump(), "notify_webhook_url": receiver.url, "notify_webhook_secret": SECRET,
                           "smtp_host": "127.0.0.1", "smtp_port": port, "smtp_from": "factory@example.test",
                           "desk_url": "https://desk.example.test"}, _env_file=None)  # type: ignore[call-arg]
    llm, enqueued = FakeLLM(), RecordingEnqueue()
    deps = build_deps(settings, enqueue=enqueued, llm_factory=lambda: llm, embedder=HashingEmbedder())
    from app.db import upgrade
    from app.pipeline.knowledge import ingest_brand

    upgrade(deps.engine)
    ingest_brand(deps, settings.brand_kb_dir / "fernhill", brand="fernhill")
    with session_scope(deps.engine) as session:
        for name, roles, brands, email in (
                ("rob", ["reviewer"], ["fernhill"], "rob@example.test"),
                ("ria", ["reviewer"], ["*"], "ria@example.test"),
                ("rex", ["reviewer"], ["otherbrand"], "rex@example.test"),
                ("ray", ["reviewer"], ["fernhill"], None),
                ("cai", ["compliance"], ["fernhill"], "cai@example.test"),
                ("mia", ["marketer"], ["fernhill"], "mia@example.test")):
            users.create_user(session, username=name, roles=roles, brands=brands, password=None, email=email,
                              actor="test", known_brands={"fernhill", "otherbrand"})
    yield deps, llm, enqueued
    deps.engine.dispose()


def wait_for(predicate, timeout_s: float = 10) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout_s
    while not predicate() and time.monotonic() < deadline:
        time.sleep(0.05)


BRIEF = BriefCreate(brand="fernhill", product="quiet-hours", channels=["linkedin"], n_ideas=1, n_variants=1,
                    audience="evening tea drinkers", goal="winter launch", key_message="a caffeine-free evening cup")


def test_an_item_entering_review_notifies_the_brands_reviewers_by_signed_webhook_and_email(world, smtp, receiver):
    deps, llm, enqueued = world
    inbox, _port = smtp
    variant = drafted(deps, llm, enqueued, PASSING_DRAFT, brief=BRIEF)
    assert variant.state is VariantState.in_review

    wait_for(lambda: len(inbox.messages) >= 2)
    assert receiver.bad_signatures == 0 and [r["valid"] for r in receiver.requests] == [True]
    [event] = receiver.accepted.values()
    assert event["type"] == "review.waiting"
    data = event["data"]
    assert data["brand"] == "fernhill" and data["variant_ids"] == [variant.id]
    assert [r["username"] for r in data["recipients"]] == ["ray", "ria", "rob"], \
        "reviewers of fernhill and of every brand; not another brand's, not the marketer"
    assert data["links"] == [f"https://desk.example.test/ui/review/{variant.id}"]

    addressed = sorted(to for tos, _m in inbox.messages for to in tos)
    assert addressed == ["ria@example.test", "rob@example.test"], "ray has no address: webhook only"
    message = next(m for tos, m in inbox.messages if tos == ["rob@example.test"])
    assert message["From"] == "factory@example.test" and "[fernhill] waiting for review" in message["Subject"]
    assert f"https://desk.example.test/ui/review/{variant.id}" in message.get_payload()


def test_a_variant_blocked_at_the_gate_notifies_compliance(world, smtp, receiver, monkeypatch):
    deps, llm, enqueued = world
    inbox, _port = smtp
    variant = drafted(deps, llm, enqueued, PASSING_DRAFT, brief=BRIEF)
    wait_for(lambda: len(inbox.messages) >= 2)
    review.approve(deps, variant_id=variant.id, actor="rob")
    block_at_gate(deps, monkeypatch, variant.id)
    with Session(deps.engine) as session:
        assert session.exec(select(Variant.state).where(Variant.id == variant.id)).one() is VariantState.blocked

    wait_for(lambda: any(tos == ["cai@example.test"] for tos, _m in inbox.messages))
    compliance = [e for e in receiver.accepted.values() if e["type"] == "compliance.waiting"]
    assert len(compliance) == 1 and [r["username"] for r in compliance[0]["data"]["recipients"]] == ["cai"]
    assert any(tos == ["cai@example.test"] and "waiting for the compliance desk" in m["Subject"]
               for tos, m in inbox.messages)


def test_a_receiver_that_is_down_fails_no_stage_and_the_failure_is_audited(world, smtp, monkeypatch):
    deps, llm, enqueued = world
    monkeypatch.setattr(deps.settings, "notify_webhook_url", "http://127.0.0.1:9/nothing-listens")
    variant = drafted(deps, llm, enqueued, PASSING_DRAFT, brief=BRIEF)
    assert variant.state is VariantState.in_review, "the stage completed although the webhook failed"
    from app.models import AuditEntry

    with Session(deps.engine) as session:
        [entry] = session.exec(select(AuditEntry).where(AuditEntry.action == "notification.sent")).all()
    assert entry.details["webhook"] is False and entry.details["failures"][0].startswith("webhook: ")
    assert sorted(entry.details["emailed"]) == ["ria", "rob"]
