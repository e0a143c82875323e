"""Pages of the strategic plan, one module per group of pages (``urls.py`` names them):

- ``plan``: the plan list, a new plan, the overview, settings and status, the tree, the logframe
- ``elements``: an element's page, its form and deletion, moving it; its risks and budget lines
- ``analysis``: the SWOT/PESTLE board and the functions matrix, with their forms
- ``budget``: the budget summary
- ``health``: the quality checks and their settings

Thin: read through selectors, write through services, with ``core.views``' form and
confirm-delete pages.
"""
