"""Diagnostics: reference frameworks (areas → topics → criteria on a scale) and the arithmetic
of assessments against them (area means, gaps, what changed between two assessments).

``framework`` reads, validates and writes framework documents (YAML or JSON); ``scoring``
computes on levels.
"""
