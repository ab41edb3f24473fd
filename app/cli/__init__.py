"""The ``factory`` command line."""
