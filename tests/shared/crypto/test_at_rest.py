"""Content keys sealed for the server's storage open only with its at-rest key."""

from __future__ import annotations

import pytest

from shared.crypto.at_rest import (
    AtRestKeyInvalid,
    generate_at_rest_key,
    open_content_key,
    seal_content_key,
)
from shared.crypto.chunked import generate_content_key


def test_round_trip_and_refusals() -> None:
    at_rest, content = generate_at_rest_key(), generate_content_key()
    sealed = seal_content_key(at_rest, content, "nhan-su-02", 1)
    assert open_content_key(at_rest, sealed, "nhan-su-02", 1) == content
    for key, doc, version in [
        (generate_at_rest_key(), "nhan-su-02", 1),  # a stolen disk without the at-rest key
        (at_rest, "to-trinh-01", 1),  # a sealed key copied to another document's row
        (at_rest, "nhan-su-02", 2),
    ]:
        with pytest.raises(AtRestKeyInvalid):
            open_content_key(key, sealed, doc, version)
    with pytest.raises(AtRestKeyInvalid):
        open_content_key(at_rest, "!!", "nhan-su-02", 1)
