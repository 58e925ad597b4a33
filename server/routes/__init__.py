"""HTTP routes: each turns a request into a service call and a result into a response."""

from fastapi import APIRouter

from server.routes import accounts, audit, auth, council, documents, health, sessions

api_router = APIRouter(prefix="/api")
for module in (health, auth, council, accounts, sessions, documents, audit):
    api_router.include_router(module.router)
