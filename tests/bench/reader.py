"""Reader benchmark: open, turn pages, compare with raw PyMuPDF, peak memory.

On the demo's long investment plan (167 pages) at 1280×800, through the same code the
app uses: the document is sealed with the pack's chunked AES-256-GCM and decrypted in
memory (``shared.crypto.chunked``) before ``PdfReader`` opens it.

- ``open_first_page_ms``: decrypt + open + first page rendered to RGB by the cache.
- ``turn_p50_ms`` / ``turn_p99_ms``: time from "show the next page" to its pixels, paging
  forward with the reader's pause between turns (cache warm) and jumping to pages far
  away (cache cold), both counted.
- ``render_vs_raw``: median render time through ``RenderCache`` (cold pages) divided by
  raw ``page.get_pixmap`` of the same pages at the same size in the same run (goal ≤ 1.3).
- ``app_rss_mb``: peak resident memory of this process after paging through everything.

``--quick`` pages through 30 pages. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import statistics
import sys
import time

WIDTH, HEIGHT = 1280, 800


def _long_demo_pdf(pages: int | None) -> bytes:
    import dataclasses

    from shared.demo.pdfs import render_demo_pdf
    from shared.demo.texts import demo_documents

    spec = max(demo_documents(), key=lambda d: d.pages)
    if pages is not None:
        spec = dataclasses.replace(spec, pages=pages)
    return render_demo_pdf(spec)


def _seal(plain: bytes) -> tuple[bytes, bytes]:
    from shared.crypto import chunked

    key = chunked.generate_content_key()
    sink = io.BytesIO()
    chunked.encrypt_document(plain, key, "bench-doc", 1, sink)
    return sink.getvalue(), key


def _open(sealed: bytes, key: bytes):
    from shared.crypto import chunked
    from tablet_app.core.reader import PdfReader

    plain = chunked.decrypt_document(io.BytesIO(sealed), key, "bench-doc", 1)
    return PdfReader(plain)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)

    import pymupdf

    from tablet_app.core.render_cache import RenderCache

    pdf = _long_demo_pdf(None)
    sealed, key = _seal(pdf)
    count = 30 if args.quick else None

    started = time.perf_counter()
    reader = _open(sealed, key)
    cache = RenderCache(reader, WIDTH, HEIGHT)
    cache.get(0)
    open_first_page_ms = (time.perf_counter() - started) * 1000
    pages = reader.page_count if count is None else min(count, reader.page_count)

    turns: list[float] = []
    for page in range(1, pages):  # forward with a reader's pause: neighbours prefetched
        time.sleep(0.03)
        t0 = time.perf_counter()
        cache.get(page)
        turns.append((time.perf_counter() - t0) * 1000)
    far = [(i * 37) % reader.page_count for i in range(1, 11)]
    for page in far:  # jumps (go to page, search hit): cold
        t0 = time.perf_counter()
        cache.get(page)
        turns.append((time.perf_counter() - t0) * 1000)

    sample = list(range(0, reader.page_count, max(1, reader.page_count // 20)))[:20]
    ours, raw = [], []
    raw_doc = pymupdf.open(stream=pdf, filetype="pdf")
    for page in sample:  # same pages, same size, cache bypassed
        t0 = time.perf_counter()
        reader.render(page, WIDTH, HEIGHT)
        ours.append(time.perf_counter() - t0)
        target = raw_doc[page]
        scale = min(WIDTH / target.rect.width, HEIGHT / target.rect.height)
        t0 = time.perf_counter()
        target.get_pixmap(matrix=pymupdf.Matrix(scale, scale), alpha=False)
        raw.append(time.perf_counter() - t0)
    cache.close()
    reader.close()

    result = {
        "pages": pages,
        "document_pages": len(raw_doc),
        "open_first_page_ms": round(open_first_page_ms, 1),
        "turn_p50_ms": round(_percentile(turns, 0.5), 2),
        "turn_p99_ms": round(_percentile(turns, 0.99), 2),
        "render_vs_raw": round(statistics.median(ours) / statistics.median(raw), 2),
        "app_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(json.dumps(result), file=sys.stdout)
    return result


if __name__ == "__main__":
    main()
