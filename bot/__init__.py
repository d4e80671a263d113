"""The front door: terminal chat and Telegram, one code path, in front of Rasa on loopback."""
