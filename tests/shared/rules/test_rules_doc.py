"""docs/rules.md lists every rule with its source and status, exactly as the code has it."""

from __future__ import annotations

from pathlib import Path

from shared.rules.book import RULES
from shared.rules.decisions import DECISION_KINDS

DOC = Path(__file__).parents[3] / "docs" / "rules.md"


def test_rules_doc_is_generated_from_the_rule_book():
    from shared.rules.render import render

    assert DOC.read_text(encoding="utf-8") == render(), "run: python -m shared.rules.render"


def test_every_rule_and_decision_is_listed_with_source_and_status():
    text = DOC.read_text(encoding="utf-8")
    for rule in RULES.values():
        assert f"### `{rule.key}`" in text
        assert f"**Nguồn:** {rule.citation}." in text
        assert f"**Trạng thái:** `{rule.status}`" in text
    for kind in DECISION_KINDS:
        assert f"| `{kind}` (" in text


def test_no_rule_claims_an_official_text_without_a_quote_or_an_article():
    for rule in RULES.values():
        if rule.status == "official_text":
            assert rule.quote and rule.article, rule.key
