"""The site's own pages, on top of every app: home, the page frame's navigation, the audit
log, and a unit's page (what a unit answers for across the plan, its indicators and its people).

They compose several apps, so they sit above them all; ``core`` stays free of apps.
"""
