"""Agenda packs: the signed manifest, what a sync moves, and the pure pack builder."""
