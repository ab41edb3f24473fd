"""The desk's measurement pages: a slot's variants with their figures and the history of weights (an SVG
chart drawn on the server, no script), and a brand's measured slots with the lift over an even split."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.api.admin_services import known_brands
from app.api.deps import FactoryDep, SessionDep, requires
from app.auth.roles import Permission, Principal
from app.errors import NotFound
from app.performance import slots
from app.performance.learning import brand_learning
from app.performance.models import WeightSnapshot
from app.web.rendering import render

router = APIRouter(prefix="/ui", include_in_schema=False)
PerformanceReader = Annotated[Principal, requires(Permission.read_performance)]
CHART_W, CHART_H = 640, 200
PALETTE = ("#1f6feb", "#d1242f", "#1a7f37", "#9a6700", "#8250df", "#bf3989", "#0a7ea4", "#57606a")


def weight_lines(history: list[WeightSnapshot], variant_ids: list[str]) -> list[tuple[str, str, str]]:
    """``(variant_id, colour, SVG points)`` per variant: its weight (0-1, up) over the snapshots (left to right)."""
    if not history:
        return []
    step = CHART_W / max(len(history) - 1, 1)
    lines = []
    for n, variant_id in enumerate(variant_ids):
        points = " ".join(f"{i * step:.1f},{CHART_H - s.weights.get(variant_id, 0.0) * CHART_H:.1f}"
                          for i, s in enumerate(history))
        lines.append((variant_id, PALETTE[n % len(PALETTE)], points))
    return lines


@router.get("/slots/{slot}")
def slot_page(slot: str, request: Request, factory: FactoryDep, session: SessionDep,
              user: PerformanceReader) -> Response:
    view = slots.evaluate(factory, slot, sees=user.sees)
    history = slots.history(session, slot, limit=500)
    lines = weight_lines(history, [a.variant_id for a in view.arms])
    colours = {variant_id: colour for variant_id, colour, _points in lines}
    return render(request, "slot.html", user, view=view, lines=lines, colours=colours, width=CHART_W,
                  height=CHART_H, snapshots=len(history))


@router.get("/brands/{slug}/performance")
def brand_page(slug: str, request: Request, factory: FactoryDep, user: PerformanceReader) -> Response:
    if not user.sees(slug) or slug not in known_brands(factory.settings.brand_kb_dir):
        raise NotFound(f"no brand {slug!r} in your brands")
    return render(request, "brand_performance.html", user, brand=slug, learning=brand_learning(factory, slug))
