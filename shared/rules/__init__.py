"""The rule book: every legal rule the system applies, with its source and how far it was
checked (official text / secondary source / unverified).

``sources`` names the legal texts and where they were read; ``book`` holds the rules;
``decisions`` ties each kind of decision to its threshold and quorum rule and writes the
one-line rule text shown on the ballot, the projector, the chair's console and the
minutes; ``survey`` holds the confidence survey's who/when checks; ``render`` writes
``docs/rules.md`` from all of it (``python -m shared.rules.render``).
"""
