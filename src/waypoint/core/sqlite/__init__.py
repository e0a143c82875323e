"""Django's SQLite backend, reading back decimals that no longer fit their column (see base.py)."""
