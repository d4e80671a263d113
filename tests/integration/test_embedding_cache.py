"""The remembered e5 vectors of the project's own texts (crisis.embedding.encode_fixed): equal to the encoder's, each
text encoded once per machine, and a cache that cannot be written costs only the time."""

import numpy as np
import pytest

from crisis import embedding

TEXTS = ["kur paēst Jelgavā", "нет паспорта", "kur paēst Jelgavā", "  nav kur gulēt  "]


@pytest.fixture
def counted(monkeypatch):
    """The real encoder, with the texts it is asked to encode written down."""
    calls: list[list[str]] = []
    real = embedding.encode

    def encode(texts, threads=1):
        calls.append(list(texts))
        return real(texts, threads)

    monkeypatch.setattr(embedding, "encode", encode)
    return calls


def test_the_remembered_vectors_are_the_encoders_and_each_text_is_encoded_once(tmp_path, counted):
    cache = tmp_path / "vectors.sqlite"
    first = embedding.encode_fixed(TEXTS, cache=cache)
    assert counted == [["kur paēst Jelgavā", "нет паспорта", "  nav kur gulēt  "]]  # the repeated text once
    again = embedding.encode_fixed(TEXTS + ["nav kur gulēt"], cache=cache)  # the same start as the spaced one
    assert len(counted) == 1
    expected = embedding.encode(TEXTS)
    np.testing.assert_allclose(first, expected, atol=1e-5)
    np.testing.assert_array_equal(again[: len(TEXTS)], first)
    np.testing.assert_array_equal(again[-1], first[-1])
    assert first.dtype == np.float32 and first.shape == (len(TEXTS), embedding.DIMENSIONS)


def test_a_cache_that_cannot_be_written_only_costs_the_time(tmp_path, counted):
    blocked = tmp_path / "file"
    blocked.write_text("")
    cache = blocked / "vectors.sqlite"  # its directory is a file
    vectors = embedding.encode_fixed(TEXTS[:2], cache=cache)
    assert vectors.shape == (2, embedding.DIMENSIONS) and len(counted) == 1
    embedding.encode_fixed(TEXTS[:2], cache=cache)
    assert len(counted) == 2  # nothing remembered, nothing broken


def test_no_texts_no_vectors(tmp_path, counted):
    assert embedding.encode_fixed([], cache=tmp_path / "v.sqlite").shape == (0, embedding.DIMENSIONS)
    assert counted == []
