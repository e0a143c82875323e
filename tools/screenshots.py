"""Take screenshots of Waypoint pages with Debian's chromium (for review and for the docs).

Usage: python tools/screenshots.py BASE_URL OUT_DIR USER PASSWORD PATH [PATH ...]
Each path is shot at laptop width (1366) and phone width (390); add ``@phone`` or
``@laptop`` to a path to take only one.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SIZES = {"laptop": (1366, 900), "phone": (390, 844)}


def main(argv: list[str]) -> int:
    base, out, user, password, *paths = argv
    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for size_name, (width, height) in SIZES.items():
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            page.goto(f"{base}/accounts/login/")
            page.fill("#id_username", user)
            page.fill("#id_password", password)
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
            for raw in paths:
                path, _, only = raw.partition("@")
                if only and only != size_name:
                    continue
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(400)
                name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
                page.screenshot(path=str(target / f"{name}-{size_name}.png"), full_page=True)
            context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
