"""HTTP routes: each turns a request into a service call and a result into a response."""

from fastapi import APIRouter

from server.routes import accounts, audit, auth, council, documents, health, sessions

# The reads every tablet makes on opening a sitting: the app includes this router before
# any other (server/app.py), because FastAPI tries routes in order and each route tried
# costs every request that comes after it (docs/operations.md, "Hot reads").
hot_router = APIRouter(prefix="/api")
for module in (health, sessions):
    hot_router.include_router(module.router)
api_router = APIRouter(prefix="/api")
for module in (auth, council, accounts, documents, audit):
    api_router.include_router(module.router)
from server.routes import followup  # noqa: E402  (issue 8: follow-up, public follow-up, search)

api_router.include_router(followup.routes)
from server.routes import live  # noqa: E402  (issue 3: the live sitting)

api_router.include_router(live.router)
from server.routes import devices, packs  # noqa: E402  (issue 4: devices and agenda packs)

api_router.include_router(devices.router)
api_router.include_router(packs.router)
from server.routes import ballot  # noqa: E402  (issue 7: verifiable secret ballot)

api_router.include_router(ballot.router)
from server.routes import followup_documents, oparl  # noqa: E402  (issue 8: reports, OParl)

api_router.include_router(followup_documents.router)
api_router.include_router(oparl.router)
from server.routes import followup_commitments  # noqa: E402  (issue 8: sitting commitments)

api_router.include_router(followup_commitments.router)
from server.routes import delegates  # noqa: E402  (issue 21: profiles, training, targets, records)

api_router.include_router(delegates.router)
from server.routes import assistant  # noqa: E402  (issue 21: the assistant)

api_router.include_router(assistant.router)
from server.routes import minutes  # noqa: E402  (issue 17: minutes draft, resolutions from votes)

api_router.include_router(minutes.router)
from server.routes import signatures  # noqa: E402  (issue 17: digital signatures)

api_router.include_router(signatures.router)
from server.routes import questioning  # noqa: E402  (issue 18: chất vấn before and after)

api_router.include_router(questioning.router)
from server.routes import citizens  # noqa: E402  (issue 18: citizens' cases on the tablet)

api_router.include_router(citizens.router)
