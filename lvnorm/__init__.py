"""Latvian/Russian text normalisation shared by the NLU pipeline and the knowledge base.

Pure Python: it is imported both by the Rasa server's environment and by the application's.
"""

from lvnorm.text import fold, is_cyrillic, stem, tokens

__all__ = ["fold", "is_cyrillic", "stem", "tokens"]
