"""The Ombudsman's 2021 survey, continuously: what people asked for and what they got, per municipality and month.

Counts, not people. An event holds a month, a municipality, a topic, an outcome, a language and who wrote (the
person, a relative, a worker) — never a sender, a text or a time finer than a day — so nothing in it can be traced
back to one person, and `/dzest` has nothing here to delete. Events are appended when they happen (the front door
writes them: Rasa's answers carry them as custom messages, see actions/survey.py) and never updated.
`python -m survey report --month 2026-12` writes the HTML and PDF report under reports/.
"""
