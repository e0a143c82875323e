"""The README tells a newcomer every demo login the demo prints."""

from __future__ import annotations

import re
from pathlib import Path

from waypoint.demo.organisation import PEOPLE

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_lists_every_demo_login() -> None:
    text = README.read_text(encoding="utf-8")
    listed = set(re.findall(r"`([a-z][a-z.]*)`", text.split("## ", 1)[0]))
    missing = [person.username for person in PEOPLE if person.username not in listed]
    assert missing == [], f"demo logins missing from the README's opening: {missing}"
