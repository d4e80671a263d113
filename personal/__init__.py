"""Person data: everything kept about one person, in one home, each store with its retention and its way to forget.

Reference data about municipalities and services is public, sourced and long-lived (knowledge/); data about a
person reveals that someone has been in prison, so it is pseudonymous, kept only as long as promised, and deleted
in full by `/dzest`. Every store keyed by a person is registered in personal.registry, and a test fails when a
table with a sender, pseudonym or chat column is not. The tables live in the same database as the knowledge base
(their schema is in knowledge/migrations), but nothing outside this package reads or writes them.
"""
