"""docs/errors.md lists every error code, its category, status and both messages (issue 19)."""

from __future__ import annotations

from pathlib import Path

from server.errors_doc import concrete_classes, load_all, render

DOC = Path(__file__).parents[2] / "docs" / "errors.md"


def test_errors_doc_is_generated_from_the_tree():
    assert DOC.read_text(encoding="utf-8") == render(), "run: python -m server.errors_doc docs/errors.md"


def test_every_code_is_listed_with_both_messages():
    load_all()
    text = DOC.read_text(encoding="utf-8")
    for cls in concrete_classes():
        row = next((line for line in text.splitlines() if line.startswith(f"| `{cls.code}` |")
                    and f"`{cls.__module__}.{cls.__qualname__}`" in line), None)
        assert row is not None, cls
        assert " ".join(cls.message_vi.split()) in row.replace("\\|", "|")
        assert " ".join(cls.message_en.split()) in row.replace("\\|", "|")
