"""HTTP routes: each turns a request into a service call and a result into a response."""

from fastapi import APIRouter

from server.routes import (
    accounts,
    assistant,
    audit,
    auth,
    ballot,
    citizens,
    council,
    delegates,
    devices,
    documents,
    followup,
    followup_commitments,
    followup_documents,
    health,
    live,
    minutes,
    oparl,
    packs,
    questioning,
    sessions,
    signatures,
)

# The reads every tablet makes on opening a sitting: the app includes this router before
# any other (server/app.py), because FastAPI tries routes in order and each route tried
# costs every request that comes after it (docs/operations.md, "Hot reads").
hot_router = APIRouter(prefix="/api")
hot_router.include_router(health.router)
hot_router.include_router(devices.hot_router)  # a tablet's library refresh
hot_router.include_router(sessions.router)
api_router = APIRouter(prefix="/api")
for module in (auth, council, accounts, documents, audit):
    api_router.include_router(module.router)
api_router.include_router(followup.routes)  # follow-up, public follow-up, search
for module in (live, devices, packs, ballot, followup_documents, oparl, followup_commitments,
               delegates, assistant, minutes, signatures, questioning, citizens):
    api_router.include_router(module.router)
