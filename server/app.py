"""The FastAPI application: wiring only. Logic lives in services."""

from __future__ import annotations

import asyncio
import inspect
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from server.config import Settings, get_settings
from server.crash_guard import CrashGuard
from server.db import check_schema, make_engine
from server.documents.shared_files import document_store
from server.errors import DomainError, ValidationFailed, status_of
from server.limits import BodySizeLimit
from server.live.hub import make_hub
from server.live.socket import router as live_socket_router
from server.packs import device_auth, request_nonces
from server.packs.recovery import recover_interrupted_builds
from server.routes import api_router, hot_router
from server.security.throttle import SignInThrottle
from server.tenancy.address import CouncilAddress
from server.web import portal
from shared import clock
from shared.reports.document import InvalidReportContent

PROBLEM = "application/problem+json"


def problem_response(error: DomainError, request: Request) -> JSONResponse:
    headers = {}
    if "retry_after_seconds" in error.extra:
        headers["Retry-After"] = str(error.extra["retry_after_seconds"])
    if error.status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse(error.problem(str(request.url.path)), status_code=error.status,
                        media_type=PROBLEM, headers=headers)


def _field_errors(exc: RequestValidationError) -> list[dict]:
    out = []
    for error in exc.errors():
        loc = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path")]
        out.append({"field": ".".join(loc), "type": error.get("type"), "message": error.get("msg")})
    return out


def create_app(settings: Settings | None = None, check_migrations: bool = True) -> FastAPI:
    settings = settings or get_settings()
    settings.ensure_dirs()
    engine = make_engine(settings)
    schema_version = check_schema(engine, settings) if check_migrations else ""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # A pack build killed with the server must not block the next one.
        await run_in_threadpool(recover_interrupted_builds, engine, settings)
        await app.state.hub.start()  # live sitting fan-out
        nonces = app.state.request_nonces
        writer = (asyncio.create_task(request_nonces.keep_writing(engine, nonces),
                                      name="request-nonces") if nonces is not None else None)
        # Say at start, not at the first minutes, when PDFs lack the decree's face.
        from shared.reports.fonts import official_font

        official_font()
        yield
        if writer is not None:
            writer.cancel()  # writes what memory still holds
            await asyncio.gather(writer, return_exceptions=True)
        await app.state.hub.stop()
        engine.dispose()

    app = FastAPI(
        title="HĐND điện tử — Phòng họp không giấy",
        description="API của hệ thống họp không giấy cho Hội đồng nhân dân. "
        "Paperless meeting system for Vietnamese People's Councils.",
        version="0.1.0",
        lifespan=lifespan,
        # No OpenTelemetry here: FastAPI's native hooks otherwise ask the environment for
        # a tracer provider on every request (6 % of a portal page under load, profiled).
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.secret_key = settings.resolved_secret_key()
    app.state.schema_version = schema_version
    app.state.store = document_store(settings)
    app.state.signin_throttle = SignInThrottle(settings.signin_free_failures,
                                               settings.signin_max_delay_seconds)
    app.state.hub = make_hub(engine, settings)  # live sitting
    # the nonces of safe device reads, in memory when this process serves alone
    app.state.request_nonces = request_nonces.for_settings(settings, clock.timestamp(),
                                                           device_auth.MAX_SKEW_SECONDS)
    from server.services import resolutions  # noqa: PLC0415  (resolution from the vote)

    app.state.hub.listeners.append(resolutions.on_events(engine, app.state.store))
    app.add_middleware(CrashGuard)  # innermost: a 500 keeps the keep-alive connection
    app.add_middleware(BodySizeLimit, limit=settings.max_upload_bytes + 1024 * 1024)
    app.add_middleware(CouncilAddress)  # /hdnd/<slug>/…: the portal of one council

    @app.exception_handler(DomainError)
    async def _domain_error(request: Request, exc: DomainError) -> JSONResponse:
        return problem_response(exc, request)

    @app.exception_handler(InvalidReportContent)
    async def _report_content(request: Request, exc: InvalidReportContent) -> Response:
        # shared/reports knows no HTTP: its refusal is answered as the domain error it is
        error = DomainError(exc.message_vi, exc.message_en, **exc.extra)
        error.status, error.code = status_of(exc), exc.code
        answer = app.exception_handlers[DomainError](request, error)
        return await answer if inspect.isawaitable(answer) else answer

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        # A pydantic validator may raise our own ValidationFailed with a bilingual message.
        for error in exc.errors():
            ctx_error = (error.get("ctx") or {}).get("error")
            if isinstance(ctx_error, DomainError):
                return problem_response(ctx_error, request)
        return problem_response(ValidationFailed(errors=_field_errors(exc)), request)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        error = DomainError(str(exc.detail), str(exc.detail))
        error.status = exc.status_code
        error.code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        if exc.status_code == 404:
            error.message_vi, error.message_en = "Không tìm thấy.", "Not found."
        elif exc.status_code == 405:
            error.message_vi = "Phương thức không được hỗ trợ."
            error.message_en = "Method not allowed."
        return problem_response(error, request)

    # Hot reads first: FastAPI matches routes one by one with no index by prefix, and a
    # portal page spent half its time matching the ~300 API routes before it (profiled).
    app.include_router(hot_router)
    app.include_router(portal.router)
    app.include_router(api_router)
    app.include_router(live_socket_router)  # /ws/sittings/...
    from server.web import install_web  # noqa: PLC0415  (console, projector, portal)
    install_web(app)
    return app
