"""Whitespace tokenizer that folds diacritics and adds Latvian/Russian stems as lemmas."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message

from lvnorm.text import fold, stem


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class LvRuNormTokenizer(WhitespaceTokenizer):
    """Folded lowercase tokens (so "rigaa" == "Rīgā") with stems in `token.lemma`."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Defaults of the whitespace tokenizer."""
        return WhitespaceTokenizer.get_default_config()

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        """Tokenize with the whitespace rules, then normalise each token."""
        out = []
        for t in super().tokenize(message, attribute):
            folded = fold(t.text)
            out.append(Token(folded, t.start, t.end, data=t.data, lemma=stem(folded)))
        return out
