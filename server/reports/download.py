"""An official document as a file to download, PDF or DOCX: the API's routes and the
console's pages hand out the same file with the same headers (never cached: the figures
and the sender's data are those of the moment)."""

from __future__ import annotations

from fastapi.responses import Response

from shared.reports.document import OfficialDocument

MEDIA_TYPES = {"pdf": "application/pdf",
               "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def document_response(document: OfficialDocument, fmt: str, name: str) -> Response:
    """``name.fmt`` as an attachment; ``fmt`` is ``pdf`` or ``docx``."""
    body = document.render_pdf() if fmt == "pdf" else document.render_docx()
    return Response(body, media_type=MEDIA_TYPES[fmt], headers={
        "Content-Disposition": f'attachment; filename="{name}.{fmt}"',
        "Cache-Control": "no-store"})
