"""The minutes' sections as plain text the secretary can edit in a textarea, and back.

A section's body is paragraphs separated by a blank line. Three shapes keep the official
layout when the text comes back:

- a table: consecutive lines starting with ``|``, the first one the header
  (``| Lựa chọn | Số đại biểu |``);
- a list: consecutive lines starting with ``- ``;
- a bold paragraph: wrapped in ``**``; an italic one in ``_``.

Anything else is a normal paragraph, so a secretary who knows none of this still writes
correct minutes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from shared.reports.document import Block, BulletList, Paragraph, Table


def _cells(line: str) -> list[str]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    return [cell.strip() for cell in inner.split("|")]


def _numeric(cell: str) -> bool:
    return bool(cell) and all(ch.isdigit() or ch in ",.%:" for ch in cell)


def block_text(block: Block) -> str:
    """One block as the secretary sees it in the textarea."""
    if isinstance(block, Table):
        lines = [f"_{block.caption}_"] if block.caption else []
        lines += ["| " + " | ".join(row) + " |" for row in (block.header, *block.rows)]
        return "\n".join(lines)
    if isinstance(block, BulletList):
        return "\n".join(f"- {item}" for item in block.items)
    if isinstance(block, Paragraph):
        if block.bold:
            return f"**{block.text}**"
        return f"_{block.text}_" if block.italic else block.text
    return str(block)


def to_text(blocks: Iterable[Block]) -> str:
    return "\n\n".join(block_text(b) for b in blocks)


def _table(lines: Sequence[str]) -> Table:
    rows = [_cells(line) for line in lines]
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    body = rows[1:]
    numeric = tuple(i for i in range(width)
                    if body and all(_numeric(r[i]) for r in body if r[i]) and
                    any(r[i] for r in body))
    return Table(rows[0], body, numeric_columns=numeric)


def _paragraph(text: str) -> Block:
    one_line = " ".join(text.split())
    if one_line.endswith("..") and not one_line.endswith("..."):  # a stray second full stop
        one_line = one_line[:-1]
    if len(one_line) > 4 and one_line.startswith("**") and one_line.endswith("**"):
        return Paragraph(one_line[2:-2].strip(), bold=True)
    if len(one_line) > 2 and one_line.startswith("_") and one_line.endswith("_"):
        return Paragraph(one_line[1:-1].strip(), italic=True)
    return one_line


def from_text(text: str) -> list[Block]:
    """Blocks for the PDF/DOCX from the secretary's text (see the module's docstring)."""
    blocks: list[Block] = []
    for chunk in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.rstrip() for line in chunk.split("\n") if line.strip()]
        while lines:
            if lines[0].lstrip().startswith("|"):
                run = _take(lines, lambda s: s.lstrip().startswith("|"))
                blocks.append(_table(run))
            elif lines[0].lstrip().startswith("- "):
                run = _take(lines, lambda s: s.lstrip().startswith("- "))
                blocks.append(BulletList([s.lstrip()[2:].strip() for s in run]))
            else:
                run = _take(lines, lambda s: not s.lstrip().startswith(("|", "- ")))
                blocks.append(_paragraph(" ".join(run)))
    return blocks


def _take(lines: list[str], keep) -> list[str]:  # a predicate
    """Remove and return the leading lines that satisfy ``keep``."""
    run: list[str] = []
    while lines and keep(lines[0]):
        run.append(lines.pop(0))
    return run
