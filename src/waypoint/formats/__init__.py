"""Waypoint's own number and date formats, where Django's for a language fall short
(``FORMAT_MODULE_PATH``). A module here names only what it changes: Django looks a format up
in this module first, then in its own module for the language, then in the settings."""
