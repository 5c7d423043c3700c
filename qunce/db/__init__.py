"""Qunce's database: engine and sessions (SQLite or PostgreSQL), migrations, the declarative base
and the errors every record package raises. Plans and workshops build on it; it imports neither.
"""
