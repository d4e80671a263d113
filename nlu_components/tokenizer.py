"""Whitespace tokenizer that folds diacritics, adds Latvian/Russian stems as lemmas, and adds the plain meaning of
slang and prison words (lvnorm/lexicon.yml) as extra words."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message

from lvnorm.lexicon import meanings
from lvnorm.text import fold, stem


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class LvRuNormTokenizer(WhitespaceTokenizer):
    """Folded lowercase tokens (so "rigaa" == "Rīgā") with stems in `token.lemma`; "bomzatnica" brings "patversme".

    The plain words are placed at the end of the text (zero width), so no entity can ever span them.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Defaults of the whitespace tokenizer."""
        return WhitespaceTokenizer.get_default_config()

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        """Tokenize with the whitespace rules, normalise each token, then add the slang's plain words."""
        out = []
        for t in super().tokenize(message, attribute):
            folded = fold(t.text)
            out.append(Token(folded, t.start, t.end, data=t.data, lemma=stem(folded)))
        if attribute == "text" and out:
            end = out[-1].end
            out += [Token(w, end, end, lemma=stem(w)) for w in meanings([t.text for t in out])]
        return out
