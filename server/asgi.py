"""The ASGI entry point uvicorn imports (``server.asgi:app``), one app per worker."""

from server.app import create_app

app = create_app()
