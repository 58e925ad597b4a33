"""Following through: the one life cycle of followed items, deadlines and reminders.

Pure code (no database, no HTTP): services store what these functions return.
"""
