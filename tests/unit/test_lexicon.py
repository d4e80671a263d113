"""The slang lexicon (lvnorm/lexicon.yml): reviewable data, applied in the NLU tokenizer's normalisation."""

import yaml

from lvnorm.lexicon import LEXICON, meanings
from lvnorm.text import fold, tokens


def words(text: str) -> list[str]:
    return [fold(t) for t, _, _ in tokens(text)]


def test_every_entry_says_what_it_means_in_which_language_and_where_it_comes_from():
    entries = yaml.safe_load(LEXICON.read_text(encoding="utf-8"))
    assert len(entries) >= 100
    for e in entries:
        assert e["word"] and e["means"] and e["lang"] in {"lv", "mixed", "ru", "ru_latin"}, e
        assert e.get("source"), e  # "common usage" when no written source was found


def test_slang_brings_its_plain_word():
    assert "patversme" in meanings(words("bomzatnica jelgava kur? vajag uz paris naktim"))
    assert "приют" in meanings(words("где тут ночлежка ближайшая"))
    assert {"socialais", "dienests"} <= set(meanings(words("socene nepalidz")))


def test_word_sequences_and_inflections():
    assert "cietuma" in meanings(words("Biju iekšā piecus gadus"))
    assert "документ" in meanings(words("nado ksivu novuju"))  # Russian in Latin letters: the Russian word


def test_an_ordinary_word_is_left_alone():
    assert meanings(words("patversmē ielaiž iekšā pēc desmitiem?")) == []  # 'iekšā' alone is not prison
    assert meanings(words("kur ir nakts patversme Rīgā")) == []


def test_plain_words_already_in_the_message_are_not_added_twice():
    assert "patversme" not in meanings(words("bomžatnīca jeb patversme"))


def test_fold_keeps_no_whole_messages():
    """After /dzest nothing of a message may stay in memory: fold() has no cache (the stems of words do)."""
    assert not hasattr(fold, "cache_info")
