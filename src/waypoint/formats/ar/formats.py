"""Arabic: Django's formats (decimal comma, thousands point, its dates), with digits grouped.

Django's ``ar`` module names separators but no ``NUMBER_GROUPING``, so a figure formatted with
``force_grouping`` came out ungrouped ("1234567"); every other language offered groups by
three. Everything not named here is still Django's ``ar`` (``get_format`` looks a format up
module by module)."""

NUMBER_GROUPING = 3
