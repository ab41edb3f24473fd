"""FastAPI dependencies: the factory's Deps, a database session, the acting person."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlmodel import Session

from app.pipeline.deps import Deps


def get_factory(request: Request) -> Deps:
    return request.app.state.deps  # type: ignore[no-any-return]


def get_session(factory: Annotated[Deps, Depends(get_factory)]) -> Iterator[Session]:
    with Session(factory.engine) as session:
        yield session


def get_actor(x_actor: Annotated[str, Header(min_length=1, max_length=128,
              description="Who acts; recorded in the audit log.")]) -> str:
    return x_actor.strip()


FactoryDep = Annotated[Deps, Depends(get_factory)]
SessionDep = Annotated[Session, Depends(get_session)]
ActorDep = Annotated[str, Depends(get_actor)]
