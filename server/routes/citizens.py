"""The citizens' cases as a delegate's tablet reads them (device-signed requests)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from server.citizens import service
from server.deps import SessionDep
from server.packs.device_auth import CurrentDevice
from server.routes.common import problems

router = APIRouter(tags=["citizens"])


@router.get("/devices/me/citizen-petitions", responses=problems(401, 403),
            summary="Petitions and proposals citizens sent from my owner's constituency (thôn) "
                    "with their status and public answers (device-signed)")
def my_constituency_petitions(device: CurrentDevice, db: SessionDep) -> dict[str, Any]:
    return service.for_delegate(db, device.person_id)
