"""The crisis signal's decision and the sentence vector it hands on to Rasa (the encoder is faked here: no model)."""

import numpy as np
import pytest

from crisis import embedding
from crisis.model import ModelMissing
from crisis.signal import NONE, CrisisSignal
from tests.fakes import FakeCrisisModel

VECTOR = np.linspace(-1, 1, embedding.DIMENSIONS, dtype=np.float32)
EXPLICIT, CALM = "es negribu vairs dzīvot", "kur var paēst Rīgā"


@pytest.fixture
def encoder(monkeypatch):
    calls = []

    def encode(texts, threads=1):
        calls.append(list(texts))
        return np.stack([VECTOR] * len(texts))

    monkeypatch.setattr(embedding, "encode", encode)
    return calls


def test_every_message_brings_its_vector_also_when_the_patterns_decide(encoder):
    explicit = CrisisSignal(FakeCrisisModel()).assess(EXPLICIT)
    assert explicit.explicit and np.array_equal(explicit.vector, VECTOR)
    calm = CrisisSignal(FakeCrisisModel(p=0.1)).assess(CALM)
    assert calm == NONE and np.array_equal(calm.vector, VECTOR)
    model = FakeCrisisModel(p=0.9)
    assert CrisisSignal(model).assess("viss ir slikti, neviens mani negaida").level == "distress"
    assert np.array_equal(model.seen[0], VECTOR)  # the model reads the vector it was given, no second encoding
    assert encoder == [[EXPLICIT], [CALM], ["viss ir slikti, neviens mani negaida"]]
    assert CrisisSignal(FakeCrisisModel(p=0.97)).assess("мне очень плохо, не знаю что будет").level == "urgent"


def test_russian_in_latin_letters_is_read_by_the_model_in_cyrillic_and_sent_to_rasa_as_written(encoder):
    model = FakeCrisisModel(p=0.1)
    assessment = CrisisSignal(model).assess("privet, ja vyshel vchera, deneg net, chto delat")
    assert encoder == [["privet, ja vyshel vchera, deneg net, chto delat"], ["привет, я вышел вчера, денег нет, что делат"]]
    assert np.array_equal(assessment.vector, VECTOR)  # Rasa's vector: of the text as written, as in its training
    encoder.clear()
    CrisisSignal(model).assess("man vajag pasi, esmu Rigaa")  # Latvian: one vector, read as written
    CrisisSignal(model).assess("мне нужен паспорт")
    assert encoder == [["man vajag pasi, esmu Rigaa"], ["мне нужен паспорт"]]


def test_without_a_model_nothing_is_encoded(encoder):
    assert CrisisSignal().assess(EXPLICIT).explicit and CrisisSignal().assess(EXPLICIT).vector is None
    assert CrisisSignal().assess(CALM) == NONE
    assert encoder == []


def test_when_the_encoder_fails_the_patterns_decide_alone(monkeypatch):
    def broken(texts, threads=1):
        raise RuntimeError("encoder")

    monkeypatch.setattr(embedding, "encode", broken)
    model = FakeCrisisModel(p=0.9)
    explicit = CrisisSignal(model).assess(EXPLICIT)
    assert explicit.explicit and explicit.vector is None
    calm = CrisisSignal(model).assess(CALM)
    assert calm == NONE and calm.vector is None and model.seen == []


def test_unreadable_weights_give_no_gentle_line_but_missing_weights_stop_the_front_door(encoder):
    calm = CrisisSignal(FakeCrisisModel(error=ValueError("bad npy"))).assess(CALM)
    assert calm == NONE and np.array_equal(calm.vector, VECTOR)  # Rasa still gets the vector
    with pytest.raises(ModelMissing):
        CrisisSignal(FakeCrisisModel(error=ModelMissing("not built"))).assess(CALM)
