"""Pure-Python engines: no Django import anywhere below this package.

Each engine takes dataclasses in and returns dataclasses out, so it can be tested with
``-p no:django`` and reused from the CLI without a database.
"""
