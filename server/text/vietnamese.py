"""Folding and syllables live in :mod:`shared.text.vietnamese` (the tablet needs them too);
this name stays so the server's imports keep reading as before."""

from shared.text.vietnamese import (  # noqa: F401 - re-exported
    STOP_WORDS,
    UNACCENTED_STOP_WORDS,
    Syllable,
    bigrams,
    char_ngrams,
    fold,
    has_diacritics,
    is_stop_word,
    phrases,
    syllables,
    tokens,
)
