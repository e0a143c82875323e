"""Background renders (filled in below)."""


def register() -> None:
    pass
