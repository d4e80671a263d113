"""The sentence vector the front door sends to Rasa: it arrives intact, and only for the text it was computed for."""

import base64

import numpy as np

from crisis import embedding


def vector(seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=embedding.DIMENSIONS).astype(np.float32)
    return v / np.linalg.norm(v)


def test_a_packed_vector_comes_back_exactly_for_its_own_text():
    v = vector(1)
    packed = embedding.pack("kur paēst Rīgā", v)
    assert np.array_equal(embedding.unpack(packed, "kur paēst Rīgā"), v)
    assert len(packed["v"]) < 2100  # about 2 KB in the metadata


def test_a_vector_for_another_text_is_not_used():
    packed = embedding.pack("kur paēst Rīgā", vector(2))
    assert embedding.unpack(packed, "kur pārnakšņot Rīgā") is None


def test_only_the_encoded_start_of_a_long_text_must_match():
    start = "ā" * embedding.MAX_CHARS
    packed = embedding.pack(start + " beigas", vector(3))
    assert embedding.unpack(packed, start + " citas beigas") is not None  # the encoder never saw the ending


def test_malformed_vectors_are_refused():
    good = embedding.pack("teksts", vector(4))
    short = base64.b64encode(np.zeros(10, dtype="<f4").tobytes()).decode()
    nan = base64.b64encode(np.full(embedding.DIMENSIONS, np.nan, dtype="<f4").tobytes()).decode()
    for packed in (None, "x", {}, {"of": good["of"]}, {"of": good["of"], "v": 5}, {"of": good["of"], "v": "!!!"},
                   {"of": good["of"], "v": short}, {"of": good["of"], "v": nan}):
        assert embedding.unpack(packed, "teksts") is None, packed


def test_broken_unicode_can_be_packed():
    text = "kur \ud800 paēst"
    assert embedding.unpack(embedding.pack(text, vector(5)), text) is not None
