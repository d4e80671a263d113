"""The knowledge base: municipalities, services and their provenance. Knows nothing of Rasa or Telegram."""
