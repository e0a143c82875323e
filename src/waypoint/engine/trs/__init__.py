"""Time Release Study analytics: how long goods take from arrival to release, stage by stage.

``model`` holds the study's vocabulary, ``runner`` computes on DuckDB, ``compare`` sets two
studies side by side, ``generator`` writes realistic synthetic declarations, ``cli`` is
``waypoint trs``.
"""
