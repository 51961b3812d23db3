"""Reads of the levers: introductions (:mod:`.introductions`), the ledger (:mod:`.ledger`), the team view (:mod:`.team`), coaching (:mod:`.coaching`).

Every function here is a ``@selector`` that takes the acting member and returns only what that
member may see (a seller: their own statements and plans; a manager: their teams'; an admin: all).
"""
