"""The KPIs as JSON (``/metrics/kpis``) and CSV (``/metrics/kpis.csv``), and the factory's state as Prometheus text
(``/metrics``, through the maintained ``prometheus_client``). All need a reader's credentials: a scraper uses a
bearer token (``factory users token create``)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from app.api.deps import FactoryDep, Reader, SessionDep
from app.api.errors import ERROR_RESPONSES
from app.auth.roles import Principal
from app.errors import NotFound
from app.kpis import KpiReport, compute_kpis
from app.liveness import live_workers
from app.models import Brief, Delivery, LLMCall, Variant
from app.settings import Settings

router = APIRouter(tags=["metrics"])
Days = Annotated[int, Query(ge=1, le=366, description="The period: the last N days up to now.")]
BrandQuery = Annotated[str, Query(max_length=64, pattern=r"^(?:[a-z0-9][a-z0-9_-]*)?$",
                                  description="One brand's slug; empty: every brand you see.")]


def kpi_report(session: Session, settings: Settings, user: Principal, *, brand: str, days: int) -> KpiReport:
    """The report for ``brand`` (or every brand the user sees) over the last ``days`` days; NotFound for a brand
    the user does not see."""
    if brand and not user.sees(brand):
        raise NotFound(f"no brand {brand!r} among yours")
    until = datetime.now(UTC)
    return compute_kpis(session, brand=brand or None, brands=user.brand_filter(), since=until - timedelta(days=days),
                        until=until, prices=settings.llm_prices_per_million_tokens)


@router.get("/metrics/kpis", responses=ERROR_RESPONSES)
def kpis(factory: FactoryDep, session: SessionDep, user: Reader, brand: BrandQuery = "", days: Days = 30) -> KpiReport:
    """Time to first concept, revision and approval rates, review time, blocks per check, LLM latency, tokens and
    cost per 1,000 calls by model and prompt version, published items (definitions: :mod:`app.kpis`)."""
    return kpi_report(session, factory.settings, user, brand=brand, days=days)


@router.get("/metrics/kpis.csv", responses=ERROR_RESPONSES, response_class=Response)
def kpis_csv(factory: FactoryDep, session: SessionDep, user: Reader, brand: BrandQuery = "",
             days: Days = 30) -> Response:
    """The same figures, one per row: ``metric,key,value``."""
    report = kpi_report(session, factory.settings, user, brand=brand, days=days)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["metric", "key", "value"])
    writer.writerows(csv_rows(report))
    name = f"kpis-{brand or 'all'}-{days}d.csv"  # the slug pattern keeps the header ASCII
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def csv_rows(report: KpiReport) -> Iterator[tuple[str, str, object]]:
    yield "briefs", "", report.briefs
    for name in ("time_to_first_concept_s", "review_time_s"):
        p = getattr(report, name)
        yield name, "p50", p.p50
        yield name, "p95", p.p95
    yield "revision_rate", "", report.revision_rate
    yield "approval_rate", "", report.approval_rate
    yield "decisions", "", report.decisions
    for check, rate in report.blocks_per_check.items():
        yield "blocks_per_check", check, rate
    for m in report.llm:
        key = f"{m.model} {m.prompt}"
        yield "llm_calls", key, m.calls
        yield "llm_latency_ms_p50", key, m.latency_ms.p50
        yield "llm_latency_ms_p95", key, m.latency_ms.p95
        yield "llm_tokens_per_call", key, m.tokens_per_call
        yield "llm_cost_per_1000_calls", key, m.cost_per_1000_calls
    yield "published", "", report.published


@router.get("/metrics", response_class=Response, responses=ERROR_RESPONSES)
def prometheus(factory: FactoryDep, user: Reader) -> Response:
    """Prometheus text exposition of the factory's state, read from the database at scrape time: briefs and
    variants by brand and state, deliveries by state, LLM calls and tokens by model, workers alive."""
    registry = CollectorRegistry(auto_describe=True)
    registry.register(FactoryCollector(factory.engine, stale_s=factory.settings.worker_stale_s,
                                       brands=user.brand_filter()))
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)


class FactoryCollector(Collector):
    """Gauges computed by a few grouped counts on each scrape (no state kept in the process)."""

    def __init__(self, engine: Engine, *, stale_s: float, brands: list[str] | None) -> None:
        self.engine, self.stale_s, self.brands = engine, stale_s, brands

    def collect(self) -> Iterator[GaugeMetricFamily]:
        with Session(self.engine) as session:
            yield self._grouped(session, "factory_briefs", "Briefs by brand and state.", Brief.brand, Brief.state)
            yield self._grouped(session, "factory_variants", "Variants by brand and state.", Variant.brand,
                                Variant.state)
            yield self._grouped(session, "factory_deliveries", "Deliveries by brand and state.", Delivery.brand,
                                Delivery.state)
            calls = GaugeMetricFamily("factory_llm_calls", "LLM calls recorded, by model.", labels=["model"])
            tokens = GaugeMetricFamily("factory_llm_tokens", "Tokens of recorded LLM calls, by model and kind.",
                                       labels=["model", "kind"])
            stmt = select(LLMCall.model, func.count(), func.sum(LLMCall.prompt_tokens),
                          func.sum(LLMCall.completion_tokens)).group_by(col(LLMCall.model))
            for model, n, tokens_in, tokens_out in session.exec(stmt):
                calls.add_metric([model], n)
                tokens.add_metric([model, "prompt"], tokens_in or 0)
                tokens.add_metric([model, "completion"], tokens_out or 0)
            yield calls
            yield tokens
            yield GaugeMetricFamily("factory_workers_alive", "Workers whose heartbeat is fresh.",
                                    value=len(live_workers(session, stale_s=self.stale_s)))

    def _grouped(self, session: Session, name: str, doc: str, brand_col: object,
                 state_col: object) -> GaugeMetricFamily:
        family = GaugeMetricFamily(name, doc, labels=["brand", "state"])
        stmt = select(brand_col, state_col, func.count()).group_by(brand_col, state_col)  # type: ignore[call-overload]
        if self.brands is not None:
            stmt = stmt.where(col(brand_col).in_(self.brands))  # type: ignore[arg-type]
        for brand, state, n in session.exec(stmt):
            family.add_metric([brand, getattr(state, "value", str(state))], n)
        return family
