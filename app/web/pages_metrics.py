"""The KPI page: the figures of :mod:`app.kpis` for a brand and period, with bar charts drawn as inline SVG (no
script, nothing fetched) and the CSV export."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from app.api.deps import FactoryDep, Reader, SessionDep
from app.api.metrics import kpi_report
from app.web.rendering import render

router = APIRouter(prefix="/ui", include_in_schema=False)
PERIODS = (1, 7, 30, 90, 365)


@router.get("/metrics")
def metrics_page(request: Request, factory: FactoryDep, session: SessionDep, user: Reader, brand: str = "",
                 days: Annotated[int, Query(ge=1, le=366)] = 30) -> Response:
    report = kpi_report(session, factory.settings, user, brand=brand, days=days)
    brands = sorted(user.brands) if user.brand_filter() is not None else []
    blocks = sorted(report.blocks_per_check.items(), key=lambda kv: -kv[1])
    latency = [(f"{m.model} · {m.prompt}", m.latency_ms.p50 or 0.0, m.latency_ms.p95 or 0.0) for m in report.llm]
    return render(request, "metrics.html", user, report=report, brand=brand, days=days, periods=PERIODS,
                  brands=brands, blocks=blocks, blocks_max=max([v for _k, v in blocks] or [1.0]) or 1.0,
                  latency=latency, latency_max=max([p95 for _n, _p50, p95 in latency] or [1.0]) or 1.0)
