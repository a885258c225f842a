"""Liveness: answers without touching the database (for load balancers and `make run`)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from reelforge import __version__

router = APIRouter(tags=["meta"])


class Health(BaseModel):
    status: str
    version: str


@router.get("/health", response_model=Health, summary="Is the server up?")
def health() -> Health:
    return Health(status="ok", version=__version__)
